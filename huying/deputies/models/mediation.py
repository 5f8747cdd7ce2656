"""The deputies' mediation room (人大代表调解室): a venue of a registered people's mediation committee
(人民调解法 Arts. 8, 34), its cases, parties' consent, sessions and the written agreement (Art. 29)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit


class Committee(models.Model):
    name = models.CharField(_("人民调解委员会"), max_length=100)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    registration = models.CharField(_("备案编号"), max_length=40)
    venue = models.CharField(_("调解场所"), max_length=100, default="人大代表调解室")

    class Meta:
        ordering = ["name"]
        verbose_name = _("人民调解委员会")
        verbose_name_plural = _("人民调解委员会")

    def __str__(self) -> str:
        return self.name


class MediationCase(models.Model):
    class Source(models.TextChoices):
        APPLICATION = "application", _("当事人申请")
        INITIATIVE = "initiative", _("主动调解")
        COURT = "court", _("法院委派")
        POLICE = "police", _("公安移交")
        GRID = "grid", _("网格上报")
        HOTLINE = "hotline", _("12345转办")
        RECEPTION = "reception", _("代表接待")

    class Category(models.TextChoices):
        MARRIAGE = "marriage", _("婚姻家庭")
        NEIGHBOUR = "neighbour", _("邻里关系")
        DEBT = "debt", _("债权债务")
        HOUSING = "housing", _("房屋及宅基地")
        DAMAGE = "damage", _("损害赔偿")
        PROPERTY = "property", _("物业纠纷")
        BUSINESS = "business", _("生产经营")
        OTHER = "other", _("其他")

    number = models.CharField(_("案号"), max_length=24, unique=True)
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="cases")
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    category = models.CharField(_("纠纷类型"), max_length=10, choices=Category.choices)
    facts = models.TextField(_("纠纷主要事实"))
    claims = models.TextField(_("争议事项"), blank=True)
    is_private = models.BooleanField(_("不公开调解"), default=False)
    status = models.CharField(_("状态"), max_length=12, default="registered")
    mediators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="mediation_cases", blank=True)
    chosen_by_parties = models.BooleanField(_("当事人选定调解员"), default=False)
    invited = models.CharField(_("邀请参与人员（经当事人同意）"), max_length=200, blank=True)
    registered_at = models.DateTimeField()
    responsibilities = models.TextField(_("各方当事人的责任"), blank=True)
    agreement = models.TextField(_("协议内容"), blank=True)
    performance = models.TextField(_("履行方式、地点和期限"), blank=True)
    mediator_signed_at = models.DateTimeField(null=True, blank=True)
    seal_applied_at = models.DateTimeField(null=True, blank=True)
    effective_at = models.DateTimeField(null=True, blank=True)
    confirmation_due = models.DateField(_("司法确认申请截止"), null=True, blank=True)
    confirmation_reminded_at = models.DateTimeField(_("已提醒申请司法确认"), null=True, blank=True)
    end_reason = models.TextField(_("终止原因与告知的其他途径"), blank=True)
    follow_up = models.TextField(_("履行回访"), blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("调解案件")
        verbose_name_plural = _("调解案件")

    def __str__(self) -> str:
        return self.number


class MediationParty(models.Model):
    class Consent(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONSENTED = "consented", _("同意调解")
        REFUSED = "refused", _("拒绝调解")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(_("姓名/名称"), max_length=60)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    address = models.CharField(_("住址"), max_length=120, blank=True)
    role = models.CharField(_("当事人"), max_length=10, default="申请人")
    consent = models.CharField(_("调解意愿"), max_length=10, choices=Consent.choices, default=Consent.PENDING)
    consent_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")

    def __str__(self) -> str:
        return self.name


class MediationSession(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField()
    note = models.TextField(_("调解记录"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["case", "held_at"]
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_at:%Y-%m-%d}"
