from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import Division, OrgUnit

from .states import AppealType, Channel, ReferTarget, Resolution, Satisfaction, Status, Urgency


class Category(models.Model):
    """One entry of the 派单目录: a matter and the unit responsible for it."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="categories", verbose_name=_("承办单位")
    )
    keywords = models.CharField(_("关键词"), max_length=300, blank=True, help_text=_("以空格分隔，用于派单建议"))
    allows_anonymous = models.BooleanField(_("允许匿名"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("派单目录")
        verbose_name_plural = _("派单目录")

    def __str__(self) -> str:
        return f"{self.parent.name}/{self.name}" if self.parent_id and self.parent else self.name


class CategoryRoute(models.Model):
    """Area-specific routing: this category in this division goes to this unit."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routes")
    division = models.ForeignKey(Division, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("承办单位"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "division"], name="category_route_unique")]
        verbose_name = _("属地派单规则")
        verbose_name_plural = _("属地派单规则")

    def __str__(self) -> str:
        return f"{self.category} @ {self.division.name} → {self.unit}"


class TimeLimitRule(models.Model):
    """办理时限 for a category (or every category) at an urgency level."""

    class Unit(models.TextChoices):
        HOURS = "hours", _("小时（自然时）")
        WORKDAYS = "workdays", _("工作日")
        WORK_HOURS = "work_hours", _("工作时")

    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="time_limits")
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices)
    amount = models.PositiveIntegerField(_("时限"))
    unit = models.CharField(_("单位"), max_length=10, choices=Unit.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["category", "urgency"], name="time_limit_unique"),
            models.UniqueConstraint(
                fields=["urgency"], condition=models.Q(category__isnull=True), name="time_limit_default_unique"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="time_limit_positive"),
        ]
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")

    def __str__(self) -> str:
        return f"{self.category or '默认'} {self.get_urgency_display()} {self.amount}{self.get_unit_display()}"


class Appeal(models.Model):
    """A 诉求 and, once accepted, its 工单."""

    number = models.CharField(_("工单编号"), max_length=20, unique=True, null=True, blank=True)
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    appeal_type = models.CharField(_("诉求类型"), max_length=12, choices=AppealType.choices)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.GENERAL)
    title = models.CharField(_("标题"), max_length=120)
    content = models.TextField(_("诉求内容"))
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals")
    division = models.ForeignKey(Division, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("地点"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    # The grid (网格编码) the matter lies in, when a grid report or a visit raised it: the grid layer
    # decides who verifies on site, without this loop knowing about grids.
    grid_code = models.CharField(_("网格编码"), max_length=24, blank=True, db_index=True)

    requester_name = models.CharField(_("诉求人"), max_length=60, blank=True)
    # Looked up through appeal_phone_status (phone first); a second index would only cost writes.
    requester_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    requester_id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    is_anonymous = models.BooleanField(_("匿名"), default=False)
    is_confidential = models.BooleanField(
        _("为诉求人保密"), default=False, help_text=_("举报、投诉人信息不向承办单位显示")
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="appeals"
    )
    # Never queried by; accounts are deactivated, not deleted (a deletion would scan, once).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    status = models.CharField(_("状态"), max_length=24, choices=Status.choices, default=Status.SUBMITTED)
    version = models.PositiveIntegerField(default=1)
    lead_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_appeals",
        verbose_name=_("主办单位"),
        db_index=False,  # appeal_unit_status starts with it
    )

    time_limit_amount = models.PositiveIntegerField(null=True, blank=True)
    time_limit_unit = models.CharField(max_length=10, blank=True)
    due_at = models.DateTimeField(_("办理期限"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    is_overdue = models.BooleanField(_("已超期"), default=False)
    supervise_level = models.PositiveSmallIntegerField(_("督办级别"), default=0)

    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Flags fixed at the moment they happen, so later events cannot rewrite history.
    is_signed_on_time = models.BooleanField(null=True, blank=True)
    is_replied_on_time = models.BooleanField(null=True, blank=True)

    reply_text = models.TextField(_("答复内容"), blank=True)
    refer_target = models.CharField(_("转往渠道"), max_length=12, choices=ReferTarget.choices, blank=True)
    resolution = models.CharField(_("解决情况"), max_length=12, choices=Resolution.choices, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    rehandle_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="repeats", verbose_name=_("并入工单")
    )
    repeat_count = models.PositiveIntegerField(_("重复来电次数"), default=0)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="appeal_status_due"),
            models.Index(fields=["lead_unit", "status"], name="appeal_unit_status"),
            models.Index(fields=["requester_phone", "status"], name="appeal_phone_status"),
        ]
        verbose_name = _("诉求工单")
        verbose_name_plural = _("诉求工单")

    def __str__(self) -> str:
        return f"{self.number or '—'} {self.title}"


class AppealAssignment(models.Model):
    """A unit's part in an order: the lead (主办) or an assisting unit (协办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        ASSIST = "assist", _("协办")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="appeal_assignments")
    role = models.CharField(max_length=8, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "appeal"], name="assignment_unit_appeal")]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.get_role_display()} {self.unit_id}"


class AppealEvent(models.Model):
    """Append-only history: one row per action, written in the transaction of the change."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=24)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    # Events are read through their appeal only: every other index would be one more page written
    # by every action (deleting a user or unit scans the table, once; accounts are deactivated).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    actor_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(default=True, help_text=_("是否在诉求人可见的进度中显示"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.action} → {self.to_status}"


class Attachment(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="appeals/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class TrackingCode(models.Model):
    """A one-time code sent to the requester's phone to track an appeal without an account."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="tracking_codes")
    code_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.appeal_id} until {self.expires_at:%H:%M}"


class AppealMonthlyStat(models.Model):
    """Counters per month received × dimension, kept exact by the services in the same transaction.

    ``dimension`` is "all", "unit", "channel" or "category"; ``key`` the unit id, channel code or
    category id. The dashboard reads these few thousand rows instead of scanning millions of appeals.
    """

    month = models.DateField()
    dimension = models.CharField(max_length=10)
    key = models.CharField(max_length=32)
    received = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    dispatched = models.IntegerField(default=0)
    signed_on_time = models.IntegerField(default=0)
    replied = models.IntegerField(default=0)
    replied_on_time = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    followed_up = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    # When a service last changed the row: the dashboard's per-process copy re-reads only the rows
    # changed since it last looked (huying.appeals.stats_replica).
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "dimension", "key"], name="appeal_stat_unique")]
        indexes = [
            models.Index(fields=["dimension", "month"], name="appeal_stat_dim_month"),
            models.Index(fields=["updated_at"], name="appeal_stat_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.dimension}={self.key}"


class AppealStatGeneration(models.Model):
    """One row whose ``number`` goes up whenever the counters are rewritten wholesale (a rebuild).

    The dashboard's per-process copies of the counters see changes by ``updated_at``; a rebuild
    deletes and rewrites every row, which they could not tell from a quiet table, so it says so
    here and every copy loads the table again (huying.appeals.stats_replica).
    """

    number = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"counters generation {self.number}"


class IdempotencyKey(models.Model):
    """A key a phone made for one submission: a retry with the same key answers with the first appeal.

    ``fingerprint`` is a digest of what was sent; the same key with a different body is refused.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    fingerprint = models.CharField(max_length=64)
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="appeal_idempotency_user_key_unique")]
        verbose_name = _("提交幂等键")
        verbose_name_plural = _("提交幂等键")

    def __str__(self) -> str:
        return f"{self.key} → {self.appeal_id}"
