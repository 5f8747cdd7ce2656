"""Raising topics (议题) from every source, signatures on residents' proposals, and their acceptance
onto the community's consultation path."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.appeals.models import Appeal
from huying.core.errors import ConcurrentModification, NotFound, PermissionDenied, ValidationFailed
from huying.core.statemachine import NOTE_MAX_LENGTH
from huying.organisations.models import OrgUnit

from .. import errors
from ..models import CommunityProfile, ConsultPath, RuleDocument, Signature, Topic
from ..permissions import is_staff_of, resolve, table_roles
from ..rules import STATUTORY_MATTERS
from ..states import SYSTEM, TRANSITIONS, TopicAction, TopicStatus
from .common import fail, transition
from .common import text as clean_text
from .meetings import check_path_allows

MATTERS = {code for code, _label in STATUTORY_MATTERS}


def _number(unit: OrgUnit) -> str:
    year = timezone.localdate().year
    prefix = f"YT{year}{unit.pk:04d}"
    count = Topic.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}"


def _community(unit: OrgUnit) -> CommunityProfile:
    profile = CommunityProfile.objects.filter(unit=unit).first()
    if profile is None:
        raise NotFound()
    return profile


def _create(actor: Actor, unit: OrgUnit, *, title: str, body: str, source: str, **extra: object) -> Topic:
    _community(unit)
    scope = str(extra.pop("scope", Topic.Scope.COMMUNITY))
    matter = str(extra.pop("statutory_matter", ""))
    if scope not in Topic.Scope.values:
        raise ValidationFailed(_("议题范围无效。"), data={"scope": scope})
    if matter not in MATTERS:
        raise ValidationFailed(_("村民会议决定事项无效。"), data={"statutory_matter": matter})
    fields = dict(
        unit=unit,
        title=clean_text(title, label=_("议题名称"), limit=100),
        text=clean_text(body, label=_("议题内容"), limit=NOTE_MAX_LENGTH),
        source=source,
        scope=scope,
        statutory_matter=matter,
        affected=clean_text(str(extra.pop("affected", "")), label=_("利益相关方"), limit=200, required=False),
        raised_by=actor.user if actor.is_authenticated else None,
        **extra,
    )
    for _attempt in range(5):  # two topics raised at once may draw the same number: draw again
        try:
            with transaction.atomic():
                return Topic.objects.create(number=_number(unit), **fields)
        except IntegrityError:
            continue
    raise ConcurrentModification()


@transaction.atomic
def topic_raise(
    *,
    actor: Actor | User | AnonymousUser,
    unit: OrgUnit,
    title: str,
    text: str,
    source: str = Topic.Source.COMMITTEE,
    source_ref: str = "",
    **extra: object,
) -> Topic:
    """A topic raised by the community's staff (the committee, a 12345 appeal, a deputy's reception)."""
    resolved = resolve(actor)
    table_roles(resolved, unit)
    if source not in (Topic.Source.COMMITTEE, Topic.Source.APPEAL, Topic.Source.DEPUTY):
        raise ValidationFailed(_("议题来源无效。"), data={"source": source})
    if not is_staff_of(resolved, unit):
        raise PermissionDenied()
    return _create(resolved, unit, title=title, body=text, source=source, source_ref=source_ref[:40], **extra)


@transaction.atomic
def topic_from_reception(
    *, actor: Actor | User | AnonymousUser, unit: OrgUnit, title: str, text: str, source_ref: str = ""
) -> Topic:
    """A deputy hands a matter heard at a reception (接待选民日) to the village or community it concerns."""
    resolved = resolve(actor)
    if not (resolved.has_role(Role.DEPUTY) or is_staff_of(resolved, unit)):
        raise PermissionDenied()
    return _create(resolved, unit, title=title, body=text, source=Topic.Source.DEPUTY, source_ref=source_ref[:40])


@transaction.atomic
def topic_from_finding(*, actor: Actor | User | AnonymousUser, finding_id: int, title: str = "") -> Topic:
    """党员问事: a finding of the visitor's own visit record becomes a topic of the grid's village.
    (The grid layer is optional: without it there are no visit records to raise from.)"""
    if not apps.is_installed("huying.grids"):
        raise NotFound()
    from huying.grids.models import VisitFinding
    from huying.grids.permissions import HOUSEHOLD_STAFF, post_in_grid

    resolved = resolve(actor)
    finding = VisitFinding.objects.select_related("visit__household__grid__unit").filter(pk=finding_id).first()
    if finding is None:
        raise NotFound()
    grid = finding.visit.household.grid
    if post_in_grid(resolved, grid.pk, HOUSEHOLD_STAFF) is None and not is_staff_of(resolved, grid.unit):
        raise NotFound()
    ref = f"VF{finding.pk}"
    if Topic.objects.filter(source=Topic.Source.VISIT, source_ref=ref).exists():
        raise ValidationFailed(_("该走访发现已提交为议题。"))
    return _create(
        resolved,
        grid.unit,
        title=title or finding.text[:30],
        body=f"{finding.text}\n（{finding.visit.household.address}，{finding.visit.visited_at:%Y-%m-%d}走访）",
        source=Topic.Source.VISIT,
        source_ref=ref,
        affected=finding.visit.household.address[:200],
    )


@transaction.atomic
def topic_from_appeal(*, actor: Actor | User | AnonymousUser, unit: OrgUnit, appeal_number: str) -> Topic:
    """A 12345 appeal about a shared matter taken to the community's consultation."""
    appeal = Appeal.objects.filter(number=appeal_number.strip()).first()
    if appeal is None:
        raise ValidationFailed(_("工单号不存在。"), data={"appeal_number": appeal_number[:30]})
    return topic_raise(
        actor=actor,
        unit=unit,
        title=appeal.title[:100],
        text=appeal.content,
        source=Topic.Source.APPEAL,
        source_ref=str(appeal.number),
    )


