"""The notice board (村务公开/居务公开): the county's catalogue, publications through the four steps,
every version of their content, the postings on the physical board, objections and demands.

山东省村务公开条例: Art. 11 (plan → 监委会 review → joint meeting → publish), Art. 12 (cadence),
Art. 13 (kept at least five days; re-published if it stayed less), Art. 16 (objections within five
days, answered within five days), Art. 8 (1/10 of villagers or 1/5 of representatives demand it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit

from .rules import CADENCES, CLASSES
from .states import PublicationStatus

User = settings.AUTH_USER_MODEL


class CatalogueItem(models.Model):
    """An item of the county's 村务公开目录 with its legal cadence (data, editable in the admin)."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("公开事项"), max_length=100)
    klass = models.CharField(_("类别"), max_length=10, choices=CLASSES)
    cadence = models.CharField(_("公开时限"), max_length=10, choices=CADENCES)
    grace_workdays = models.PositiveSmallIntegerField(_("期满后应公开的工作日数"), default=10)
    warn_workdays = models.PositiveSmallIntegerField(_("提前提醒工作日数"), default=3)
    basis = models.CharField(_("依据"), max_length=100, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("公开目录事项")
        verbose_name_plural = _("公开目录事项")

    def __str__(self) -> str:
        return self.name


class Publication(models.Model):
    """One publication of a catalogue item for a period (or an event), through the four steps."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="community_publications")
    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="publications")
    period_start = models.DateField(_("所属期起"))
    period_end = models.DateField(_("所属期止"))
    due_on = models.DateField(_("应公开日期"))
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("公开内容"))
    topic = models.ForeignKey(
        "community.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="publications"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    review_note = models.TextField(_("监委会审核意见"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(_("联席会议审定时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    first_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["unit", "status"], name="community_pub_unit_idx")]
        verbose_name = _("公开事项")
        verbose_name_plural = _("公开事项")

    def __str__(self) -> str:
        return self.title


class PublicationVersion(models.Model):
    """Every version of a publication's content, as it went to the board (村务公开档案, Art. 10)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("公开内容"))
    published_at = models.DateTimeField(_("公开时间"))
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["publication", "number"]
        constraints = [models.UniqueConstraint(fields=["publication", "number"], name="community_pub_version_unique")]
        verbose_name = _("公开版本")
        verbose_name_plural = _("公开版本")

    def __str__(self) -> str:
        return f"{self.publication_id} v{self.number}"


class Posting(models.Model):
    """A publication put up on the physical board. Taken down before five days only when it came
    down by itself (torn, blown away), and then it must be put up again for another five days."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="postings")
    location = models.CharField(_("公开栏"), max_length=100, blank=True)
    posted_at = models.DateTimeField(_("张贴时间"))
    removed_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)
    came_down = models.BooleanField(_("非正常脱落"), default=False)
    reason = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["publication", "posted_at"]
        verbose_name = _("张贴记录")
        verbose_name_plural = _("张贴记录")

    def __str__(self) -> str:
        return f"{self.publication_id} @ {self.posted_at:%Y-%m-%d}"


class Objection(models.Model):
    """A resident's objection to a publication (within five days of it) and the committee's answer
    (within five days, or late with a recorded reason)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="objections")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("提出人"), max_length=40)
    text = models.TextField(_("异议"))
    raised_at = models.DateTimeField(_("提出时间"))
    answer_due = models.DateField(_("答复期限"))
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    late_reason = models.CharField(_("逾期答复原因"), max_length=200, blank=True)
    answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["publication", "raised_at"]
        verbose_name = _("公开异议")
        verbose_name_plural = _("公开异议")

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:30]}"


class Demand(models.Model):
    """Residents demanding that something be published; a duty once enough of them join (Art. 8)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="community_demands")
    text = models.CharField(_("要求公开的事项"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    duty_at = models.DateTimeField(_("成为公开义务的时间"), null=True, blank=True)
    publication = models.ForeignKey(Publication, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("公开要求")
        verbose_name_plural = _("公开要求")

    def __str__(self) -> str:
        return self.text


class DemandSupport(models.Model):
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="supporters")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    is_representative = models.BooleanField(_("村（居）民代表"), default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["demand", "user"], name="community_demand_support_unique")]
        verbose_name = _("联名要求")
        verbose_name_plural = _("联名要求")

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.user_id}"
