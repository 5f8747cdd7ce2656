"""Reads: suggestions (both ways), a volunteer's record, an organiser's hours to confirm, figures."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.core.registry import DashboardPanel
from huying.organisations.selectors import under_paths_q

from . import matching, skills, states
from .activity_models import Activity, Certificate, SignUp
from .extra_models import CallOut, Course, TrainingAttendance
from .models import Need, Station, Team, Volunteer
from .permissions import is_admin, organiser_paths

OPEN = (states.PUBLISHED, states.ESCALATED)


def _box(lat: float, lon: float, km: float) -> Q:
    dlat = km / matching.KM_PER_DEG_LAT
    dlon = km / (matching.KM_PER_DEG_LAT * math.cos(math.radians(lat)))
    return Q(latitude__range=(lat - dlat, lat + dlat), longitude__range=(lon - dlon, lon + dlon))


def _slot(need: Need) -> int:
    local = timezone.localtime(need.starts_at)
    return matching.slot_bit(local.weekday(), local.hour)


def wanted(need: Need) -> matching.Wanted:
    return matching.Wanted(frozenset(skills.decode(need.skills)), need.longitude, need.latitude, _slot(need))


def candidate(volunteer: Volunteer) -> matching.Candidate:
    return matching.Candidate(
        volunteer.pk, frozenset(skills.decode(volunteer.skills)), volunteer.longitude, volunteer.latitude,
        volunteer.availability,
    )  # fmt: skip


@dataclass
class Suggestion:
    volunteer: Volunteer
    score: float
    km: float


def suggest_volunteers(need: Need, k: int = 10) -> list[Suggestion]:
    """The k best volunteers for a need: the database narrows by place (indexed latitude, a box of
    MAX_KM) and skill, then the same score as the in-memory index ranks them."""
    want = wanted(need)
    skill_q = Q()
    for code in want.skills:
        skill_q |= Q(skills__contains=f"|{code}|")
    rows = Volunteer.objects.filter(_box(need.latitude, need.longitude, matching.MAX_KM), skill_q,
                                    status=Volunteer.Status.ACTIVE)  # fmt: skip
    if want.slot:
        rows = rows.extra(where=["(availability & %s) != 0"], params=[want.slot])
    by_id = {v.pk: v for v in rows}
    ranked = matching.brute_force(want, [candidate(v) for v in by_id.values()], k)
    return [
        Suggestion(
            by_id[key],
            s,
            matching.distance_km(need.longitude, need.latitude, by_id[key].longitude, by_id[key].latitude),
        )
        for key, s in ranked
    ]


def needs_for_volunteer(volunteer: Volunteer, k: int = 20) -> list[tuple[Need, float]]:
    """Open needs this volunteer could serve, best first (the same score, seen from the volunteer)."""
    me = candidate(volunteer)
    rows = Need.objects.filter(_box(volunteer.latitude, volunteer.longitude, matching.MAX_KM), status__in=OPEN,
                               ends_at__gt=timezone.now()).select_related("station")  # fmt: skip
    scored = [(need, matching.score(wanted(need), me)) for need in rows]
    ranked = sorted(((n, s) for n, s in scored if s is not None), key=lambda pair: (-pair[1], pair[0].pk))
    return ranked[:k]


def recruiting_activities(volunteer: Volunteer, k: int = 10) -> list[tuple[Activity, str]]:
    """Upcoming activities (not a need's service) near the volunteer, with their sign-up status if any."""
    rows = Activity.objects.filter(_box(volunteer.latitude, volunteer.longitude, matching.MAX_KM), need__isnull=True, capacity__gt=0,
                                   ends_at__gt=timezone.now()).order_by("starts_at", "id")[:k]  # fmt: skip
    mine = dict(SignUp.objects.filter(volunteer=volunteer, activity__in=rows).values_list("activity_id", "status"))
    return [(activity, mine.get(activity.pk, "")) for activity in rows]


def open_needs() -> QuerySet[Need]:
    return Need.objects.filter(status__in=OPEN).select_related("station").order_by("starts_at", "id")


def needs_of_requester(actor: Actor) -> QuerySet[Need]:
    if not actor.is_authenticated:
        return Need.objects.none()
    return Need.objects.filter(requester=actor.user).select_related("claimed_by", "station")


def need_for_requester(actor: Actor, need_id: int) -> Need | None:
    return needs_of_requester(actor).filter(pk=need_id).first()


def organised_activities(actor: Actor) -> QuerySet[Activity]:
    rows = Activity.objects.select_related("org_unit", "need")
    if is_admin(actor):
        return rows
    return rows.filter(under_paths_q(organiser_paths(actor), "org_unit__path"))


def hours_to_confirm(actor: Actor) -> QuerySet[SignUp]:
    return (
        SignUp.objects.filter(activity__in=organised_activities(actor), status__in=[states.ATTENDED, states.CONFIRMED])
        .select_related("activity", "volunteer")
        .order_by("status", "-signed_out_at")
    )


@dataclass
class Record:
    volunteer: Volunteer
    signups: list[SignUp]
    hours: Decimal
    stars: int
    trainings: list[TrainingAttendance]
    needs_served: list[Need]
    issuers: list[Any]
    certificates: list[Certificate]


def volunteer_record(volunteer: Volunteer) -> Record:
    signups = list(volunteer.signups.select_related("activity__org_unit").order_by("-activity__starts_at"))
    confirmed = [s for s in signups if s.status == states.CONFIRMED]
    hours = sum((s.hours or Decimal(0) for s in confirmed), Decimal(0))
    issuers = {s.activity.org_unit.pk: s.activity.org_unit for s in confirmed if s.hours}
    return Record(
        volunteer=volunteer, signups=signups, hours=hours, stars=skills.stars(hours),
        trainings=list(volunteer.trainings.select_related("course")),
        needs_served=list(volunteer.claimed_needs.filter(status=states.DONE)),
        issuers=list(issuers.values()), certificates=list(volunteer.certificates.select_related("issuer")),
    )  # fmt: skip


def figures() -> dict[str, Any]:
    """The dashboard's figures (the seeds' measures): teams, volunteers, projects, hours, needs..."""
    year_ago = timezone.now() - dt.timedelta(days=365)
    claimed = Need.objects.filter(claimed_at__isnull=False)
    pairs = claimed.values_list("claimed_at", "published_at")
    waits = [(done - start).total_seconds() / 3600 for done, start in pairs if done and start]
    confirmed = SignUp.objects.filter(status=states.CONFIRMED)
    return {
        "teams": Team.objects.count(),
        "stations": Station.objects.count(),
        "volunteers": Volunteer.objects.filter(status=Volunteer.Status.ACTIVE).count(),
        "active": confirmed.filter(activity__starts_at__gte=year_ago).values("volunteer").distinct().count(),
        "projects": Activity.objects.exclude(project=None).values("project").distinct().count(),
        "activities": Activity.objects.count(),
        "hours": confirmed.aggregate(total=Sum("hours"))["total"] or Decimal(0),
        "served": Need.objects.filter(status=states.DONE).count(),
        "needs": Need.objects.count(),
        "claimed": len(waits),
        "median_claim_hours": sorted(waits)[len(waits) // 2] if waits else None,
        "trained": TrainingAttendance.objects.count(),
        "courses": Course.objects.count(),
        "callouts": CallOut.objects.annotate(n=Count("invites")).count(),
    }


def dashboard_panel(actor: Actor) -> DashboardPanel | None:
    """Volunteering on the city dashboard: registered volunteers, hours served, needs met."""
    if not any(actor.has_role(r) for r in (Role.VOLUNTEER_ORG, Role.SUPERVISOR, Role.ADMIN)):
        return None
    f = figures()
    return DashboardPanel(
        title=_("志愿服务"),
        figures=(
            (_("在册志愿者"), f"{f['volunteers']:,}"),
            (_("服务时长（小时）"), f"{f['hours']:,.1f}"),
            (_("服务需求 / 已完成"), f"{f['needs']:,} / {f['served']:,}"),
        ),
        url=reverse("volunteers:figures"),
        order=20,
    )


def volunteer_by_ref(ref: str) -> Volunteer | None:
    """An active volunteer by 志愿者编号, or by phone where exactly one volunteer has it."""
    ref = (ref or "").strip()
    if not ref:
        return None
    active = Volunteer.objects.filter(status=Volunteer.Status.ACTIVE)
    found = active.filter(number=ref).first()
    if found is None:
        by_phone = list(active.filter(phone=ref)[:2])
        found = by_phone[0] if len(by_phone) == 1 else None
    return found
