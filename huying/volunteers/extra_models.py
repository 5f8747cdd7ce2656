"""The hall duty post (学雷锋岗), call-outs (闻令而动) and training (志愿者学院)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit

from . import rotating


class DutyShift(models.Model):
    """One volunteer's shift at the hall's duty post; a swap waits for the organiser's approval."""

    hall = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("服务大厅"))
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="duty_shifts")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    swap_to = models.ForeignKey(
        "volunteers.Volunteer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    qr_secret = models.CharField(max_length=64, default=rotating.new_secret, editable=False)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("学雷锋岗排班")
        verbose_name_plural = _("学雷锋岗排班")

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.starts_at:%Y-%m-%d %H:%M}"


class CallOut(models.Model):
    title = models.CharField(_("召集事由"), max_length=100)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    skills = models.CharField(_("所需技能"), max_length=300)
    stations = models.ManyToManyField("volunteers.Station", related_name="+", verbose_name=_("召集区域"))
    target = models.PositiveIntegerField(_("所需人数"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("紧急召集")
        verbose_name_plural = _("紧急召集")

    def __str__(self) -> str:
        return self.title


class CallOutInvite(models.Model):
    class Answer(models.TextChoices):
        PENDING = "pending", _("未回复")
        ACCEPTED = "accepted", _("已响应")
        DECLINED = "declined", _("已婉拒")

    callout = models.ForeignKey(CallOut, on_delete=models.CASCADE, related_name="invites")
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.CASCADE, related_name="invites")
    answer = models.CharField(max_length=8, choices=Answer.choices, default=Answer.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["callout", "volunteer"], name="vol_invite_unique")]

    def __str__(self) -> str:
        return f"{self.callout_id}/{self.volunteer_id}: {self.answer}"


class Course(models.Model):
    name = models.CharField(_("课程名称"), max_length=100)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    held_at = models.DateTimeField(_("授课时间"))
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=2)

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")

    def __str__(self) -> str:
        return self.name


class TrainingAttendance(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="attendance")
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.CASCADE, related_name="trainings")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "volunteer"], name="vol_training_unique")]

    def __str__(self) -> str:
        return f"{self.course_id}/{self.volunteer_id}"
