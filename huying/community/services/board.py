"""The notice board: publications through the four steps (山东省村务公开条例 Art. 11), every version
kept, postings kept at least five days (Art. 13), objections within five days and answers within
five days (Art. 16), and residents' demands that become a duty (Art. 8)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.core.errors import NotFound, PermissionDenied, ValidationFailed
from huying.core.statemachine import NOTE_MAX_LENGTH, versioned_update
from huying.core.workdays import WorkCalendar
from huying.organisations.models import OrgUnit

from .. import conf, errors, schedule
from ..models import (
    Body,
    CatalogueItem,
    CommunityProfile,
    Demand,
    DemandSupport,
    Objection,
    Posting,
    Publication,
    PublicationVersion,
    Topic,
)
from ..permissions import current_members, current_seats, resolve, table_roles
from ..rules import CONSULTATION_ITEM, DEMANDED_ITEM
from ..states import PUBLICATION_TRANSITIONS, PublicationAction, PublicationStatus
from .common import fail, local_date, text, transition


def _due(item: CatalogueItem, day: dt.date, cal: WorkCalendar | None = None) -> tuple[dt.date, dt.date, dt.date]:
    start, end = schedule.period_containing(item.cadence, day)
    return start, end, schedule.due_date(cal or WorkCalendar(), item.grace_workdays, end)


@transaction.atomic
def publication_create(
    *,
    actor: Actor | User | AnonymousUser,
    unit: OrgUnit,
    item_code: str,
    title: str,
    body: str,
    period: dt.date | None = None,
) -> Publication:
    """Step 1: the committee plans a publication of a catalogue item for the period around ``period``."""
    resolved = resolve(actor)
    if "community_staff" not in table_roles(resolved, unit):
        raise PermissionDenied()
    item = CatalogueItem.objects.filter(code=item_code, is_active=True).first()
    if item is None:
        raise ValidationFailed(_("公开目录中没有该事项。"), data={"item": item_code[:20]})
    return _create(unit, item, title, body, period or local_date(), resolved.user)


def _create(
    unit: OrgUnit, item: CatalogueItem, title: str, body: str, period: dt.date, user: Any, topic: Topic | None = None
) -> Publication:
    start, end, due = _due(item, period)
    return Publication.objects.create(
        unit=unit, item=item, period_start=start, period_end=end, due_on=due, topic=topic,
        title=text(title, label=_("标题"), limit=100), body=text(body, label=_("公开内容"), limit=50_000),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )  # fmt: skip


def publication_for_topic(topic: Topic) -> Publication:
    """A decided topic's process and result must be published (Art. 7(九)): the draft is planned at once."""
    existing = topic.publications.first()
    if existing is not None:
        return existing
    item = CatalogueItem.objects.get(code=CONSULTATION_ITEM)
    meetings = "\n".join(
        f"{m.held_at:%Y-%m-%d} {m.body.name}：应到{m.members_count}人，实到{m.present_count}人。"
        for m in topic.meetings.filter(status="closed").select_related("body")
    )
    body = f"{topic.text}\n\n【议事过程】\n{meetings}\n\n【决议】\n{topic.resolution}"
    return _create(topic.unit, item, f"议题公开：{topic.title}"[:100], body, local_date(), topic.raised_by, topic)


def _publication(actor: Actor, publication_id: int) -> tuple[Publication, set[str]]:
    found = Publication.objects.select_related("unit", "item").filter(pk=publication_id).first()
    if found is None:
        raise NotFound()
    return found, table_roles(actor, found.unit)


@transaction.atomic
def publication_edit(
    *, actor: Actor | User | AnonymousUser, publication_id: int, version: int, title: str, body: str
) -> Publication:
    resolved = resolve(actor)
    publication, roles = _publication(resolved, publication_id)
    if "community_staff" not in roles:
        raise PermissionDenied()
    if publication.status != PublicationStatus.DRAFT:
        raise ValidationFailed(_("只有拟订中的方案可以修改；已公开的请先选择「修订后重新公开」。"))
    versioned_update(
        Publication.objects.filter(pk=publication.pk), expected_version=version,
        title=text(title, label=_("标题"), limit=100), body=text(body, label=_("公开内容"), limit=50_000),
    )  # fmt: skip
    publication.refresh_from_db()
    return publication


