"""Filing review of normative documents (规范性文件备案审查) and the consultant experts' pool."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit


class Expert(models.Model):
    name = models.CharField(_("姓名"), max_length=40)
    fields = models.CharField(_("擅长领域"), max_length=200)  # 、-separated codes of FIELD_CHOICES
    body = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在单位")
    )
    declared_conflicts = models.ManyToManyField(OrgUnit, blank=True, related_name="+", verbose_name=_("申报回避单位"))
    term_start = models.DateField(_("聘期开始"))
    term_end = models.DateField(_("聘期结束"))
    dismissed_reason = models.CharField(_("解聘原因"), max_length=200, blank=True)
    last_assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("咨询专家")
        verbose_name_plural = _("咨询专家")

    def __str__(self) -> str:
        return self.name

    def field_list(self) -> list[str]:
        return [f for f in self.fields.split("、") if f]


class FiledDocument(models.Model):
    class Outcome(models.TextChoices):
        NO_PROBLEM = "no_problem", _("未发现问题")
        CORRECT = "correct", _("建议修改")
        REPEAL = "repeal", _("建议废止")

    number = models.CharField(_("备案号"), max_length=24, unique=True)
    title = models.CharField(_("文件名称"), max_length=200)
    maker = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("制定机关"))
    field = models.CharField(_("领域"), max_length=20)
    published_on = models.DateField(_("公布日期"))
    filed_on = models.DateField(_("报备日期"))
    is_late = models.BooleanField(_("逾期报备"), default=False)
    status = models.CharField(_("状态"), max_length=12, default="filed")
    review_due = models.DateField(_("审查期限"), null=True, blank=True)
    draw_seed = models.CharField(_("随机抽取种子（公开）"), max_length=64, blank=True)
    outcome = models.CharField(_("审查结论"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("审查意见"), blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    answer_due = models.DateField(_("制定机关答复期限"), null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    amendment_due = models.DateField(_("修改/废止期限"), null=True, blank=True)
    amended_on = models.DateField(null=True, blank=True)
    requester = models.CharField(_("审查建议人"), max_length=60, blank=True)
    requester_due = models.DateField(_("反馈建议人期限"), null=True, blank=True)
    requester_told_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = _("备案文件")
        verbose_name_plural = _("备案文件")

    def __str__(self) -> str:
        return self.title


class ExpertAssignment(models.Model):
    class Method(models.TextChoices):
        FIELD = "field", _("按领域轮换")
        RANDOM = "random", _("公开种子随机抽取")

    document = models.ForeignKey(FiledDocument, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    method = models.CharField(max_length=8, choices=Method.choices)
    assigned_at = models.DateTimeField()
    opinion = models.TextField(_("专家意见"), blank=True)

    class Meta:
        ordering = ["document", "id"]
        constraints = [models.UniqueConstraint(fields=["document", "expert"], name="deputies_expert_once")]
        verbose_name = _("专家指派")
        verbose_name_plural = _("专家指派")

    def __str__(self) -> str:
        return f"{self.document_id} {self.expert_id}"
