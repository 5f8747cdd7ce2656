"""Reads of applications, scoped by who is asking. Missing and forbidden look the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.core.errors import NotFound
from huying.core.registry import RatedAct
from huying.core.workdays import WorkCalendar
from huying.organisations.selectors import under_paths_q

from .models import Application, ApplicationEvent, ApplicationMaterial, Project, ReviewTask
from .permissions import sees_all, visible_applications_q
from .states import DECIDED_STATUSES, MaterialStatus, Status, TaskStatus, event_label, status_label

FIGURE_ROLES = (Role.HALL_MANAGER, Role.SUPERVISOR, Role.ADMIN)


def visible_applications(actor: Actor) -> QuerySet[Application]:
    return Application.objects.filter(visible_applications_q(actor)).select_related("unit", "item", "bundle")


def application_get(actor: Actor, number: str) -> Application:
    found = (
        visible_applications(actor)
        .select_related("proxy", "project", "agent", "applicant_user")
        .filter(number=str(number or "")[:24])
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def applications_of(user: Any) -> QuerySet[Application]:
    """The citizen's own applications and those they filed as an agent."""
    return (
        Application.objects.filter(Q(applicant_user=user) | Q(agent=user))
        .select_related("unit", "item", "bundle")
        .order_by("-received_at", "-pk")
    )


def reviewer_tasks(actor: Actor) -> QuerySet[ReviewTask]:
    """Tasks open for the reviewer's units (active; with the application in review or in a
    special procedure)."""
    paths = actor.unit_paths(Role.REVIEWER)
    if not paths:
        return ReviewTask.objects.none()
    return (
        ReviewTask.objects.filter(under_paths_q(paths), status=TaskStatus.ACTIVE)
        .filter(application__status__in=[Status.IN_REVIEW, Status.SPECIAL_PROCEDURE])
        .select_related("application", "unit", "application__unit")
        .order_by("due_at", "pk")
    )


def issue_queue() -> QuerySet[Application]:
    """Decided applications waiting at the unified window (统一出件)."""
    return (
        Application.objects.filter(status__in=[Status.APPROVED, Status.REFUSED])
        .select_related("unit", "item", "bundle")
        .order_by("issue_due_at", "pk")
    )


def clerk_queue() -> QuerySet[Application]:
    """Applications the window still has to act on: received, awaiting correction, accepted."""
    return (
        Application.objects.filter(
            status__in=[Status.RECEIVED, Status.CORRECTION_REQUESTED, Status.ACCEPTED, Status.ACCEPTED_WITH_PROMISE]
        )
        .select_related("unit", "item", "bundle")
        .order_by("received_at", "pk")
    )


@dataclass(frozen=True)
class TimelineRow:
    action: str
    label: str
    at: dt.datetime
    actor: str
    unit: str
    status_label: str
    note: str
    details: list[str]


def timeline(application: Application, *, staff: bool) -> list[TimelineRow]:
    events = ApplicationEvent.objects.filter(application=application).select_related("actor", "actor_unit")
    if not staff:
        events = events.filter(is_public=True)
    rows = []
    for e in events.order_by("created_at", "pk"):
        details: list[str] = []
        data = e.data or {}
        if data.get("items"):
            details.append(_("需补正：%(items)s") % {"items": "、".join(str(i) for i in data["items"])})
        if data.get("days") and data.get("approved_by"):
            days = int(data["days"])
            details.append(
                ngettext("经负责人批准延长 %(n)d 个工作日", "经负责人批准延长 %(n)d 个工作日", days) % {"n": days}
            )
        if data.get("due_at"):
            due = timezone.localtime(dt.datetime.fromisoformat(data["due_at"])).strftime("%Y-%m-%d")
            details.append(_("承诺办结时间：%(date)s") % {"date": due})
        if data.get("name") and data.get("file"):
            details.append(_("材料：%(name)s（%(file)s）") % {"name": data["name"], "file": data["file"]})
        if data.get("name") and data.get("unit"):
            details.append(f"{data['unit']} · {data['name']}")
        if data.get("identifier"):
            details.append(_("电子证照 %(identifier)s") % {"identifier": data["identifier"]})
        if data.get("tracking_number"):
            details.append(_("快递单号 %(number)s") % {"number": data["tracking_number"]})
        if data.get("result"):
            details.append(_("结果：%(result)s") % {"result": data["result"]})
        actor = ""
        if e.actor is not None and staff:
            actor = str(e.actor)
        rows.append(
            TimelineRow(
                action=e.action,
                label=event_label(e.action),
                at=e.created_at,
                actor=actor,
                unit=e.actor_unit.name if e.actor_unit is not None else "",
                status_label=status_label(e.to_status),
                note=e.note,
                details=details,
            )
        )
    return rows


