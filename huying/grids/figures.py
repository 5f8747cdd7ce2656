"""Figures of grid work for the street and the district, computed from the records of the grids the
actor may see: events reported and closed by grid and street, visits due and done this month,
households by tag, each worker's load, the share handled on the spot (自行处置) and the on-site
verifications that failed (核查未通过).

An event is an appeal on the grid or visit channel whose point lies in the grid (or that came from a
visit finding in one of the grid's households).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.appeals.models import Appeal, AppealEvent
from huying.appeals.states import FINAL_STATUSES, Action
from huying.core.registry import DashboardPanel

from .cadence import month_end, month_start
from .map_layer import GRID_CHANNELS
from .models import Grid, GridStaff, GridVisitMonth, Household, Tag, VisitFinding
from .permissions import HOUSEHOLD_STAFF, resolve, visible_grids_q
from .spatial import grid_index
from .tasks_models import GridTaskAssignment


@dataclass(frozen=True)
class EventRow:
    label: str
    reported: int
    closed: int
    self_handled: int = 0  # closed on the spot by the grid worker (自行处置)
    verify_failed: int = 0  # on-site verifications that sent the case back to the unit (核查未通过)

    @property
    def closure_rate(self) -> float:
        return self.closed / self.reported if self.reported else 0.0

    @property
    def self_handled_rate(self) -> float:
        return self.self_handled / self.reported if self.reported else 0.0


@dataclass(frozen=True)
class VisitRow:
    label: str
    households: int
    due: int
    done: int


@dataclass(frozen=True)
class WorkerRow:
    name: str
    grid: str
    kind: str
    households: int
    visits_this_month: int
    open_tasks: int


@dataclass(frozen=True)
class GridFigures:
    by_grid: list[EventRow]
    by_street: list[EventRow]
    visits: list[VisitRow]
    tags: list[tuple[str, int]]
    workers: list[WorkerRow]

    @property
    def total(self) -> EventRow:
        rows = self.by_street
        return EventRow(
            "",
            sum(r.reported for r in rows),
            sum(r.closed for r in rows),
            sum(r.self_handled for r in rows),
            sum(r.verify_failed for r in rows),
        )


def events_by_grid(grid_ids: set[int]) -> dict[int, tuple[int, int]]:
    """(reported, closed) appeals on the grid and visit channels per grid."""
    reported: Counter[int] = Counter()
    closed: Counter[int] = Counter()
    index = grid_index()
    seen: set[int] = set()
    located = Appeal.objects.filter(
        channel__in=GRID_CHANNELS, latitude__isnull=False, longitude__isnull=False
    ).values_list("pk", "longitude", "latitude", "status")
    for pk, lon, lat, status in located.iterator():
        found = index.locate(float(lon or 0), float(lat or 0))
        if found is not None and found.id in grid_ids:
            reported[found.id] += 1
            closed[found.id] += status in FINAL_STATUSES
            seen.add(pk)
    findings = (
        VisitFinding.objects.filter(appeal__channel__in=GRID_CHANNELS, visit__household__grid_id__in=grid_ids)
        .exclude(appeal_id__in=seen)
        .values_list("appeal_id", "visit__household__grid_id", "appeal__status")
        .distinct()
    )
    for _pk, grid_id, status in findings:
        reported[grid_id] += 1
        closed[grid_id] += status in FINAL_STATUSES
    return {gid: (reported[gid], closed[gid]) for gid in reported}


def case_outcomes_by_grid(grids: list[Grid]) -> dict[int, tuple[int, int]]:
    """(handled on the spot, verifications failed) per grid, from the events of its appeals (grid_code)."""
    by_code = {g.code: g.pk for g in grids}
    rows = (
        AppealEvent.objects.filter(appeal__grid_code__in=by_code, action__in=(Action.SELF_HANDLE, Action.VERIFY_FAIL))
        .values_list("appeal__grid_code", "action")
        .annotate(n=Count("id"))
        .order_by()
    )
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for code, action, n in rows:
        found[by_code[code]][0 if action == Action.SELF_HANDLE else 1] += n
    return {gid: (a, b) for gid, (a, b) in found.items()}


def _street_of(grid: Grid) -> str:
    unit = grid.unit
    return unit.parent.name if unit.parent_id and unit.parent is not None else unit.name


def _visit_rows(grids: list[Grid], today: dt.date) -> list[VisitRow]:
    ids = [g.pk for g in grids]
    due = dict(
        Household.objects.filter(grid_id__in=ids, visit_due_on__lte=month_end(today))
        .values_list("grid_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    done = dict(
        GridVisitMonth.objects.filter(grid_id__in=ids, month=month_start(today)).values_list("grid_id", "visited")
    )
    return [VisitRow(g.name, g.household_count, due.get(g.pk, 0), done.get(g.pk, 0)) for g in grids]


def _worker_rows(ids: list[int], today: dt.date) -> list[WorkerRow]:
    posts = (
        GridStaff.objects.filter(grid_id__in=ids, kind__in=HOUSEHOLD_STAFF, valid_to__isnull=True)
        .select_related("grid")
        .annotate(
            n_households=Count("households", distinct=True),
            n_visits=Count("visits", filter=Q(visits__visited_at__date__gte=month_start(today)), distinct=True),
        )
        .order_by("grid__code", "name")
    )
    open_tasks = dict(
        GridTaskAssignment.objects.filter(claimed_by__in=posts, status=GridTaskAssignment.Status.CLAIMED)
        .values_list("claimed_by_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        WorkerRow(
            p.name,
            p.grid.name,
            p.get_kind_display(),
            p.n_households,  # type: ignore[attr-defined]
            p.n_visits,  # type: ignore[attr-defined]
            open_tasks.get(p.pk, 0),
        )
        for p in posts
    ]


def grid_figures_for(*, actor: Actor | User | AnonymousUser, today: dt.date | None = None) -> GridFigures:
    resolved = resolve(actor)
    assert resolved is not None
    today = today or timezone.localdate()
    grids = list(
        Grid.objects.filter(visible_grids_q(resolved), valid_to__isnull=True, level=Grid.Level.GRID)
        .select_related("unit__parent")
        .order_by("code")
    )
    ids = [g.pk for g in grids]
    events = events_by_grid(set(ids))
    outcomes = case_outcomes_by_grid(grids)
    by_grid = [EventRow(g.name, *events.get(g.pk, (0, 0)), *outcomes.get(g.pk, (0, 0))) for g in grids]
    streets: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for g, row in zip(grids, by_grid, strict=True):
        street = streets[_street_of(g)]
        for i, value in enumerate((row.reported, row.closed, row.self_handled, row.verify_failed)):
            street[i] += value
    tags = [
        (t.name, t.n)  # type: ignore[attr-defined]
        for t in Tag.objects.annotate(n=Count("households", filter=Q(households__grid_id__in=ids))).order_by("sort")
    ]
    return GridFigures(
        by_grid=by_grid,
        by_street=[EventRow(name, *values) for name, values in sorted(streets.items())],
        visits=_visit_rows(grids, today),
        tags=tags,
        workers=_worker_rows(ids, today),
    )


__all__ = ["EventRow", "GridFigures", "VisitRow", "WorkerRow", "dashboard_panel", "grid_figures_for"]


def dashboard_panel(actor: Actor) -> DashboardPanel | None:
    """The grids on the city dashboard: events reported and closed, handled on the spot, visits done."""
    if not (actor.has_role(Role.SUPERVISOR) or actor.has_role(Role.ADMIN)):
        return None
    f = grid_figures_for(actor=actor)
    reported = sum(r.reported for r in f.by_grid)
    closed = sum(r.closed for r in f.by_grid)
    on_spot = sum(r.self_handled for r in f.by_grid)
    due, done = sum(v.due for v in f.visits), sum(v.done for v in f.visits)
    return DashboardPanel(
        title=_("网格化服务管理"),
        figures=(
            (_("网格事件"), f"{reported:,}"),
            (_("已办结"), f"{closed:,}"),
            (_("网格员自行处置"), f"{on_spot:,}"),
            (_("本月应走访 / 已走访"), f"{due:,} / {done:,}"),
        ),
        url=reverse("grids:figures"),
        order=10,
    )
