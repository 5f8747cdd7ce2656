"""The service hall (政务服务大厅): halls, their windows and the queue tickets (排队号)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huying.catalogue.models import Bundle, ServiceItem
from huying.organisations.models import OrgUnit

from .states import Channel, Status

COMPREHENSIVE_PREFIX = "A"


def new_public_id() -> str:
    """The ticket's unguessable public number: who holds it may follow (and cancel) the ticket."""
    return secrets.token_urlsafe(12)


class Hall(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="halls", verbose_name=_("管理单位"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("政务服务大厅")
        verbose_name_plural = _("政务服务大厅")

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("综合窗口")
        SPECIAL = "special", _("专业窗口")

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="windows")
    number = models.PositiveSmallIntegerField(_("窗口号"))
    label = models.CharField(_("名称"), max_length=60, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.COMPREHENSIVE)
    # A special window serves the items of these units only; its queue's numbers start with ``prefix``.
    units = models.ManyToManyField(OrgUnit, blank=True, related_name="hall_windows", verbose_name=_("服务部门"))
    prefix = models.CharField(
        _("排队号字母"), max_length=1, blank=True, help_text=_("专业窗口的排队号字母（如 B）；综合窗口为 A")
    )
    is_open = models.BooleanField(_("开放"), default=True)
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hall_windows",
        verbose_name=_("当前受理人员"),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["hall", "number"]
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="hall_window_number_unique"),
            models.CheckConstraint(
                condition=Q(kind="comprehensive") | ~Q(prefix=""), name="hall_special_window_has_prefix"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}号窗口" + (f"（{self.label}）" if self.label else "")

    @property
    def queue_prefix(self) -> str:
        return COMPREHENSIVE_PREFIX if self.kind == self.Kind.COMPREHENSIVE else self.prefix


class TicketCounter(models.Model):
    """Last number given out per hall, day and queue letter (numbers restart every day)."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    prefix = models.CharField(max_length=1)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hall", "day", "prefix"], name="hall_ticket_counter_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.prefix}{self.last:03d}"


class Ticket(models.Model):
    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField(_("取号日期"))
    number = models.CharField(_("排队号"), max_length=8)
    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    item = models.ForeignKey(
        ServiceItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("事项")
    )
    bundle = models.ForeignKey(
        Bundle, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("一件事")
    )
    # The item's implementing unit (special windows of that unit may call it); null for bundles and 咨询.
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="hall_tickets"
    )
    channel = models.CharField(_("取号方式"), max_length=12, choices=Channel.choices, default=Channel.KIOSK)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.WAITING)
    taken_at = models.DateTimeField(_("取号时间"))
    called_at = models.DateTimeField(_("叫号时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始办理时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # Last time the number was announced (call or recall): the hall display lists calls by it.
    announced_at = models.DateTimeField(_("最近呼叫时间"), null=True, blank=True)
    recalls = models.PositiveSmallIntegerField(_("重呼次数"), default=0)
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["taken_at", "pk"]
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        constraints = [
            models.UniqueConstraint(fields=["hall", "day", "number"], name="hall_ticket_number_unique_per_day"),
            models.CheckConstraint(
                condition=Q(item__isnull=True) | Q(bundle__isnull=True), name="hall_ticket_item_or_bundle"
            ),
        ]
        indexes = [
            models.Index(fields=["hall", "status", "taken_at"], name="hall_ticket_queue_idx"),
            models.Index(fields=["hall", "announced_at"], name="hall_ticket_announced_idx"),
            models.Index(fields=["hall", "day"], name="hall_ticket_day_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def matter(self) -> str:
        if self.item_id and self.item:
            return self.item.name
        if self.bundle_id and self.bundle:
            return self.bundle.name
        return str(_("咨询"))

    @property
    def wait_seconds(self) -> float | None:
        if self.called_at is None:
            return None
        return (self.called_at - self.taken_at).total_seconds()

    @property
    def service_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