def projects_for(actor: Actor) -> QuerySet[Project]:
    qs = Project.objects.annotate(n=Count("applications")).select_related("butler")
    if sees_all(actor):
        return qs
    return qs.filter(butler=actor.user)


def project_get(actor: Actor, pk: int) -> Project:
    found = projects_for(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


# --- figures --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    start: dt.date
    end: dt.date
    received: int
    accepted: int
    decided: int
    approved: int
    refused: int
    rejected: int
    corrections: int
    on_time: int
    on_time_pct: float | None
    avg_workdays: float | None
    overdue_open: int
    materials_e_licence: int
    materials_paper: int
    e_licence_pct: float | None
    by_unit: list[dict[str, Any]]


def figures(*, start: dt.date, end: dt.date) -> Figures:
    """Counts for applications received in [start, end] (local dates)."""
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min), tz)
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), tz)
    apps = Application.objects.filter(received_at__gte=lo, received_at__lt=hi)
    agg = apps.aggregate(
        received=Count("pk"),
        accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
        decided=Count("pk", filter=Q(decided_at__isnull=False)),
        approved=Count("pk", filter=Q(decision="approved")),
        refused=Count("pk", filter=Q(decision="refused")),
        rejected=Count("pk", filter=Q(status=Status.REJECTED)),
        on_time=Count("pk", filter=Q(decided_at__isnull=False, is_on_time=True)),
        overdue_open=Count("pk", filter=Q(is_overdue=True) & ~Q(status__in=DECIDED_STATUSES)),
    )
    used = [u for u in apps.values_list("workdays_used", flat=True) if u is not None]
    mats = ApplicationMaterial.objects.filter(application__in=apps).aggregate(
        e=Count("pk", filter=Q(status=MaterialStatus.E_LICENCE)),
        paper=Count("pk", filter=Q(status=MaterialStatus.PROVIDED)),
    )
    held = mats["e"] + mats["paper"]
    by_unit = list(
        apps.values("unit__name")
        .annotate(
            received=Count("pk"),
            decided=Count("pk", filter=Q(decided_at__isnull=False)),
            on_time=Count("pk", filter=Q(decided_at__isnull=False, is_on_time=True)),
        )
        .order_by("-received", "unit__name")
    )
    corrections = apps.filter(notices__isnull=False).distinct().count()
    return Figures(
        start=start,
        end=end,
        corrections=corrections,
        on_time_pct=round(agg["on_time"] * 100 / agg["decided"], 1) if agg["decided"] else None,
        avg_workdays=round(sum(used) / len(used), 1) if used else None,
        materials_e_licence=mats["e"],
        materials_paper=mats["paper"],
        e_licence_pct=round(mats["e"] * 100 / held, 1) if held else None,
        by_unit=by_unit,
        **agg,
    )


# --- 好差评 -----------------------------------------------------------------------------------


def _rated(application: Application) -> RatedAct:
    assert application.issued_at is not None
    return RatedAct(
        kind="application",
        ref=application.number or "",
        title=application.title,  # the pages show the kind (办件) and the number beside it
        unit_id=application.unit_id,
        rater_user_id=application.applicant_user_id,
        rater_phone=application.applicant_phone,
        occurred_at=application.issued_at,
        served_by=frozenset(
            pk
            for pk in (
                application.received_by_id,
                application.accepted_by_id,
                application.agent_id,
                *application.tasks.values_list("reviewer_id", flat=True),
            )
            if pk is not None
        ),
    )


def application_act(ref: str) -> RatedAct | None:
    """An issued (出件) application as a rateable act; None when unknown or not yet issued."""
    application = (
        Application.objects.filter(number=str(ref or "")[:24], status__in=[Status.ISSUED, Status.CLOSED])
        .exclude(issued_at__isnull=True)
        .first()
    )
    return _rated(application) if application is not None else None


def application_samples(limit: int) -> list[RatedAct]:
    return [
        _rated(a)
        for a in Application.objects.filter(
            status__in=[Status.ISSUED, Status.CLOSED], issued_at__isnull=False
        ).order_by("-issued_at")[: max(int(limit), 0)]
    ]


def workdays_left(application: Application, *, now: dt.datetime | None = None) -> int | None:
    if application.due_at is None:
        return None
    now = now or timezone.now()
    cal = WorkCalendar()
    today, due = timezone.localtime(now).date(), timezone.localtime(application.due_at).date()
    if due < today:
        return -cal.workdays_between(due, today)
    return cal.workdays_between(today, due)