@transaction.atomic
def publication_act(
    *, actor: Actor | User | AnonymousUser, publication_id: int, version: int, action: str, note: str = ""
) -> Publication:
    """Steps 2–4 and after: submit, pass or object (监委会), approve (联席会议), publish, revise, archive."""
    resolved = resolve(actor)
    publication, roles = _publication(resolved, publication_id)
    now = timezone.now()
    fields: dict[str, object] = {}
    if action in (PublicationAction.PASS, PublicationAction.OBJECT):
        fields = {"reviewed_at": now, "review_note": (note or "").strip()[:NOTE_MAX_LENGTH]}
    elif action == PublicationAction.APPROVE:
        fields = {"approved_at": now}
    elif action == PublicationAction.PUBLISH:
        fields = {"published_at": now, "first_published_at": publication.first_published_at or now}
    elif action == PublicationAction.ARCHIVE:
        _check_posted_long_enough(publication, now)
    elif action not in PublicationAction.values:
        raise ValidationFailed(_("操作无效。"))
    transition(
        PUBLICATION_TRANSITIONS, publication, action=action, roles=roles, version=version,
        choices=PublicationStatus, noun=_("公开事项"), note=note, **fields,
    )  # fmt: skip
    if action == PublicationAction.PUBLISH:
        _post(publication, resolved, now)
    elif action == PublicationAction.ARCHIVE:
        Posting.objects.filter(publication=publication, removed_at__isnull=True).update(
            removed_at=now, reason=_("期满归档")
        )
    return publication


def _post(publication: Publication, actor: Actor, now: dt.datetime) -> None:
    latest = publication.versions.aggregate(n=Max("number"))["n"] or 0
    PublicationVersion.objects.create(
        publication=publication, number=latest + 1, title=publication.title, body=publication.body,
        published_at=now, author=actor.user if actor.is_authenticated else None,
    )  # fmt: skip
    Posting.objects.filter(publication=publication, removed_at__isnull=True).update(
        removed_at=now, reason=_("新版本替换")
    )
    location = CommunityProfile.objects.filter(unit=publication.unit).values_list("board_location", flat=True).first()
    Posting.objects.create(publication=publication, location=location or "", posted_at=now)


def _current_posting(publication: Publication) -> Posting:
    posting = publication.postings.filter(removed_at__isnull=True).order_by("-posted_at").first()
    if posting is None:
        raise fail(errors.NOT_POSTED)
    return posting


def _check_posted_long_enough(publication: Publication, now: dt.datetime) -> None:
    posting = _current_posting(publication)
    if now - posting.posted_at < dt.timedelta(days=conf.posting_days()):
        raise fail(errors.POSTED_TOO_SHORT, posted_at=posting.posted_at.isoformat())


@transaction.atomic
def posting_take_down(
    *, actor: Actor | User | AnonymousUser, publication_id: int, came_down: bool = False, reason: str = ""
) -> Posting:
    """Record that the posting is off the board: refused before five days unless it came down by itself
    (then it must be put up again, ``posting_repost``)."""
    resolved = resolve(actor)
    publication, roles = _publication(resolved, publication_id)
    if "community_staff" not in roles:
        raise PermissionDenied()
    posting = _current_posting(publication)
    now = timezone.now()
    if not came_down:
        _check_posted_long_enough(publication, now)
    posting.removed_at, posting.came_down = now, came_down
    posting.reason = text(reason, label=_("说明"), limit=200, required=came_down)
    posting.save(update_fields=["removed_at", "came_down", "reason"])
    return posting


def needs_repost(publication: Publication) -> bool:
    """Published, off the board, and its last posting came down before five days."""
    if publication.status != PublicationStatus.PUBLISHED:
        return False
    last = publication.postings.order_by("-posted_at").first()
    if last is None or last.removed_at is None:
        return False
    return last.came_down and last.removed_at - last.posted_at < dt.timedelta(days=conf.posting_days())


@transaction.atomic
def posting_repost(*, actor: Actor | User | AnonymousUser, publication_id: int) -> Posting:
    resolved = resolve(actor)
    publication, roles = _publication(resolved, publication_id)
    if "community_staff" not in roles:
        raise PermissionDenied()
    if not needs_repost(publication):
        raise ValidationFailed(_("该公开内容无须重新张贴。"))
    location = CommunityProfile.objects.filter(unit=publication.unit).values_list("board_location", flat=True).first()
    return Posting.objects.create(publication=publication, location=location or "", posted_at=timezone.now())


