"""Reads of self-governance: a community's workbench, its publication duties with their warnings,
and its public notice board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from huying.accounts.selectors import Actor
from huying.core.errors import NotFound
from huying.core.workdays import WorkCalendar

from . import schedule
from .models import (
    CatalogueItem,
    CommunityProfile,
    Demand,
    MemberAppraisal,
    Objection,
    Posting,
    Publication,
    Rectification,
    Survey,
    Topic,
)
from .permissions import is_staff_of
from .services.board import needs_repost, objection_window
from .states import PublicationStatus, RectificationStatus, TopicStatus


def profile_public(slug: str) -> CommunityProfile:
    found = CommunityProfile.objects.select_related("unit").filter(slug=slug).first()
    if found is None:
        raise NotFound()
    return found


def profile_for_staff(actor: Actor, slug: str) -> CommunityProfile:
    profile = profile_public(slug)
    if not is_staff_of(actor, profile.unit):
        raise NotFound()
    return profile


def topics_by_status(profile: CommunityProfile) -> dict[str, list[Topic]]:
    grouped: dict[str, list[Topic]] = {status: [] for status in TopicStatus.values}
    for topic in Topic.objects.filter(unit=profile.unit).select_related("path").order_by("-raised_at")[:300]:
        grouped[topic.status].append(topic)
    return grouped


def duties(profile: CommunityProfile, today: dt.date | None = None) -> list[schedule.Duty]:
    """Each periodic catalogue item's last whole period (due after it ends), and the event items in the
    four steps, with their state: ok, due soon (warn), overdue, done or late."""
    today = today or timezone.localdate()
    cal = WorkCalendar()
    found: list[schedule.Duty] = []
    pubs = Publication.objects.filter(unit=profile.unit).select_related("item")
    for item in CatalogueItem.objects.filter(is_active=True):
        if not schedule.is_periodic(item.cadence):
            continue
        start, end = schedule.period_before(item.cadence, today)
        due = schedule.due_date(cal, item.grace_workdays, end)
        pub = pubs.filter(item=item, period_start=start).order_by("first_published_at").first()
        published = timezone.localtime(pub.first_published_at).date() if pub and pub.first_published_at else None
        state = schedule.state(cal, due, today, item.warn_workdays, published)
        found.append(schedule.Duty(item.pk, item.name, item.cadence, start, end, due, state, pub.pk if pub else None))
    for pub in pubs.filter(first_published_at__isnull=True).exclude(item__cadence__in=("monthly", "quarterly")):
        state = schedule.state(cal, pub.due_on, today, pub.item.warn_workdays, None)
        found.append(
            schedule.Duty(pub.item_id, pub.title, pub.item.cadence, pub.period_start, pub.period_end, pub.due_on, state, pub.pk)
        )  # fmt: skip
    order = {schedule.OVERDUE: 0, schedule.DUE_SOON: 1, schedule.OK: 2, schedule.LATE: 3, schedule.DONE: 4}
    return sorted(found, key=lambda d: (order[d.state], d.due_on))


def pipeline(profile: CommunityProfile) -> QuerySet[Publication]:
    return (
        Publication.objects.filter(unit=profile.unit)
        .exclude(status=PublicationStatus.ARCHIVED)
        .select_related("item")
        .order_by("due_on", "id")
    )


def own_findings(actor: Actor) -> list[Any]:
    """The open findings of visits the actor made as a grid worker or liaison member (党员问事)."""
    if not apps.is_installed("huying.grids"):
        raise NotFound()
    from huying.grids.models import VisitFinding
    from huying.grids.permissions import HOUSEHOLD_STAFF, current_posts

    posts = current_posts(actor, HOUSEHOLD_STAFF)
    if not posts:
        raise NotFound()
    taken = set(Topic.objects.filter(source=Topic.Source.VISIT).values_list("source_ref", flat=True))
    findings = (
        VisitFinding.objects.filter(visit__visitor__in=posts, outcome=VisitFinding.Outcome.OPEN)
        .select_related("visit__household__grid__unit")
        .order_by("-visit__visited_at")[:100]
    )
    return [f for f in findings if f"VF{f.pk}" not in taken]


@dataclass
class BoardEntry:
    publication: Publication
    posting: Posting | None
    objection_until: dt.date | None
    objections: list[Objection]
    repost: bool


@dataclass
class Board:
    profile: CommunityProfile
    entries: list[BoardEntry]
    surveys: list[Survey]
    rectifications: list[Rectification]
    appraisals: list[MemberAppraisal]
    proposals: list[Topic]
    demands: list[Demand]
    today: dt.date


def public_board(profile: CommunityProfile) -> Board:
    """What the physical board shows, and its archive of results: what a phone or a printout reads."""
    cal = WorkCalendar()
    current = Publication.objects.filter(unit=profile.unit, status=PublicationStatus.PUBLISHED).select_related("item")
    current = current.prefetch_related(
        Prefetch("postings", queryset=Posting.objects.filter(removed_at__isnull=True), to_attr="up"),
        Prefetch("objections", queryset=Objection.objects.order_by("raised_at"), to_attr="listed"),
    ).order_by("item__sort", "-published_at")
    entries = [
        BoardEntry(p, p.up[0] if p.up else None, objection_window(p, cal), p.listed, not p.up and needs_repost(p))
        for p in current
    ]
    surveys = list(
        Survey.objects.filter(unit=profile.unit, closed_at__isnull=False).select_related("body", "topic")[:20]
    )
    return Board(
        profile=profile,
        entries=entries,
        surveys=surveys,
        rectifications=list(Rectification.objects.filter(unit=profile.unit).select_related("survey")[:20]),
        appraisals=list(
            MemberAppraisal.objects.filter(member__body__unit=profile.unit)
            .select_related("member__body")
            .order_by("-year", "member__body", "member")[:60]
        ),
        proposals=list(Topic.objects.filter(unit=profile.unit, status=TopicStatus.COLLECTING)[:20]),
        demands=list(Demand.objects.filter(unit=profile.unit, duty_at__isnull=True)[:20]),
        today=timezone.localdate(),
    )


def open_rectifications(profile: CommunityProfile) -> QuerySet[Rectification]:
    return Rectification.objects.filter(unit=profile.unit).exclude(status=RectificationStatus.CLOSED)


def survey_context(actor: Actor, survey_id: int) -> dict[str, Any]:
    survey = Survey.objects.select_related("unit", "body", "topic", "rerates").filter(pk=survey_id).first()
    if survey is None:
        raise NotFound()
    staff = is_staff_of(actor, survey.unit)
    mine = survey.sample.filter(user=actor.user).first() if actor.is_authenticated else None
    if not staff and mine is None:
        raise NotFound()
    entries = list(survey.sample.select_related("rating"))
    rect = Rectification.objects.filter(survey=survey).first()
    return {"survey": survey, "staff": staff, "mine": mine, "entries": entries, "rect": rect}
