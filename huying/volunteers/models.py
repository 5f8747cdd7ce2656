"""The volunteer archive (志愿者档案), teams (队伍), stations (实践中心 → 所 → 站) and the demand
menu (需求菜单). Activities, sign-ups, hours and certificates live in ``activity_models``; the duty
post, call-outs and training in ``extra_models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit

from . import states


class Station(models.Model):
    """A place of the 新时代文明实践 network: centre (county) → institute (town) → station (village)."""

    class Level(models.TextChoices):
        CENTRE = "centre", _("实践中心")
        INSTITUTE = "institute", _("实践所")
        STATION = "station", _("实践站")

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属单位"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.FloatField(_("纬度"))
    longitude = models.FloatField(_("经度"))

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("文明实践阵地")
        verbose_name_plural = _("文明实践阵地")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(_("队伍名称"), max_length=100, unique=True)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属单位"))
    station = models.ForeignKey(Station, null=True, blank=True, on_delete=models.SET_NULL, related_name="teams")
    leader = models.ForeignKey(
        "volunteers.Volunteer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("队长"),
    )
    speciality = models.CharField(_("服务方向"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """One registered volunteer (real name, one record per ID number)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("在册")
        LEFT = "left", _("已注销")

    number = models.CharField(_("志愿者编号"), max_length=20, unique=True, null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="volunteer"
    )
    real_name = models.CharField(_("姓名"), max_length=40)
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    gender = models.CharField(_("性别"), max_length=1, blank=True)
    birth_date = models.DateField(_("出生日期"))
    phone = models.CharField(_("联系电话"), max_length=20)
    skills = models.CharField(_("服务技能"), max_length=300, blank=True)
    availability = models.PositiveIntegerField(_("服务时间"), default=0)  # matching.slot_bit bits
    latitude = models.FloatField(_("纬度"), db_index=True)
    longitude = models.FloatField(_("经度"))
    station = models.ForeignKey(
        Station, null=True, blank=True, on_delete=models.SET_NULL, related_name="volunteers", verbose_name=_("服务区域")
    )
    teams = models.ManyToManyField(Team, blank=True, related_name="members", verbose_name=_("所在队伍"))
    guardian_name = models.CharField(_("监护人姓名"), max_length=40, blank=True)
    guardian_phone = models.CharField(_("监护人电话"), max_length=20, blank=True)
    guardian_consent = models.BooleanField(_("监护人同意"), default=False)
    publish_consent = models.BooleanField(_("同意公开姓名和服务信息"), default=False)  # 条例 Art. 20
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["number"]
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")

    def __str__(self) -> str:
        return self.number or self.real_name


class Need(models.Model):
    """One entry of the demand menu (需求菜单), claimed one to one."""

    class Status(models.TextChoices):
        PUBLISHED = states.PUBLISHED, _("待认领")
        ESCALATED = states.ESCALATED, _("已上报站点")
        CLAIMED = states.CLAIMED, _("已认领")
        SERVING = states.SERVING, _("服务中")
        TO_RATE = states.TO_RATE, _("待评价")
        DONE = states.DONE, _("已完成")
        WITHDRAWN = states.WITHDRAWN, _("已撤回")

    class Source(models.TextChoices):
        RESIDENT = "resident", _("居民")
        FIRM = "firm", _("企业")
        GRID_VISIT = "grid_visit", _("网格走访")
        APPEAL = "appeal", _("12345诉求转办")
        VILLAGE_CLERK = "village_clerk", _("村级代办员")

    number = models.CharField(_("需求编号"), max_length=20, unique=True, null=True, blank=True)
    title = models.CharField(_("需求名称"), max_length=100)
    description = models.TextField(_("需求说明"), blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default=Source.RESIDENT)
    source_ref = models.CharField(_("来源编号"), max_length=40, blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="volunteer_needs"
    )
    contact_name = models.CharField(_("联系人"), max_length=40)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    address = models.CharField(_("服务地点"), max_length=200)
    latitude = models.FloatField(_("纬度"))
    longitude = models.FloatField(_("经度"))
    starts_at = models.DateTimeField(_("服务开始时间"))
    ends_at = models.DateTimeField(_("服务结束时间"))
    skills = models.CharField(_("所需技能"), max_length=300)
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="needs", verbose_name=_("受理站点"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    published_at = models.DateTimeField(auto_now_add=True)
    claimed_by = models.ForeignKey(
        Volunteer, null=True, blank=True, on_delete=models.PROTECT, related_name="claimed_needs"
    )
    claimed_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("评价"), null=True, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"], name="vol_need_status_idx")]
        verbose_name = _("服务需求")
        verbose_name_plural = _("服务需求")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class NeedEvent(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.need_id} {self.action}"


from .activity_models import Activity, Certificate, HourEdit, Project, SignUp  # noqa: E402
from .extra_models import CallOut, CallOutInvite, Course, DutyShift, TrainingAttendance  # noqa: E402

__all__ = [
    "Activity", "CallOut", "CallOutInvite", "Certificate", "Course", "DutyShift", "HourEdit", "Need", "NeedEvent",
    "Project", "SignUp", "Station", "Team", "TrainingAttendance", "Volunteer",
]  # fmt: skip
