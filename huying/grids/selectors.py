"""Reads for grid management. Every read of households or residents is scoped to the actor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from huying.accounts.models import User
from huying.accounts.selectors import Actor, actor_for
from huying.core.errors import NotFound
from huying.core.masking import mask_id_number, mask_name, mask_phone

from .cadence import is_overdue, month_end, month_start
from .models import Grid, GridStaff, GridVisitMonth, Household, Resident
from .permissions import HOUSEHOLD_STAFF, current_posts, visible_grids_q, visible_households_q


def household_list_for(*, actor: Actor | User | AnonymousUser, grid_id: int | None = None) -> QuerySet[Household]:
    qs = Household.objects.filter(visible_households_q(actor_for(actor))).select_related("grid", "liaison")
    return qs.filter(grid_id=grid_id) if grid_id is not None else qs


def household_get_for(*, actor: Actor | User | AnonymousUser, household_id: int) -> Household:
    """The household if the actor may see it; NotFound otherwise (missing and forbidden look the same)."""
    found = household_list_for(actor=actor).filter(pk=household_id).first()
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class ResidentView:
    """A resident as shown in lists: name, ID number and phone masked."""

    id: int
    name: str
    relation: str
    id_number: str
    phone: str
    birth_date: dt.date | None


def resident_list_for(*, actor: Actor | User | AnonymousUser, household_id: int) -> list[ResidentView]:
    """The household's members, masked (full values only through ``resident_reveal_personal_data``)."""
    household = household_get_for(actor=actor, household_id=household_id)
    return [
        ResidentView(
            id=r.pk,
            name=mask_name(r.name),
            relation=r.get_relation_display(),
            id_number=mask_id_number(r.id_number),
            phone=mask_phone(r.phone),
            birth_date=r.birth_date,
        )
        for r in Resident.objects.filter(household=household)
    ]


def resident_get_for(*, actor: Actor | User | AnonymousUser, resident_id: int) -> Resident:
    found = Resident.objects.filter(visible_households_q(actor_for(actor), "household__"), pk=resident_id).first()
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class DueVisit:
    household: Household
    due_on: dt.date
    is_overdue: bool


def visits_due_for(
    *, actor: Actor | User | AnonymousUser, today: dt.date | None = None, only_mine: bool = False
) -> list[DueVisit]:
    """Households in the actor's grids due for a visit by the end of this month, most urgent first.

    ``only_mine``: a liaison member's own linked households only. Overdue ones (due date passed)
    are flagged so the member and their grid leader see them first.
    """
    resolved = actor_for(actor)
    today = today or timezone.localdate()
    qs = household_list_for(actor=resolved).filter(visit_due_on__lte=month_end(today))
    if only_mine:
        qs = qs.filter(liaison__in=[post.pk for post in current_posts(resolved, HOUSEHOLD_STAFF)])
    return [
        DueVisit(household=h, due_on=h.visit_due_on, is_overdue=is_overdue(h.visit_due_on, today))
        for h in qs.order_by("visit_due_on", "pk")
        if h.visit_due_on is not None
    ]


def overdue_by_liaison(*, grid: Grid, today: dt.date | None = None) -> dict[int | None, int]:
    """Overdue households per liaison member of a grid (for the grid leader's list); None = unassigned."""
    today = today or timezone.localdate()
    rows = (
        Household.objects.filter(grid=grid, visit_due_on__lt=today)
        .values("liaison_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["liaison_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class Coverage:
    households: int
    visited: int

    @property
    def ratio(self) -> float:
        return self.visited / self.households if self.households else 0.0


def visit_coverage(*, month: dt.date | None = None, grid_ids: list[int] | None = None) -> Coverage:
    """Households whose latest visit falls in the month, over all households: two sums over grids.

    Both figures are kept by the services (``Grid.household_count``, ``GridVisitMonth``), so this
    reads one row per grid, never the households or the visits. For the current month it is the
    month's coverage; for a past month, households whose latest visit was then.
    """
    month = month_start(month or timezone.localdate())
    grids = Grid.objects.all()
    counters = GridVisitMonth.objects.filter(month=month)
    if grid_ids is not None:
        grids = grids.filter(pk__in=grid_ids)
        counters = counters.filter(grid_id__in=grid_ids)
    households = grids.aggregate(n=Sum("household_count"))["n"] or 0
    visited = counters.aggregate(n=Sum("visited"))["n"] or 0
    return Coverage(households=households, visited=visited)


def visit_coverage_for(*, actor: Actor | User | AnonymousUser, month: dt.date | None = None) -> Coverage:
    grid_ids = list(Grid.objects.filter(visible_grids_q(actor_for(actor))).values_list("pk", flat=True))
    return visit_coverage(month=month, grid_ids=grid_ids)


@dataclass(frozen=True)
class NoticeCard:
    """The public 网格公示牌 (滨州市社会治理网格化服务管理条例 Art. 6: name, area, 网格员 and phone, 监督电话)."""

    grid: Grid
    area_km2: float
    workers: list[GridStaff]
    liaisons: list[GridStaff]
    informants: list[GridStaff]


def grid_notice_card(*, code: str, today: dt.date | None = None) -> NoticeCard:
    """Public: anyone may read a current grid's card. NotFound for an unknown or retired code."""
    today = today or timezone.localdate()
    grid = Grid.objects.filter(code=code, valid_to__isnull=True).select_related("unit").first()
    if grid is None:
        raise NotFound()
    staff = list(
        GridStaff.objects.filter(grid=grid, valid_from__lte=today).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=today)
        )
    )
    by_kind: dict[str, list[GridStaff]] = {}
    for person in staff:
        by_kind.setdefault(person.kind, []).append(person)
    return NoticeCard(
        grid=grid,
        area_km2=round(grid.area_m2 / 1_000_000, 3),
        workers=by_kind.get(GridStaff.Kind.FULL_TIME, []) + by_kind.get(GridStaff.Kind.PART_TIME, []),
        liaisons=by_kind.get(GridStaff.Kind.LIAISON, []),
        informants=by_kind.get(GridStaff.Kind.DEPUTY, []) + by_kind.get(GridStaff.Kind.CPPCC, []),
    )