@transaction.atomic
def topic_propose(
    *, actor: Actor | User | AnonymousUser, unit: OrgUnit, title: str, text: str, scope: str = Topic.Scope.COMMUNITY
) -> Topic:
    """A resident's proposal: collects signatures until the community's number joins (then raised)."""
    resolved = resolve(actor)
    if not resolved.is_authenticated:
        raise PermissionDenied()
    topic = _create(
        resolved, unit, title=title, body=text, source=Topic.Source.PROPOSAL, scope=scope, status=TopicStatus.COLLECTING
    )
    Signature.objects.create(topic=topic, user=resolved.user)
    return _admit_if_enough(topic)


def _admit_if_enough(topic: Topic) -> Topic:
    needed = _community(topic.unit).proposal_signatures
    if topic.status == TopicStatus.COLLECTING and topic.signatures.count() >= needed:
        transition(
            TRANSITIONS,
            topic,
            action=TopicAction.ADMIT,
            roles={SYSTEM},
            version=None,
            choices=TopicStatus,
            noun=_("议题"),
        )
    return topic


@transaction.atomic
def topic_sign(*, actor: Actor | User | AnonymousUser, topic_id: int) -> Topic:
    resolved = resolve(actor)
    if not resolved.is_authenticated:
        raise PermissionDenied()
    topic = Topic.objects.select_for_update().filter(pk=topic_id, source=Topic.Source.PROPOSAL).first()
    if topic is None:
        raise NotFound()
    if topic.status != TopicStatus.COLLECTING:
        raise ValidationFailed(_("该提议已停止征集联名。"))
    if topic.signatures.filter(user=resolved.user).exists():
        raise fail(errors.ALREADY_SIGNED)
    Signature.objects.create(topic=topic, user=resolved.user)
    return _admit_if_enough(topic)


def topic_get(actor: Actor, topic_id: int) -> tuple[Topic, set[str]]:
    topic = Topic.objects.select_related("unit", "path").filter(pk=topic_id).first()
    if topic is None:
        raise NotFound()
    return topic, table_roles(actor, topic.unit)


@transaction.atomic
def topic_accept(
    *, actor: Actor | User | AnonymousUser, topic_id: int, version: int, path_id: int | None = None
) -> Topic:
    """Take a raised topic onto a consultation path (the community's default unless another is chosen)."""
    resolved = resolve(actor)
    topic, roles = topic_get(resolved, topic_id)
    paths = ConsultPath.objects.filter(unit=topic.unit)
    path = paths.filter(pk=path_id).first() if path_id else paths.filter(is_default=True).first()
    if path is None or not path.steps.exists():
        raise fail(errors.NO_PATH)
    check_path_allows(topic, path.steps.select_related("body"))
    transition(
        TRANSITIONS,
        topic,
        action=TopicAction.ACCEPT,
        roles=roles,
        version=version,
        choices=TopicStatus,
        noun=_("议题"),
        path=path,
        step=1,
        owner=path.executor,
    )
    return topic


@transaction.atomic
def topic_decline(*, actor: Actor | User | AnonymousUser, topic_id: int, version: int, note: str) -> Topic:
    resolved = resolve(actor)
    topic, roles = topic_get(resolved, topic_id)
    transition(
        TRANSITIONS, topic, action=TopicAction.DECLINE, roles=roles, version=version, choices=TopicStatus, noun=_("议题"),
        note=note, outcome_note=(note or "").strip()[:NOTE_MAX_LENGTH],
    )  # fmt: skip
    return topic


@transaction.atomic
def document_revision_raise(
    *, actor: Actor | User | AnonymousUser, document_id: int, title: str, proposed_text: str, reason: str
) -> Topic:
    """A change to the rules of procedure or the compact goes through the same consultation."""
    document = RuleDocument.objects.select_related("unit").filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    return topic_raise(
        actor=actor,
        unit=document.unit,
        title=title,
        text=reason,
        document=document,
        proposed_text=clean_text(proposed_text, label=_("拟修订文本"), limit=50_000),
    )
