"""Roles are fixed codes; what a city calls them is translation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("热线坐席/派单员")
    HANDLER = "handler", _("承办单位工作人员")
    SUPERVISOR = "supervisor", _("督办人员")
    ADMIN = "admin", _("系统管理员")
    # Government-service hall (一窗受理, 好差评, 电子证照).
    CLERK = "clerk", _("综合窗口受理人员")
    REVIEWER = "reviewer", _("审批人员")
    HALL_MANAGER = "hall_manager", _("政务大厅管理人员")
    AGENT = "agent", _("帮办代办员")
    # Grid governance (网格化服务管理): the grid is their scope, through their current grid posts.
    GRID_WORKER = "grid_worker", _("网格员")
    LIAISON = "liaison", _("联户党员")
    # Points (积分制): merchants redeem, reviewers decide claims before credit.
    MERCHANT = "merchant", _("积分合作商户")
    POINTS_REVIEWER = "points_reviewer", _("积分审核人员")
    # Volunteering (志愿服务): the organisation that records its activities and hours.
    VOLUNTEER_ORG = "volunteer_org", _("志愿服务组织管理员")
    # Self-governance (基层自治): the village or residents' committee's staff.
    COMMUNITY_STAFF = "community_staff", _("村（居）委会工作人员")
    # Deputies and legislation (人大/政协).
    DEPUTY = "deputy", _("人大代表/政协委员")
    LEGISLATIVE_STAFF = "legislative_staff", _("人大常委会工作人员")
    CONTACT_POINT = "contact_point", _("基层立法联系点信息员")
    MEDIATOR = "mediator", _("人民调解员")
    # Open days (政府开放日).
    OPEN_DAY_ORGANISER = "open_day_org", _("开放日组织人员")
    # Services at the doorstep (家门口服务).
    VILLAGE_CLERK = "village_clerk", _("村级便民服务站代办员")
    CANTEEN_STAFF = "canteen_staff", _("助餐点工作人员")
    CIVIL_AFFAIRS = "civil_affairs", _("民政部门工作人员")
    # Who viewed whose personal data (the access log), read-only.
    AUDITOR = "auditor", _("个人信息访问审计员")


# Roles that may see a requester's full phone and ID number (each view logged):
# the operator calls people back; the supervisor verifies complaints.
PERSONAL_DATA_ROLES = frozenset({Role.OPERATOR, Role.SUPERVISOR})
CITIZEN = "citizen"
