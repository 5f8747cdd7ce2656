"""Finding the grid of a point through an STRtree over the current grids (docs/adr/0013-grids.md).

The index is built once per process from the current grids and kept until the grid layer
changes: a cheap aggregate (count and max(updated_at) of current grids) is compared at most
every ``HUYING_GRID_INDEX_RECHECK_SECONDS`` seconds, and the grid services force a recheck in
their own process after every write.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import shapely
from django.conf import settings
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from huying.core.errors import ValidationFailed

from . import errors
from .geometry import OVERLAP_EPSILON_M2, overlap_m2, to_wgs84
from .models import Crs, Grid


@dataclass(frozen=True)
class LocatedGrid:
    """What a lookup answers with, without a database query: fetch the Grid by ``id`` when needed."""

    id: int
    code: str
    name: str
    unit_id: int


class GridIndex:
    """An STRtree over grid boundaries; ``locate`` answers from the tree and prepared geometries."""

    def __init__(self, refs: list[LocatedGrid], geoms: list[BaseGeometry]) -> None:
        self.refs = refs
        self.geoms = geoms
        self.tree = shapely.STRtree(geoms)
        shapely.prepare(geoms)

    def __len__(self) -> int:
        return len(self.refs)

    def locate(self, lon: float, lat: float) -> LocatedGrid | None:
        """The grid that covers the point (interior or border); on a border shared by two grids,
        the one with the lower code, so the answer never depends on build order."""
        hits = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        if len(hits) == 1:
            return self.refs[int(hits[0])]
        return min((self.refs[int(i)] for i in hits), key=lambda ref: ref.code)

    def overlaps(self, geom: BaseGeometry, *, ignore: set[str] | None = None) -> list[tuple[LocatedGrid, float]]:
        """Indexed grids sharing more than OVERLAP_EPSILON_M2 with ``geom`` (codes in ``ignore`` skipped)."""
        found = []
        for i in self.tree.query(geom, predicate="intersects"):
            ref = self.refs[int(i)]
            if ignore and ref.code in ignore:
                continue
            shared = overlap_m2(geom, self.geoms[int(i)])
            if shared > OVERLAP_EPSILON_M2:
                found.append((ref, shared))
        return found


def build_index(rows: list[tuple[int, str, str, int, dict[str, Any]]]) -> GridIndex:
    refs = [LocatedGrid(id=r[0], code=r[1], name=r[2], unit_id=r[3]) for r in rows]
    geoms = [shape(r[4]) for r in rows]
    return GridIndex(refs, geoms)


def current_grids(level: str = Grid.Level.GRID) -> Any:
    return Grid.objects.filter(valid_to__isnull=True, level=level)


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: tuple[Any, ...] | None = None
        self.index: GridIndex | None = None
        self.checked_at = 0.0


_cache = _Cache()


def _layer_key() -> tuple[Any, ...]:
    agg = current_grids().aggregate(n=Count("id"), latest=Max("updated_at"))
    return (agg["n"], agg["latest"])


def grid_index() -> GridIndex:
    """The index of current grids, rebuilt only when the layer changed since it was built."""
    recheck = float(getattr(settings, "HUYING_GRID_INDEX_RECHECK_SECONDS", 5))
    now = time.monotonic()
    index = _cache.index
    if index is not None and now - _cache.checked_at < recheck:
        return index
    with _cache.lock:
        key = _layer_key()
        if _cache.index is None or key != _cache.key:
            rows = list(current_grids().values_list("id", "code", "name", "unit_id", "boundary"))
            _cache.index = build_index(rows)
            _cache.key = key
        _cache.checked_at = time.monotonic()
        return _cache.index


def grid_index_invalidate() -> None:
    """Make the next lookup in this process compare the layer key (called by every grid write)."""
    _cache.checked_at = 0.0


def grid_locate(lon: float, lat: float, *, crs: str = Crs.WGS84) -> LocatedGrid:
    """The current grid a point lies in, or ValidationFailed(outside_grids) when it lies in none.

    ``crs`` says what the caller's coordinates are: a browser's geolocation gives WGS-84, a pin
    dropped on a domestic map gives GCJ-02.
    """
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        raise ValidationFailed(_("经纬度应为数字。"), data={"longitude": lon, "latitude": lat}) from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationFailed(_("经纬度超出范围。"), data={"longitude": lon, "latitude": lat})
    lon, lat = to_wgs84(lon, lat, crs)
    found = grid_index().locate(lon, lat)
    if found is None:
        raise ValidationFailed(
            _("该位置（经度 %(lon).6f，纬度 %(lat).6f）不在任何现行网格内，请核对位置或联系街道网格中心。")
            % {"lon": lon, "lat": lat},
            code=errors.OUTSIDE_GRIDS,
            data={"longitude": lon, "latitude": lat},
        )
    return found
