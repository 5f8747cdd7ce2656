"""智能派单: classifier versions, suggestions and corrections, the near-duplicate index, key problems."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.appeals.models import Appeal, Category
from huying.organisations.models import OrgUnit

from .reasons import Unreliable


class ClassifierModel(models.Model):
    """One trained version of the category classifier. Exactly one is active; older ones stay for rollback."""

    created_at = models.DateTimeField(_("训练时间"), auto_now_add=True)
    trained_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    n_samples = models.PositiveIntegerField(_("训练样本数"))
    n_classes = models.PositiveIntegerField(_("类别数"))
    cv_macro_f1 = models.FloatField(_("交叉验证宏F1"), null=True, blank=True)
    threshold = models.FloatField(_("建议自动派单置信度"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    payload = models.BinaryField(editable=False)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("派单模型")
        verbose_name_plural = _("派单模型")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="classifier_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.pk}"


class DispatchSuggestion(models.Model):
    """What was suggested for an appeal, and what the operator finally chose (corrections are the data)."""

    class Source(models.TextChoices):
        MODEL = "model", _("模型")
        KEYWORDS = "keywords", _("关键词规则")
        NONE = "none", _("无建议")

    # Written by every intake and read through the appeal (or counted whole): the other foreign keys
    # carry no index, so an intake writes one page less for each. Deleting a model, category or
    # user scans this table once.
    appeal = models.OneToOneField(Appeal, on_delete=models.CASCADE, related_name="dispatch_suggestion")
    source = models.CharField(max_length=10, choices=Source.choices)
    model = models.ForeignKey(
        ClassifierModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    confidence = models.FloatField(default=0.0)
    alternatives = models.JSONField(default=list)
    unreliable = models.CharField(_("不自动派单的原因"), max_length=20, choices=Unreliable.choices, blank=True)
    auto_dispatched = models.BooleanField(default=False)
    chosen_category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    is_correction = models.BooleanField(_("坐席改正"), default=False)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("派单建议")
        verbose_name_plural = _("派单建议")

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.category_id} ({self.confidence:.2f})"


class AppealFingerprint(models.Model):
    """One LSH band of an appeal's MinHash signature: equal keys mean candidate duplicates (an index, not a scan)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="fingerprints")
    band_key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["band_key"], name="fingerprint_band")]

    def __str__(self) -> str:
        return f"{self.appeal_id}:{self.band_key}"


class FingerprintPending(models.Model):
    """An appeal recorded but not yet in the band index: intake writes this one row, and
    ``services.fingerprint_flush`` indexes a batch at a time (ADR 0010). Queries scan these."""

    appeal = models.OneToOneField(Appeal, on_delete=models.CASCADE, primary_key=True, related_name="+")

    def __str__(self) -> str:
        return str(self.appeal_id)


class KeyProblem(models.Model):
    """重点问题: a cause behind many appeals, handled once by a lead unit with joint units."""

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        CLOSED = "closed", _("已办结")

    title = models.CharField(_("问题名称"), max_length=120)
    description = models.TextField(_("问题描述"), blank=True)
    lead_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("牵头单位"))
    joint_units = models.ManyToManyField(OrgUnit, blank=True, related_name="+", verbose_name=_("联办单位"))
    appeals = models.ManyToManyField(Appeal, related_name="key_problems", verbose_name=_("关联工单"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    reply_text = models.TextField(_("统一答复"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["status", "-created_at"]
        verbose_name = _("重点问题")
        verbose_name_plural = _("重点问题清单")

    def __str__(self) -> str:
        return self.title


class JointMeeting(models.Model):
    """联席会议 on a key problem."""

    key_problem = models.ForeignKey(KeyProblem, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("会议日期"))
    attendees = models.TextField(_("参会单位和人员"))
    findings = models.TextField(_("查明情况"))
    decision = models.TextField(_("议定事项"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")

    def __str__(self) -> str:
        return f"{self.key_problem_id} @ {self.held_on}"
