"""好差评: one rating per rated act, a rectification case per bad rating, complaints (申诉复核)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit

from .states import (
    STAFF_SOURCES,
    CaseStatus,
    Channel,
    ComplaintReason,
    ComplaintStatus,
    Level,
    Resolution,
    RevisitView,
    Source,
)


class Rating(models.Model):
    """一次一评 / 一事一评: the rating of one act (an 办件, a window visit, a 12345 order)."""

    kind = models.CharField(_("评价对象类型"), max_length=20, db_index=True)
    ref = models.CharField(_("事项编号"), max_length=64)
    title = models.CharField(_("事项"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("评价等级"), choices=Level.choices, db_index=True)
    channel = models.CharField(_("评价渠道"), max_length=10, choices=Channel.choices)
    source = models.CharField(_("评价来源"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("被评价单位")
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings",
        verbose_name=_("评价人"),
    )
    rater_phone = models.CharField(_("评价人电话"), max_length=20, blank=True)
    is_real_name = models.BooleanField(_("实名评价"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("代录人员"),
    )
    comment = models.TextField(_("评价内容"), blank=True)
    dimensions = models.JSONField(_("分项评分"), default=dict, blank=True)
    occurred_at = models.DateTimeField(_("办事时间"))
    created_at = models.DateTimeField(_("评价时间"), db_index=True)
    excluded = models.BooleanField(_("申诉成立已剔除"), default=False, db_index=True)
    excluded_at = models.DateTimeField(_("剔除时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "ref"], name="rating_one_per_act"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="rating_level_range"),
        ]
        verbose_name = _("评价")
        verbose_name_plural = _("评价")

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref} {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level <= Level.UNSATISFIED

    @property
    def is_staff_entered(self) -> bool:
        return self.source in STAFF_SOURCES


class RectificationCase(models.Model):
    """差评整改单: 核实 → 整改 → 反馈 → 回访 → 办结, answered within N working days."""

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="case", verbose_name=_("差评"))
    unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rating_cases",
        verbose_name=_("整改单位"),
    )
    status = models.CharField(_("状态"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    due_at = models.DateTimeField(_("整改反馈期限"), db_index=True)
    is_overdue = models.BooleanField(_("超期"), default=False)
    # 核实
    contact_person = models.CharField(_("核实联系人"), max_length=60, blank=True)
    finding = models.TextField(_("核实情况"), blank=True)
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    # 整改
    resolution = models.CharField(_("整改方式"), max_length=10, choices=Resolution.choices, blank=True)
    measures = models.TextField(_("整改措施/说明"), blank=True)
    ledger_entry = models.CharField(_("整改台账"), max_length=200, blank=True)
    rectify_by = models.DateField(_("限期整改完成日期"), null=True, blank=True)
    # 反馈
    answer_text = models.TextField(_("反馈内容"), blank=True)
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    is_answered_on_time = models.BooleanField(_("按期反馈"), null=True, blank=True)
    # 回访
    revisit_view = models.CharField(_("回访意见"), max_length=12, choices=RevisitView.choices, blank=True)
    revisit_note = models.TextField(_("回访记录"), blank=True)
    revisited_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["status", "due_at"], name="rating_case_status_due")]
        verbose_name = _("差评整改单")
        verbose_name_plural = _("差评整改单")

    def __str__(self) -> str:
        return f"{self.pk} {self.rating} {self.get_status_display()}"


class CaseEvent(models.Model):
    """History of a case: each action with who, when and what was written."""

    case = models.ForeignKey(RectificationCase, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class Complaint(models.Model):
    """申诉复核: the unit says a bad rating is malicious or mistaken; a supervisor decides once."""

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="complaint", verbose_name=_("差评"))
    case = models.ForeignKey(RectificationCase, on_delete=models.CASCADE, related_name="complaints")
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("申诉类型"), max_length=12, choices=ComplaintReason.choices)
    statement = models.TextField(_("申诉理由"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(_("申诉时间"))
    status = models.CharField(
        _("复核结果"), max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.PENDING, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField(_("复核意见"), blank=True)
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["filed_at", "pk"]
        verbose_name = _("差评申诉")
        verbose_name_plural = _("差评申诉")

    def __str__(self) -> str:
        return f"{self.rating} {self.get_status_display()}"
