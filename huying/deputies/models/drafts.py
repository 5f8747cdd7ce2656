"""Consultation on drafts (立法意见征集): contact points and their 信息员, drafts split into articles,
offline sessions and opinions with their processing (收集 → 整理 → 报送 → 反馈)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit


class ContactPoint(models.Model):
    """A 基层立法联系点, a 代表联络站, or both at one place (Binzhou practice: 码头社区)."""

    name = models.CharField(_("名称"), max_length=100)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="contact_points", verbose_name=_("所在单位")
    )
    is_legislative_point = models.BooleanField(_("基层立法联系点"), default=True)
    is_station = models.BooleanField(_("代表联络站"), default=False)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    # 接待选民日 as data: the day of every month the station receives residents (市西街道: the 6th).
    reception_day_of_month = models.PositiveSmallIntegerField(_("每月接待日"), null=True, blank=True)
    reception_hours = models.CharField(_("接待时间"), max_length=40, blank=True, default="09:00-11:00")

    class Meta:
        ordering = ["name"]
        verbose_name = _("联系点/联络站")
        verbose_name_plural = _("联系点/联络站")

    def __str__(self) -> str:
        return self.name


class Informant(models.Model):
    """A 信息员 on a contact point's roster."""

    point = models.ForeignKey(ContactPoint, on_delete=models.CASCADE, related_name="informants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)

    class Meta:
        ordering = ["point", "name"]
        verbose_name = _("信息员")
        verbose_name_plural = _("信息员")

    def __str__(self) -> str:
        return self.name


class Draft(models.Model):
    class Kind(models.TextChoices):
        REGULATION = "regulation", _("地方性法规")
        RULE = "rule", _("政府规章")
        DECISION = "decision", _("重大行政决策")
        LAW = "law", _("法律")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("准备中")
        OPEN = "open", _("征求意见中")
        CLOSED = "closed", _("征求意见已结束")
        NOTIFIED = "notified", _("已通报征求意见情况")

    title = models.CharField(_("草案名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.REGULATION)
    stage = models.CharField(_("阶段"), max_length=40, blank=True, default="征求意见稿")
    version = models.PositiveIntegerField(default=0)  # compare-and-set counter
    text_version = models.PositiveSmallIntegerField(_("文本版本"), default=1)
    issuing_body = models.CharField(_("起草/征求单位"), max_length=100)
    explanation = models.TextField(_("起草说明"), blank=True)
    preamble = models.TextField(blank=True)
    opens_on = models.DateField(_("开始日期"), null=True, blank=True)
    closes_on = models.DateField(_("截止日期"), null=True, blank=True)
    short_period_reason = models.TextField(_("征求意见期少于30日的理由"), blank=True)
    closed_early_reason = models.TextField(_("提前结束的理由"), blank=True)
    allows_anonymous = models.BooleanField(_("允许匿名提出意见"), default=False)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PREPARING)
    points = models.ManyToManyField(ContactPoint, blank=True, related_name="drafts", verbose_name=_("联系点"))
    summary_notice = models.TextField(_("征求意见情况通报"), blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("草案")
        verbose_name_plural = _("草案")

    def __str__(self) -> str:
        return self.title


class DraftNode(models.Model):
    """One 章/节/条/款/项 of a draft's text version; ``key`` names its place (c2.s1.a8.p1.i3)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="nodes")
    text_version = models.PositiveSmallIntegerField(default=1)
    key = models.CharField(max_length=60)
    kind = models.CharField(max_length=10)
    label = models.CharField(max_length=30)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    depth = models.PositiveSmallIntegerField(default=0)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["draft", "text_version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "text_version", "key"], name="deputies_draftnode_key_unique")
        ]
        verbose_name = _("草案条文")
        verbose_name_plural = _("草案条文")

    def __str__(self) -> str:
        return self.label


class OfflineSession(models.Model):
    """An offline gathering where contact-point staff collect opinions (立法赶集, 流动板凳会, 座谈会)."""

    class Kind(models.TextChoices):
        MARKET = "market", _("立法赶集")
        BENCH = "bench", _("流动板凳会")
        FORUM = "forum", _("座谈会")
        HEARING = "hearing", _("论证会/听证会")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="sessions")
    point = models.ForeignKey(ContactPoint, on_delete=models.PROTECT, related_name="sessions")
    kind = models.CharField(_("形式"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100)
    attendees = models.PositiveIntegerField(_("参加人数"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("线下征集活动")
        verbose_name_plural = _("线下征集活动")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class Opinion(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("网上提交")
        OFFLINE = "offline", _("联系点线下征集")

    class Status(models.TextChoices):
        COLLECTED = "collected", _("已收集")
        ORGANISED = "organised", _("已整理")
        MERGED = "merged", _("已合并")
        SUBMITTED = "submitted", _("已报送")
        ANSWERED = "answered", _("已反馈")

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("采纳")
        PARTLY = "partly", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("未采纳")
        REFERENCE = "reference", _("留作参考")

    class Identity(models.TextChoices):
        RESIDENT = "resident", _("居民")
        ENTERPRISE = "enterprise", _("企业")
        LAWYER = "lawyer", _("律师")
        DEPUTY = "deputy", _("人大代表")
        OTHER = "other", _("其他")

    number = models.CharField(_("编号"), max_length=24, unique=True)
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="opinions")
    node = models.ForeignKey(DraftNode, null=True, blank=True, on_delete=models.PROTECT, related_name="opinions")
    passage = models.CharField(_("所选段落"), max_length=500, blank=True)
    content = models.TextField(_("意见内容"))
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    session = models.ForeignKey(
        OfflineSession, null=True, blank=True, on_delete=models.PROTECT, related_name="opinions"
    )
    point = models.ForeignKey(ContactPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="opinions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="draft_opinions"
    )
    author_name = models.CharField(_("姓名"), max_length=40, blank=True)
    author_phone = models.CharField(_("电话"), max_length=20, blank=True)
    identity = models.CharField(_("身份"), max_length=12, choices=Identity.choices, default=Identity.RESIDENT)
    is_anonymous = models.BooleanField(_("匿名"), default=False)
    may_publish = models.BooleanField(_("同意公开"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.COLLECTED)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    summary = models.TextField(_("整理后意见"), blank=True)
    submitted_to = models.CharField(_("报送对象"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("采纳情况"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("理由"), blank=True)
    final_article = models.CharField(_("采纳后条文"), max_length=60, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["draft", "received_at", "id"]
        indexes = [models.Index(fields=["draft", "status"], name="deputies_opinion_status_idx")]
        verbose_name = _("意见")
        verbose_name_plural = _("意见")

    def __str__(self) -> str:
        return self.number
