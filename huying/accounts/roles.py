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


# Roles that may see a requester's full phone and ID number (each view logged):
# the operator calls people back; the supervisor verifies complaints.
PERSONAL_DATA_ROLES = frozenset({Role.OPERATOR, Role.SUPERVISOR})
CITIZEN = "citizen"
