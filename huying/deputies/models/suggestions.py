"""Suggestions and proposals (代表建议、政协提案、联络站群众意见) on their statutory clocks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit

from .stations import DeputyProfile, Reception


class Suggestion(models.Model):
    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("代表建议")
        PROPOSAL = "proposal", _("政协提案")
        STATION = "station", _("联络站群众意见")

    class ReplyClass(models.TextChoices):
        A = "A", _("A类：已解决或基本解决")
        B = "B", _("B类：正在解决或列入计划逐步解决")
        C = "C", _("C类：因条件限制需以后解决")
        D = "D", _("D类：留作参考")

    class ReplyMode(models.TextChoices):
        IN_PERSON = "in_person", _("当面答复")
        WRITTEN = "written", _("书面答复")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    number = models.CharField(_("编号"), max_length=24, unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.SUGGESTION)
    proposer = models.ForeignKey(DeputyProfile, on_delete=models.PROTECT, related_name="suggestions")
    reception = models.ForeignKey(Reception, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("标题"), max_length=120)
    content = models.TextField(_("内容"))
    single_matter = models.BooleanField(_("一事一议"), default=False)
    is_confidential = models.BooleanField(_("需保密"), default=False)
    status = models.CharField(_("状态"), max_length=14, default="submitted")
    assigning_body = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("交办机关")
    )
    key_supervision = models.BooleanField(_("重点督办"), default=False)
    assigned_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("答复期限"), null=True, blank=True)
    ceiling_at = models.DateTimeField(_("最长期限（六个月）"), null=True, blank=True)
    extension_approval = models.TextField(_("延期批准记录"), blank=True)
    objection_due_at = models.DateTimeField(null=True, blank=True)
    objection = models.TextField(_("交办异议"), blank=True)
    reply_class = models.CharField(_("答复类别"), max_length=1, choices=ReplyClass.choices, blank=True)
    reply_mode = models.CharField(_("答复方式"), max_length=10, choices=ReplyMode.choices, blank=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_count = models.PositiveSmallIntegerField(default=0)
    rereply_due_at = models.DateTimeField(null=True, blank=True)
    attitude = models.CharField(_("对办理态度"), max_length=14, choices=Satisfaction.choices, blank=True)
    result = models.CharField(_("对办理结果"), max_length=14, choices=Satisfaction.choices, blank=True)
    feedback = models.TextField(_("反馈意见"), blank=True)
    delivered_at = models.DateTimeField(_("落实日期"), null=True, blank=True)
    is_public = models.BooleanField(_("公开"), default=False)
    public_text = models.TextField(_("公开文本（已删去涉密和个人信息）"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_overdue = models.BooleanField(_("已超期"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("建议/提案")
        verbose_name_plural = _("建议/提案")

    def __str__(self) -> str:
        return self.number

    @property
    def lead(self) -> SuggestionUnit | None:
        return next((u for u in self.units.all() if u.role == SuggestionUnit.Role.LEAD and u.is_current), None)


class SuggestionUnit(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("协办")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("承办方式"), max_length=4, choices=Role.choices)
    is_current = models.BooleanField(default=True)
    assigned_at = models.DateTimeField()
    input_due_at = models.DateTimeField(null=True, blank=True)
    input_text = models.TextField(_("协办意见"), blank=True)
    input_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["suggestion", "role", "id"]
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.unit_id} {self.role}"


class SuggestionEvent(models.Model):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["suggestion", "at", "id"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.action}"
