"""The street map's layer: each current grid as a GeoJSON feature with its open cases and overdue
visits. An appeal's grid is found from its point through the grid index (appeals keep no grid of their
own); an appeal made from a visit finding counts in the household's grid even without a point."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.utils import timezone

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.appeals.models import Appeal
from huying.appeals.states import OPEN_STATUSES, Channel

from .models import Grid, Household, VisitFinding
from .permissions import resolve, visible_grids_q
from .spatial import grid_index

GRID_CHANNELS = (Channel.GRID, Channel.VISIT)


def open_cases_by_grid(grid_ids: set[int]) -> Counter[int]:
    """Open appeals on the grid and visit channels per grid (located by point, else by the finding)."""
    counts: Counter[int] = Counter()
    index = grid_index()
    seen: set[int] = set()
    located = Appeal.objects.filter(
        channel__in=GRID_CHANNELS, status__in=OPEN_STATUSES, latitude__isnull=False, longitude__isnull=False
    ).values_list("pk", "longitude", "latitude")
    for pk, lon, lat in located.iterator():
        found = index.locate(float(lon or 0), float(lat or 0))
        if found is not None and found.id in grid_ids:
            counts[found.id] += 1
            seen.add(pk)
    from_findings = (
        VisitFinding.objects.filter(
            appeal__channel__in=GRID_CHANNELS, appeal__status__in=OPEN_STATUSES, visit__household__grid_id__in=grid_ids
        )
        .exclude(appeal_id__in=seen)
        .values_list("appeal_id", "visit__household__grid_id")
        .distinct()
    )
    for _appeal_id, grid_id in from_findings:
        counts[grid_id] += 1
    return counts


def overdue_visits_by_grid(grid_ids: set[int]) -> dict[int, int]:
    today = timezone.localdate()
    rows = (
        Household.objects.filter(grid_id__in=grid_ids, visit_due_on__lt=today)
        .values("grid_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["grid_id"]: row["n"] for row in rows}


def grid_layer_for(*, actor: Actor | User | AnonymousUser) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the current grids the actor may see, with the figures the map colours by."""
    resolved = resolve(actor)
    assert resolved is not None
    grids = list(
        Grid.objects.filter(visible_grids_q(resolved), valid_to__isnull=True, level=Grid.Level.GRID)
        .select_related("unit")
        .order_by("code")
    )
    ids = {g.pk for g in grids}
    cases = open_cases_by_grid(ids)
    overdue = overdue_visits_by_grid(ids)
    features = [
        {
            "type": "Feature",
            "id": grid.code,
            "geometry": grid.boundary,
            "properties": {
                "code": grid.code,
                "name": grid.name,
                "unit": grid.unit.name,
                "households": grid.household_count,
                "open_cases": cases.get(grid.pk, 0),
                "overdue_visits": overdue.get(grid.pk, 0),
            },
        }
        for grid in grids
    ]
    return {"type": "FeatureCollection", "features": features}
