"""Appraisal: satisfaction surveys (群众评事) of a committee or of a carried-out topic, by a sample
of residents or representatives (data); rectification below the threshold; the yearly democratic
appraisal of each committee member (村民委员会组织法 Art. 33)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit

from .states import RectificationStatus

User = settings.AUTH_USER_MODEL


class Survey(models.Model):
    class Instrument(models.TextChoices):
        LEVELS = "levels", _("满意、基本满意、不满意")
        SCORE = "score", _("百分制")

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="community_surveys")
    title = models.CharField(_("测评"), max_length=100)
    body = models.ForeignKey("community.Body", null=True, blank=True, on_delete=models.PROTECT, related_name="surveys")
    topic = models.ForeignKey(
        "community.Topic", null=True, blank=True, on_delete=models.PROTECT, related_name="surveys"
    )
    instrument = models.CharField(_("方式"), max_length=8, choices=Instrument.choices, default=Instrument.LEVELS)
    sample_design = models.CharField(_("样本设计"), max_length=200)
    rerates = models.ForeignKey(
        "community.Rectification", null=True, blank=True, on_delete=models.PROTECT, related_name="rerates"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    satisfaction = models.DecimalField(_("满意度（%）"), max_digits=5, decimal_places=2, null=True, blank=True)
    threshold = models.DecimalField(_("达标线（%）"), max_digits=5, decimal_places=2)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")

    def __str__(self) -> str:
        return self.title


class SampleEntry(models.Model):
    """One person in a survey's sample; only they may rate it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sample")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=40)

    class Meta:
        ordering = ["survey", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="community_sample_unique")]
        verbose_name = _("测评样本")
        verbose_name_plural = _("测评样本")

    def __str__(self) -> str:
        return self.name


class SurveyRating(models.Model):
    class Level(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        FAIRLY = "fairly", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="ratings")
    entry = models.OneToOneField(SampleEntry, on_delete=models.CASCADE, related_name="rating")
    level = models.CharField(_("评价"), max_length=12, choices=Level.choices, blank=True)
    score = models.PositiveSmallIntegerField(_("分数"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("测评票")
        verbose_name_plural = _("测评票")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.level or self.score}"


class Rectification(models.Model):
    """Opened automatically when a survey falls below the threshold; closed by a passing re-rating."""

    survey = models.OneToOneField(Survey, on_delete=models.PROTECT, related_name="rectification")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="community_rectifications")
    due = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    report = models.TextField(_("整改情况"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("整改任务")
        verbose_name_plural = _("整改任务")

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.status}"


class MemberAppraisal(models.Model):
    """One member's yearly democratic appraisal; two 不称职 in a row end the office (Art. 33)."""

    class Result(models.TextChoices):
        COMPETENT = "competent", _("称职")
        FAIRLY = "fairly", _("基本称职")
        INCOMPETENT = "incompetent", _("不称职")

    member = models.ForeignKey("community.Member", on_delete=models.PROTECT, related_name="appraisals")
    year = models.PositiveSmallIntegerField(_("年度"))
    competent = models.PositiveSmallIntegerField(_("称职票"), default=0)
    fairly = models.PositiveSmallIntegerField(_("基本称职票"), default=0)
    incompetent = models.PositiveSmallIntegerField(_("不称职票"), default=0)
    result = models.CharField(_("结果"), max_length=12, choices=Result.choices)
    office_ends = models.BooleanField(_("连续两次不称职，职务终止"), default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member", "year"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="community_member_year_unique")]
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}: {self.result}"
