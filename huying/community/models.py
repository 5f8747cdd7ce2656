"""Self-governance (基层自治) of a village or residents' committee: the bodies that consult and
decide, the path a topic takes through them (the community's own rules of procedure), topics and
their meetings, and the work that carries a resolution out.

A village or community is an ``OrgUnit`` of kind COMMUNITY; ``CommunityProfile`` says how it
governs itself. Votes are only ever cast by a current ``Member`` of the meeting's body.
"""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit

from . import procedure
from .rules import STATUTORY_MATTERS
from .states import MeetingStatus, TopicStatus

User = settings.AUTH_USER_MODEL


class CommunityProfile(models.Model):
    """How many people a village or community has (the bases of the 1/10 and 1/5 demand thresholds
    and of the signatures a residents' proposal needs), and its public page's address."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("村")
        RESIDENTIAL = "residential", _("城市社区")

    unit = models.OneToOneField(OrgUnit, on_delete=models.PROTECT, related_name="community_profile")
    slug = models.SlugField(_("公开页地址"), max_length=40, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.VILLAGE)
    adult_residents = models.PositiveIntegerField(_("十八周岁以上村（居）民数"), default=0)
    households = models.PositiveIntegerField(_("户数"), default=0)
    proposal_signatures = models.PositiveSmallIntegerField(_("居民提议所需联名人数"), default=5)
    board_location = models.CharField(_("公开栏位置"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("村（社区）自治概况")
        verbose_name_plural = _("村（社区）自治概况")

    def __str__(self) -> str:
        return self.unit.name


class Body(models.Model):
    """A body that consults or decides (党小组, 党支部, 两委联席会议, 议事会, 村民代表会议, 监委会)."""

    class Kind(models.TextChoices):
        PARTY_GROUP = "party_group", _("党小组")
        BRANCH = "branch", _("党支部")
        COMMITTEES = "committees", _("村（居）两委")
        COUNCIL = "council", _("居民议事会")
        REPRESENTATIVES = "representatives", _("村（居）民代表会议")
        VILLAGERS = "villagers", _("村（居）民会议")
        SUPERVISORY = "supervisory", _("村（居）务监督委员会")

    class Base(models.TextChoices):
        PRESENT = procedure.PRESENT, _("到会人员")
        MEMBERS = procedure.MEMBERS, _("全体组成人员")

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="community_bodies")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=60)
    quorum_num = models.PositiveSmallIntegerField(_("法定到会比例（分子）"), default=1)
    quorum_den = models.PositiveSmallIntegerField(_("法定到会比例（分母）"), default=2)
    quorum_strict = models.BooleanField(_("须超过该比例"), default=True)
    majority_num = models.PositiveSmallIntegerField(_("通过比例（分子）"), default=1)
    majority_den = models.PositiveSmallIntegerField(_("通过比例（分母）"), default=2)
    majority_base = models.CharField(_("通过比例的基数"), max_length=8, choices=Base.choices, default=Base.PRESENT)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["unit", "kind", "name"]
        verbose_name = _("议事主体")
        verbose_name_plural = _("议事主体")

    def __str__(self) -> str:
        return self.name

    @property
    def rule(self) -> procedure.Rule:
        return procedure.Rule(
            quorum=Fraction(self.quorum_num, self.quorum_den or 1),
            quorum_strict=self.quorum_strict,
            majority=Fraction(self.majority_num, self.majority_den or 1),
            majority_base=self.majority_base,
        )


class Member(models.Model):
    """A member of a body for a term; the committees' members are appraised yearly (民主评议)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="community_seats")
    name = models.CharField(_("姓名"), max_length=40)
    post = models.CharField(_("职务"), max_length=40, blank=True)
    is_woman = models.BooleanField(_("女性"), default=False)
    valid_from = models.DateField(_("任期起"))
    valid_to = models.DateField(_("任期止"), null=True, blank=True)

    class Meta:
        ordering = ["body", "id"]
        verbose_name = _("组成人员")
        verbose_name_plural = _("组成人员")

    def __str__(self) -> str:
        return f"{self.name}（{self.body.name}）"


