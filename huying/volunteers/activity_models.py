"""Projects, activities (with the rotating QR at the place), sign-ups with their hours, the audit of
every change of hours, and certificates (志愿服务记录证明)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit

from . import rotating, states


class Project(models.Model):
    class Kind(models.TextChoices):
        CARE = "care", _("关爱帮扶")
        CULTURE = "culture", _("文化宣讲")
        CIVILITY = "civility", _("文明创建")
        ENVIRONMENT = "environment", _("生态环保")
        EMERGENCY = "emergency", _("应急救援")
        SERVICE = "service", _("便民服务")
        CHARITY = "charity", _("爱心义卖")

    name = models.CharField(_("项目名称"), max_length=100)
    kind = models.CharField(_("项目类型"), max_length=12, choices=Kind.choices)
    owner = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("项目负责单位"))
    team = models.ForeignKey("volunteers.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_group = models.CharField(_("服务对象"), max_length=100)
    description = models.TextField(_("项目简介"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("志愿服务项目")
        verbose_name_plural = _("志愿服务项目")

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """One occurrence of service at a place and time; the organiser's unit records and certifies it."""

    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="activities")
    need = models.OneToOneField(
        "volunteers.Need", null=True, blank=True, on_delete=models.PROTECT, related_name="activity"
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位"))
    title = models.CharField(_("活动名称"), max_length=100)
    address = models.CharField(_("活动地点"), max_length=200)
    latitude = models.FloatField(_("纬度"))
    longitude = models.FloatField(_("经度"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("招募人数"), default=1)
    skills = models.CharField(_("所需技能"), max_length=300, blank=True)
    # Recurring activities: the day of the month they repeat on (the 17th); each occurrence is its own row.
    monthly_day = models.PositiveSmallIntegerField(_("每月固定日"), null=True, blank=True)
    series = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrences")
    qr_secret = models.CharField(max_length=64, default=rotating.new_secret, editable=False)
    qr_period = models.PositiveSmallIntegerField(_("签到码刷新秒数"), default=rotating.DEFAULT_PERIOD)
    radius_m = models.PositiveIntegerField(_("签到范围（米）"), default=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("志愿服务活动")
        verbose_name_plural = _("志愿服务活动")

    def __str__(self) -> str:
        return self.title


class SignUp(models.Model):
    """A volunteer's place in an activity, their sign-in and sign-out, and the hours recorded."""

    class Status(models.TextChoices):
        ENROLLED = states.ENROLLED, _("已报名")
        WAITING = states.WAITING, _("候补")
        CANCELLED = states.CANCELLED, _("已取消")
        PRESENT = states.PRESENT, _("已签到")
        ATTENDED = states.ATTENDED, _("已签退")
        CONFIRMED = states.CONFIRMED, _("时长已确认")

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="signups")
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="signups")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ENROLLED)
    created_at = models.DateTimeField(auto_now_add=True)
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    signed_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    computed_hours = models.DecimalField(_("签到计算时长"), max_digits=6, decimal_places=2, null=True, blank=True)
    hours = models.DecimalField(_("确认时长"), max_digits=6, decimal_places=2, null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "volunteer"], name="vol_signup_unique")]
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")

    def __str__(self) -> str:
        return self.record_number

    @property
    def record_number(self) -> str:
        """The service record's public number (the points ledger's reference)."""
        return f"VR{self.pk:010d}"


class HourEdit(models.Model):
    """Every change of recorded hours after sign-out: who, when, from what to what, and why."""

    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="edits")
    old_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    new_hours = models.DecimalField(max_digits=6, decimal_places=2)
    reason = models.TextField(_("修改原因"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("时长修改记录")
        verbose_name_plural = _("时长修改记录")

    def __str__(self) -> str:
        return f"{self.signup_id}: {self.old_hours} → {self.new_hours}"


class Certificate(models.Model):
    """A 志愿服务记录证明 issued by the unit that organised and recorded the service (谁记录谁证明)."""

    number = models.CharField(_("证明编号"), max_length=24, unique=True)
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="certificates")
    issuer = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("出具单位"))
    hours = models.DecimalField(_("服务时长合计"), max_digits=8, decimal_places=2)
    records = models.JSONField(default=list)  # the confirmed records it certifies, as issued
    issued_at = models.DateTimeField(auto_now_add=True)
    check_code = models.CharField(max_length=16)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("志愿服务记录证明")
        verbose_name_plural = _("志愿服务记录证明")

    def __str__(self) -> str:
        return self.number
