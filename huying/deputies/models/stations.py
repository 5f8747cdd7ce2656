"""Liaison stations: the deputies and members attached, reception days (接待选民日), bookings and the
record of each reception with where the matter went."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .drafts import ContactPoint


class DeputyProfile(models.Model):
    class Kind(models.TextChoices):
        NPC = "npc", _("人大代表")
        CPPCC = "cppcc", _("政协委员")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deputy_profile")
    name = models.CharField(_("姓名"), max_length=40)
    kind = models.CharField(_("身份"), max_length=6, choices=Kind.choices, default=Kind.NPC)
    level = models.CharField(_("层级"), max_length=40, blank=True)  # 市十二届人大代表
    station = models.ForeignKey(
        ContactPoint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputies",
        verbose_name=_("联络站"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("代表/委员")
        verbose_name_plural = _("代表/委员")

    def __str__(self) -> str:
        return self.name


class ReceptionDay(models.Model):
    station = models.ForeignKey(ContactPoint, on_delete=models.CASCADE, related_name="reception_days")
    date = models.DateField(_("接待日期"))
    hours = models.CharField(_("接待时间"), max_length=40, default="09:00-11:00")
    slots = models.PositiveSmallIntegerField(_("预约名额"), default=8)
    deputies = models.ManyToManyField(DeputyProfile, blank=True, related_name="reception_days")

    class Meta:
        ordering = ["date", "station"]
        constraints = [models.UniqueConstraint(fields=["station", "date"], name="deputies_receptionday_unique")]
        verbose_name = _("接待日")
        verbose_name_plural = _("接待日")

    def __str__(self) -> str:
        return f"{self.station} {self.date}"


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("已预约")
        CANCELLED = "cancelled", _("已取消")
        RECEIVED = "received", _("已接待")

    day = models.ForeignKey(ReceptionDay, on_delete=models.PROTECT, related_name="bookings")
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deputy_bookings")
    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("电话"), max_length=20)
    matter = models.TextField(_("反映事项"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "created_at"]
        verbose_name = _("接待预约")
        verbose_name_plural = _("接待预约")

    def __str__(self) -> str:
        return f"{self.day} {self.pk}"


class Reception(models.Model):
    class Routing(models.TextChoices):
        PENDING = "pending", _("待处理")
        ANSWERED = "answered", _("当场答复")
        APPEAL = "appeal", _("转12345")
        SUGGESTION = "suggestion", _("转代表建议")
        MEDIATION = "mediation", _("转调解")
        COMMUNITY = "community", _("转社区协商")

    station = models.ForeignKey(ContactPoint, on_delete=models.PROTECT, related_name="receptions")
    day = models.ForeignKey(ReceptionDay, null=True, blank=True, on_delete=models.PROTECT, related_name="receptions")
    booking = models.OneToOneField(Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="reception")
    deputy = models.ForeignKey(DeputyProfile, on_delete=models.PROTECT, related_name="receptions")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    visitor_name = models.CharField(_("来访人"), max_length=40)
    visitor_phone = models.CharField(_("电话"), max_length=20, blank=True)
    matter = models.TextField(_("反映事项"))
    routing = models.CharField(_("处理方式"), max_length=12, choices=Routing.choices, default=Routing.PENDING)
    answer = models.TextField(_("答复/处理意见"), blank=True)
    target_ref = models.CharField(_("转办编号"), max_length=40, blank=True)
    outcome_told = models.TextField(_("告知来访人的结果"), blank=True)
    told_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("接待记录")
        verbose_name_plural = _("接待记录")

    def __str__(self) -> str:
        return f"{self.station} {self.received_at:%Y-%m-%d}"