class ConsultPath(models.Model):
    """The path a topic takes, as the community's rules of procedure set it (历山: 党小组 → 支部, then
    the 两委 carry it out; 李沧: 议事会; an Art. 24 matter: 村民代表会议)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="consult_paths")
    name = models.CharField(_("名称"), max_length=60)
    executor = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("实施主体（办事）"))
    notice_days = models.PositiveSmallIntegerField(_("提前通知天数"), default=1)
    is_default = models.BooleanField(_("默认路径"), default=False)

    class Meta:
        ordering = ["unit", "-is_default", "name"]
        verbose_name = _("议事路径")
        verbose_name_plural = _("议事路径")

    def __str__(self) -> str:
        return self.name


class PathStep(models.Model):
    class Purpose(models.TextChoices):
        DELIBERATE = "deliberate", _("讨论形成建议")
        DECIDE = "decide", _("表决形成决议")

    path = models.ForeignKey(ConsultPath, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("顺序"))
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("作用"), max_length=12, choices=Purpose.choices)

    class Meta:
        ordering = ["path", "order"]
        constraints = [models.UniqueConstraint(fields=["path", "order"], name="community_step_order_unique")]
        verbose_name = _("议事步骤")
        verbose_name_plural = _("议事步骤")

    def __str__(self) -> str:
        return f"{self.order}. {self.body.name}"


class Topic(models.Model):
    """A matter taken to consultation (议题), from wherever it came."""

    class Source(models.TextChoices):
        VISIT = "visit", _("党员走访")
        APPEAL = "appeal", _("12345诉求")
        DEPUTY = "deputy", _("代表接待")
        PROPOSAL = "proposal", _("居民联名提议")
        COMMITTEE = "committee", _("两委提出")

    class Scope(models.TextChoices):
        BUILDING = "building", _("楼栋（小组）")
        COMMUNITY = "community", _("本村（社区）")
        CROSS = "cross", _("跨村（社区）")

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="community_topics")
    number = models.CharField(_("编号"), max_length=20, unique=True)
    title = models.CharField(_("议题"), max_length=100)
    text = models.TextField(_("内容"))
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    source_ref = models.CharField(_("来源编号"), max_length=40, blank=True)
    scope = models.CharField(_("范围"), max_length=10, choices=Scope.choices, default=Scope.COMMUNITY)
    affected = models.CharField(_("利益相关方"), max_length=200, blank=True)
    statutory_matter = models.CharField(
        _("村民会议决定事项"), max_length=24, choices=STATUTORY_MATTERS, blank=True, default=""
    )
    path = models.ForeignKey(ConsultPath, null=True, blank=True, on_delete=models.PROTECT, related_name="topics")
    step = models.PositiveSmallIntegerField(_("当前步骤"), default=0)
    status = models.CharField(_("状态"), max_length=14, choices=TopicStatus.choices, default=TopicStatus.RAISED)
    proposal = models.TextField(_("协商建议"), blank=True)
    resolution = models.TextField(_("决议"), blank=True)
    outcome_note = models.TextField(_("办结情况"), blank=True)
    owner = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        "community.RuleDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="topics"
    )
    proposed_text = models.TextField(_("拟修订文本"), blank=True)
    raised_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["unit", "status"], name="community_topic_unit_idx")]
        verbose_name = _("议题")
        verbose_name_plural = _("议题")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Signature(models.Model):
    """A resident joining a residents' proposal (联名)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="signatures")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="community_signature_unique")]
        verbose_name = _("联名")
        verbose_name_plural = _("联名")

    def __str__(self) -> str:
        return f"{self.topic_id}: {self.user_id}"


class Meeting(models.Model):
    """One body meeting on one topic at one step of its path: notice, attendance, opinions, votes."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="meetings")
    step = models.PositiveSmallIntegerField(_("步骤"))
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    purpose = models.CharField(_("作用"), max_length=12, choices=PathStep.Purpose.choices)
    held_at = models.DateTimeField(_("会议时间"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    notified_at = models.DateTimeField(_("通知时间"))
    notice = models.TextField(_("通知内容和材料"))
    status = models.CharField(_("状态"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.NOTIFIED)
    members_count = models.PositiveSmallIntegerField(_("应到人数"), default=0)
    present_count = models.PositiveSmallIntegerField(_("实到人数"), default=0)
    adopted = models.ForeignKey("community.Option", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    minutes = models.TextField(_("形成意见或决议"), blank=True)
    cancel_note = models.TextField(_("取消原因"), blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["topic", "step", "held_at"]
        verbose_name = _("议事会议")
        verbose_name_plural = _("议事会议")

    def __str__(self) -> str:
        return f"{self.topic.number} · {self.body.name}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("到会"), default=True)
    opinion = models.TextField(_("发言意见"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="community_attendance_unique")]
        verbose_name = _("到会情况")
        verbose_name_plural = _("到会情况")

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.member_id}"


class Option(models.Model):
    """An option put to the vote (a proposal, or 不同意: ``rejects`` means adopting it declines the topic)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("方案"), max_length=500)
    rejects = models.BooleanField(_("不同意"), default=False)

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("表决方案")
        verbose_name_plural = _("表决方案")

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.PROTECT, related_name="votes")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="community_vote_unique")]
        verbose_name = _("表决票")
        verbose_name_plural = _("表决票")

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.member_id} → {self.option_id}"


class Milestone(models.Model):
    """A step of carrying a resolution out, with its deadline."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=100)
    due = models.DateField(_("完成期限"))
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["topic", "due", "id"]
        verbose_name = _("实施节点")
        verbose_name_plural = _("实施节点")

    def __str__(self) -> str:
        return self.title


class Progress(models.Model):
    """A progress note on carrying a topic out, with a photo, or its referral to a department."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="progress")
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("进展"))
    photo = models.CharField(_("照片"), max_length=255, blank=True)
    appeal_number = models.CharField(_("转12345工单"), max_length=30, blank=True)
    publication = models.ForeignKey(
        "community.Publication", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["topic", "created_at", "id"]
        verbose_name = _("实施进展")
        verbose_name_plural = _("实施进展")

    def __str__(self) -> str:
        return self.text[:30]


from .appraisal_models import MemberAppraisal, Rectification, SampleEntry, Survey, SurveyRating  # noqa: E402
from .board_models import (  # noqa: E402
    CatalogueItem,
    Demand,
    DemandSupport,
    Objection,
    Posting,
    Publication,
    PublicationVersion,
)
from .document_models import DocumentVersion, RuleDocument  # noqa: E402

__all__ = [
    "Attendance",
    "Body",
    "CatalogueItem",
    "CommunityProfile",
    "ConsultPath",
    "Demand",
    "DemandSupport",
    "DocumentVersion",
    "Meeting",
    "Member",
    "MemberAppraisal",
    "Milestone",
    "Objection",
    "Option",
    "PathStep",
    "Posting",
    "Progress",
    "Publication",
    "PublicationVersion",
    "Rectification",
    "RuleDocument",
    "SampleEntry",
    "Signature",
    "Survey",
    "SurveyRating",
    "Topic",
    "Vote",
]