def objection_window(publication: Publication, cal: WorkCalendar | None = None) -> dt.date | None:
    """The last day residents may object to the version on the board (None before publication)."""
    if publication.published_at is None:
        return None
    return schedule.window_end(cal or WorkCalendar(), local_date(publication.published_at), conf.objection_days())


@transaction.atomic
def objection_raise(
    *, actor: Actor | User | AnonymousUser, publication_id: int, text_: str, name: str = ""
) -> Objection:
    resolved = resolve(actor)
    if not resolved.is_authenticated:
        raise PermissionDenied()
    publication = Publication.objects.filter(pk=publication_id, status=PublicationStatus.PUBLISHED).first()
    if publication is None:
        raise NotFound()
    cal = WorkCalendar()
    today = local_date()
    last_day = objection_window(publication, cal)
    if last_day is None or today > last_day:
        raise fail(errors.OBJECTION_WINDOW_CLOSED)
    display = getattr(resolved.user, "display_name", "") or resolved.user.get_username()
    return Objection.objects.create(
        publication=publication, user=resolved.user, name=(name or display)[:40],
        text=text(text_, label=_("异议内容"), limit=NOTE_MAX_LENGTH), raised_at=timezone.now(),
        answer_due=schedule.window_end(cal, today, conf.objection_days()),
    )  # fmt: skip


@transaction.atomic
def objection_answer(
    *, actor: Actor | User | AnonymousUser, objection_id: int, answer: str, late_reason: str = ""
) -> Objection:
    """The committee's answer: within five days, or after with a recorded reason."""
    resolved = resolve(actor)
    objection = Objection.objects.select_for_update().filter(pk=objection_id).first()
    if objection is None:
        raise NotFound()
    _publication_found, roles = _publication(resolved, objection.publication_id)
    if "community_staff" not in roles:
        raise PermissionDenied()
    if objection.answered_at is not None:
        raise fail(errors.ALREADY_ANSWERED)
    reason = text(late_reason, label=_("逾期原因"), limit=200, required=False)
    if local_date() > objection.answer_due and not reason:
        raise fail(errors.ANSWER_LATE_NO_REASON, answer_due=objection.answer_due.isoformat())
    objection.answer = text(answer, label=_("答复"), limit=NOTE_MAX_LENGTH)
    objection.answered_at, objection.late_reason, objection.answered_by = timezone.now(), reason, resolved.user
    objection.save(update_fields=["answer", "answered_at", "late_reason", "answered_by"])
    return objection


def demand_thresholds(unit: OrgUnit) -> tuple[int, int]:
    """(residents needed, representatives needed): 1/10 of adult villagers, 1/5 of representatives."""
    profile = CommunityProfile.objects.filter(unit=unit).first()
    adults = profile.adult_residents if profile else 0
    reps = sum(current_members(b).count() for b in Body.objects.filter(unit=unit, kind=Body.Kind.REPRESENTATIVES))
    return max(1, math.ceil(adults / 10)), max(1, math.ceil(reps / 5)) if reps else 0


@transaction.atomic
def demand_support(
    *, actor: Actor | User | AnonymousUser, unit: OrgUnit, text_: str = "", demand_id: int | None = None
) -> Demand:
    """Start a demand (with ``text_``) or join one (``demand_id``); a duty once the thresholds are met."""
    resolved = resolve(actor)
    if not resolved.is_authenticated or not CommunityProfile.objects.filter(unit=unit).exists():
        raise NotFound()
    if demand_id is None:
        demand = Demand.objects.create(unit=unit, text=text(text_, label=_("要求公开的事项"), limit=300))
    else:
        found = Demand.objects.select_for_update().filter(pk=demand_id, unit=unit).first()
        if found is None:
            raise NotFound()
        demand = found
    if demand.supporters.filter(user=resolved.user).exists():
        raise fail(errors.ALREADY_SUPPORTED)
    is_rep = bool(current_seats(resolved, unit, Body.Kind.REPRESENTATIVES))
    DemandSupport.objects.create(demand=demand, user=resolved.user, is_representative=is_rep)
    residents, reps = demand_thresholds(unit)
    count = demand.supporters.count()
    rep_count = demand.supporters.filter(is_representative=True).count()
    if demand.duty_at is None and (count >= residents or (reps and rep_count >= reps)):
        item = CatalogueItem.objects.get(code=DEMANDED_ITEM)
        publication = _create(unit, item, demand.text[:100], demand.text, local_date(), None)
        Demand.objects.filter(pk=demand.pk).update(duty_at=timezone.now(), publication=publication)
        demand.refresh_from_db()
    return demand
