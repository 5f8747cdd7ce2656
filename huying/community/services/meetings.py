"""Meetings of a body on a topic: notice in advance, attendance with the quorum checked, opinions,
votes by members only, and the tally that drafts a proposal, decides the topic or declines it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.core.errors import NotFound, ValidationFailed
from huying.core.statemachine import NOTE_MAX_LENGTH, clean_note

from .. import errors, procedure
from ..models import Attendance, DocumentVersion, Meeting, Member, Option, PathStep, Topic, Vote
from ..permissions import current_members, resolve, table_roles
from ..rules import ASSEMBLIES
from ..states import (
    MEETING_TRANSITIONS,
    SYSTEM,
    TRANSITIONS,
    MeetingAction,
    MeetingStatus,
    TopicAction,
    TopicStatus,
)
from .common import fail, text, transition

OPEN_MEETINGS = (MeetingStatus.NOTIFIED, MeetingStatus.IN_SESSION)


def check_path_allows(topic: Topic, steps: Iterable[PathStep]) -> None:
    """An Art. 24 matter may only be decided by the villagers' meeting or its representatives."""
    if not topic.statutory_matter:
        return
    if any(s.purpose == PathStep.Purpose.DECIDE and s.body.kind not in ASSEMBLIES for s in steps):
        raise fail(errors.NEEDS_ASSEMBLY)


@transaction.atomic
def meeting_schedule(
    *,
    actor: Actor | User | AnonymousUser,
    topic_id: int,
    held_at: dt.datetime,
    notice: str,
    options: list[str],
    place: str = "",
    notified_at: dt.datetime | None = None,
) -> Meeting:
    """Notify the members of the current step's body of a meeting on the topic, with the options to vote on."""
    resolved = resolve(actor)
    topic = Topic.objects.select_for_update(of=("self",)).select_related("unit", "path").filter(pk=topic_id).first()
    if topic is None:
        raise NotFound()
    roles = table_roles(resolved, topic.unit)
    if topic.status != TopicStatus.DELIBERATING or topic.path is None:
        raise ValidationFailed(_("议题尚未进入协商议事，不能安排会议。"))
    step = topic.path.steps.select_related("body").filter(order=topic.step).first()
    if step is None:
        raise fail(errors.NO_PATH)
    check_path_allows(topic, [step])
    if topic.meetings.filter(step=topic.step, status__in=OPEN_MEETINGS).exists():
        raise fail(errors.MEETING_PENDING)
    notified_at = notified_at or timezone.now()
    if notified_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationFailed(_("通知时间不能晚于当前时间。"))
    if held_at < notified_at + dt.timedelta(days=topic.path.notice_days):
        raise fail(errors.NOTICE_TOO_LATE, notice_days=topic.path.notice_days)
    cleaned = [text(o, label=_("表决方案"), limit=500) for o in options if (o or "").strip()]
    if not cleaned:
        raise ValidationFailed(_("请至少填写一个表决方案。"), data={"options": _("请填写表决方案。")})
    del roles  # checked above: staff or supervisory members of the unit record meetings
    meeting = Meeting.objects.create(
        topic=topic,
        step=topic.step,
        body=step.body,
        purpose=step.purpose,
        held_at=held_at,
        place=text(place, label=_("地点"), limit=100, required=False),
        notified_at=notified_at,
        notice=text(notice, label=_("通知内容"), limit=NOTE_MAX_LENGTH),
        members_count=current_members(step.body).count(),
    )
    Option.objects.bulk_create([Option(meeting=meeting, text=o) for o in cleaned])
    Option.objects.create(meeting=meeting, text=_("不同意"), rejects=True)
    return meeting


def _meeting(actor: Actor, meeting_id: int) -> tuple[Meeting, set[str]]:
    meeting = Meeting.objects.select_related("topic__unit", "topic__path", "body").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound()
    return meeting, table_roles(actor, meeting.topic.unit)


def _members(meeting: Meeting, member_ids: Iterable[int]) -> dict[int, Member]:
    wanted = set(member_ids)
    found = {m.pk: m for m in current_members(meeting.body).filter(pk__in=wanted)}
    if wanted - set(found):
        raise fail(errors.NOT_A_MEMBER)
    return found


@transaction.atomic
def meeting_open(
    *, actor: Actor | User | AnonymousUser, meeting_id: int, version: int, present: Iterable[int]
) -> Meeting:
    """Record who came; refused (nothing written) unless the body's quorum is met."""
    resolved = resolve(actor)
    meeting, roles = _meeting(resolved, meeting_id)
    came = _members(meeting, present)
    members = list(current_members(meeting.body))
    if not procedure.quorum_met(meeting.body.rule, len(members), len(came)):
        needed = procedure.quorum_needed(meeting.body.rule, len(members))
        raise fail(errors.NO_QUORUM, members=len(members), present=len(came), needed=needed)
    transition(
        MEETING_TRANSITIONS, meeting, action=MeetingAction.OPEN, roles=roles, version=version,
        choices=MeetingStatus, noun=_("会议"), members_count=len(members), present_count=len(came),
    )  # fmt: skip
    Attendance.objects.bulk_create([Attendance(meeting=meeting, member=m, present=m.pk in came) for m in members])
    return meeting


