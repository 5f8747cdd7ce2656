"""Government open days (政府开放日): the event, its quotas, registrants, draws, programme and forum.

A panel is drawn by :mod:`huying.selection` on the event's quotas; every draw keeps what anyone needs
to re-run it (the lottery's panels, their digest, the seed, the winning number). Forum items that a
leader assigns on the spot become appeals in the 12345 loop on the open-day channel.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit

from . import states


class AgeBand(models.TextChoices):
    A18 = "18-29", _("18–29岁")
    A30 = "30-39", _("30–39岁")
    A40 = "40-49", _("40–49岁")
    A50 = "50-59", _("50–59岁")
    A60 = "60+", _("60岁及以上")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class PoliticalStatus(models.TextChoices):
    PARTY = "party_member", _("中共党员")
    LEAGUE = "league_member", _("共青团员")
    DEMOCRATIC = "democratic_party", _("民主党派")
    MASSES = "masses", _("群众")


class Occupation(models.TextChoices):
    PUBLIC = "public_sector", _("机关事业单位")
    ENTERPRISE = "enterprise", _("企业职工")
    SELF_EMPLOYED = "self_employed", _("个体经营")
    FARMING = "farming", _("农业")
    STUDENT = "student", _("学生")
    RETIRED = "retired", _("离退休")
    OTHER = "other", _("其他")


# The categories a quota may name, with the fixed values each allows (district: the event's own list).
CATEGORIES: dict[str, type[models.TextChoices] | None] = {
    "age_band": AgeBand,
    "gender": Gender,
    "political_status": PoliticalStatus,
    "occupation": Occupation,
    "district": None,
}
CATEGORY_LABELS = {
    "age_band": _("年龄段"),
    "gender": _("性别"),
    "political_status": _("政治面貌"),
    "occupation": _("职业"),
    "district": _("所在片区"),
}


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = states.DRAFT, _("草稿")
        OPEN = states.OPEN, _("报名中")
        REVIEW = states.REVIEW, _("报名已截止")
        LOTTERY = states.LOTTERY, _("抽签方案已公布")
        DRAWN = states.DRAWN, _("已抽签")
        HELD = states.HELD, _("已举行")
        CLOSED = states.CLOSED, _("已结束")

    class Kind(models.TextChoices):
        OPEN_DAY = "open_day", _("政府开放日")
        SITTING = "sitting", _("列席会议")

    title = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.OPEN_DAY)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="open_days", verbose_name=_("主办单位"))
    area = models.CharField(_("面向区域"), max_length=100)
    venue = models.CharField(_("地点"), max_length=200)
    description = models.TextField(_("活动介绍"), blank=True)
    starts_at = models.DateTimeField(_("活动时间"))
    registration_ends_at = models.DateTimeField(_("报名截止"))
    panel_size = models.PositiveSmallIntegerField(_("参加人数"))
    min_notice_days = models.PositiveSmallIntegerField(_("最少提前公告天数"), default=15)
    min_age = models.PositiveSmallIntegerField(_("最低年龄"), default=18)
    one_per_household = models.BooleanField(_("每户限一人入选"), default=True)
    exclusions = models.JSONField(_("不得报名的情形"), default=list, blank=True)
    seed_source = models.CharField(_("公开种子的产生方式"), max_length=200)
    sitting_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sittings",
        verbose_name=_("邀请往期参加人"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    announced_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("政府开放日")
        verbose_name_plural = _("政府开放日")

    def __str__(self) -> str:
        return self.title


class Quota(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="quotas")
    category = models.CharField(_("类别"), max_length=20)
    value = models.CharField(_("取值"), max_length=40)
    min = models.PositiveSmallIntegerField(_("最少"))
    max = models.PositiveSmallIntegerField(_("最多"))
    population_share = models.FloatField(_("人口占比"), null=True, blank=True)

    class Meta:
        ordering = ["event", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "category", "value"], name="opendays_quota_unique")]

    def __str__(self) -> str:
        return f"{self.category}={self.value} [{self.min}, {self.max}]"


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = states.REGISTERED, _("已报名")
        EXCLUDED = states.EXCLUDED, _("不符合条件")
        INVITED = states.INVITED, _("已抽中，待确认")
        CONFIRMED = states.CONFIRMED, _("已确认参加")
        DECLINED = states.DECLINED, _("已婉拒")

    class Basis(models.TextChoices):
        RESIDE = "reside", _("居住")
        WORK = "work", _("工作")
        STUDY = "study", _("学习")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    number = models.CharField(_("报名编号"), max_length=8)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("手机号"), max_length=20)
    id_hash = models.CharField(max_length=64)
    id_last4 = models.CharField(max_length=4)
    basis = models.CharField(_("与本区域的关系"), max_length=8, choices=Basis.choices)
    age_band = models.CharField(_("年龄段"), max_length=8, choices=AgeBand.choices)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    political_status = models.CharField(_("政治面貌"), max_length=20, choices=PoliticalStatus.choices)
    occupation = models.CharField(_("职业"), max_length=20, choices=Occupation.choices)
    district = models.CharField(_("所在片区"), max_length=40)
    household = models.CharField(_("户号"), max_length=64)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    chance = models.FloatField(_("入选概率"), null=True, blank=True)
    draw = models.ForeignKey("Draw", null=True, blank=True, on_delete=models.SET_NULL, related_name="selected")
    status_note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["event", "number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "phone"], name="opendays_one_per_phone"),
            models.UniqueConstraint(fields=["event", "id_hash"], name="opendays_one_per_id"),
            models.UniqueConstraint(fields=["event", "number"], name="opendays_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.masked_name}"

    @property
    def masked_name(self) -> str:
        return (self.name[:1] + "*" * max(1, len(self.name) - 1)) if self.name else ""

    def features(self) -> dict[str, str]:
        return {c: getattr(self, c) for c in CATEGORIES}


class Draw(models.Model):
    """One public draw: the lottery (M equally likely panels of registration numbers), its digest
    published before the seed, then the seed read out and the winning panel."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="draws")
    sequence = models.PositiveSmallIntegerField(_("序号"))  # 0: the panel; 1, 2, …: replacements
    seats = models.PositiveSmallIntegerField(_("名额"))
    method = models.CharField(max_length=12, default="leximin")
    quotas = models.JSONField(default=list)
    panels = models.JSONField(default=list)
    digest = models.CharField(_("方案摘要"), max_length=64)
    chances = models.JSONField(default=dict)
    min_chance = models.FloatField(default=0.0)
    seed = models.CharField(_("公开种子"), max_length=100, blank=True)
    index = models.PositiveIntegerField(null=True, blank=True)
    chosen = models.JSONField(default=list)
    published_at = models.DateTimeField()
    drawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["event", "sequence"]
        constraints = [models.UniqueConstraint(fields=["event", "sequence"], name="opendays_draw_sequence")]

    def __str__(self) -> str:
        return f"{self.event_id}#{self.sequence}"


class ProgrammeStop(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme")
    starts_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=100)
    activity = models.CharField(_("内容"), max_length=200)
    host = models.CharField(_("接待人"), max_length=100, blank=True)

    class Meta:
        ordering = ["event", "starts_at", "id"]

    def __str__(self) -> str:
        return self.activity


class ForumItem(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("提问")
        SUGGESTION = "suggestion", _("建议")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="forum_items")
    raised_by = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="forum_items")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.QUESTION)
    text = models.TextField(_("内容"))
    answered_by = models.CharField(_("答复人"), max_length=100, blank=True)
    answer = models.TextField(_("现场答复"), blank=True)
    owner = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任单位")
    )
    promised_by = models.DateField(_("承诺办结日期"), null=True, blank=True)
    appeal = models.ForeignKey(
        "appeals.Appeal", null=True, blank=True, on_delete=models.SET_NULL, related_name="open_day_items"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class PhoneCode(models.Model):
    """A one-time code proving a registrant holds the phone they give."""

    phone = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.phone[-4:]