def _check_votes(meeting: Meeting, votes: Mapping[int, int | None]) -> dict[int, Member]:
    if meeting.status != MeetingStatus.IN_SESSION:
        raise ValidationFailed(_("会议不在进行中，不能表决。"))
    members = _members(meeting, votes)
    present = set(meeting.attendance.filter(present=True).values_list("member_id", flat=True))
    if set(members) - present:
        raise fail(errors.NOT_PRESENT)
    options = set(meeting.options.values_list("pk", flat=True))
    if {o for o in votes.values() if o is not None} - options:
        raise fail(errors.UNKNOWN_OPTION)
    return members


def _write_votes(meeting: Meeting, votes: Mapping[int, int | None], opinions: Mapping[int, str]) -> None:
    for member_id, option_id in votes.items():
        Vote.objects.update_or_create(meeting=meeting, member_id=member_id, defaults={"option_id": option_id})
    for member_id, opinion in opinions.items():
        cleaned = clean_note(opinion)
        if cleaned:
            Attendance.objects.filter(meeting=meeting, member_id=member_id).update(opinion=cleaned)


@transaction.atomic
def meeting_record_votes(
    *,
    actor: Actor | User | AnonymousUser,
    meeting_id: int,
    votes: Mapping[int, int | None],
    opinions: Mapping[int, str] | None = None,
) -> Meeting:
    """The clerk records the show of hands or the ballots: member id → option id (None: abstained)."""
    resolved = resolve(actor)
    meeting, _roles = _meeting(resolved, meeting_id)
    opinions = opinions or {}
    _check_votes(meeting, {**dict.fromkeys(opinions), **votes})
    _write_votes(meeting, votes, opinions)
    return meeting


@transaction.atomic
def meeting_cast(
    *, actor: Actor | User | AnonymousUser, meeting_id: int, option_id: int | None, opinion: str = ""
) -> Meeting:
    """A member votes for themselves; anyone who is not a current member of the body is refused."""
    resolved = resolve(actor)
    meeting = Meeting.objects.select_related("body", "topic").filter(pk=meeting_id).first()
    if meeting is None or not resolved.is_authenticated:
        raise NotFound()
    seat = current_members(meeting.body).filter(user=resolved.user).first()
    if seat is None:
        raise fail(errors.NOT_A_MEMBER)
    _check_votes(meeting, {seat.pk: option_id})
    _write_votes(meeting, {seat.pk: option_id}, {seat.pk: opinion} if opinion else {})
    return meeting


@transaction.atomic
def meeting_close(*, actor: Actor | User | AnonymousUser, meeting_id: int, version: int, minutes: str = "") -> Meeting:
    """Tally the votes against the body's rule: the adopted option drafts the proposal (a deliberating
    step), decides the topic (the deciding step) or declines it (不同意); none adopted: nothing decided."""
    resolved = resolve(actor)
    meeting, roles = _meeting(resolved, meeting_id)
    choices = list(meeting.votes.values_list("option_id", flat=True))
    result = procedure.tally(meeting.body.rule, meeting.members_count, meeting.present_count, choices)
    adopted = meeting.options.filter(pk=result.adopted).first() if result.adopted else None
    transition(
        MEETING_TRANSITIONS, meeting, action=MeetingAction.CLOSE, roles=roles, version=version,
        choices=MeetingStatus, noun=_("会议"), adopted=adopted, minutes=clean_note(minutes),
    )  # fmt: skip
    if adopted is not None:
        _advance(meeting, adopted)
    return meeting


def _advance(meeting: Meeting, adopted: Option) -> None:
    topic = Topic.objects.select_for_update().get(pk=meeting.topic_id)
    last = topic.path.steps.aggregate(last=Max("order"))["last"] if topic.path else 0
    noun = _("议题")
    if adopted.rejects:
        transition(
            TRANSITIONS, topic, action=TopicAction.REJECT, roles={SYSTEM}, version=None, choices=TopicStatus,
            noun=noun, outcome_note=meeting.minutes or adopted.text,
        )  # fmt: skip
    elif meeting.purpose == PathStep.Purpose.DECIDE or meeting.step >= (last or 0):
        resolution = adopted.text + (f"\n{meeting.minutes}" if meeting.minutes else "")
        transition(
            TRANSITIONS, topic, action=TopicAction.DECIDE, roles={SYSTEM}, version=None, choices=TopicStatus,
            noun=noun, resolution=resolution, decided_at=timezone.now(),
        )  # fmt: skip
        _adopt_document(topic)
        from .board import publication_for_topic

        publication_for_topic(topic)
    else:
        Topic.objects.filter(pk=topic.pk).update(proposal=adopted.text, step=meeting.step + 1)


def _adopt_document(topic: Topic) -> None:
    if topic.document_id is None or not topic.proposed_text:
        return
    latest = DocumentVersion.objects.filter(document_id=topic.document_id).aggregate(n=Max("number"))["n"] or 0
    DocumentVersion.objects.create(
        document_id=topic.document_id, number=latest + 1, text=topic.proposed_text, topic=topic,
        adopted_at=timezone.now(),
    )  # fmt: skip
