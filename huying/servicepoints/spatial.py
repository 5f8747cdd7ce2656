"""Nearest service points through a shapely STRtree (docs/adr/0027-service-points.md), never a scan.

Points are indexed in an equirectangular plane (x = longitude·cos φ₀, y = latitude, φ₀ the mean
latitude of the points). The tree's nearest point in that plane gives a radius; every point the tree
finds within that radius (widened by the plane's largest scale error over the indexed latitudes) is
ranked by great-circle distance, so the answer is the true nearest by straight-line distance on the
ground, not the plane's.

An index holds a subset (all points, one kind, the points handling one item); each subset's index is
built once per process and kept until the register changes (a count and max(updated_at) compared at
most every ``HUYING_POINT_INDEX_RECHECK_SECONDS`` seconds; the register's services force a recheck).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from huying.core.errors import ValidationFailed

from . import errors
from .models import ServicePoint

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
# The deployment's area (min lon, min lat, max lon, max lat), WGS-84; the default is Shandong.
DEFAULT_AREA = (114.8, 34.3, 122.8, 38.5)


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_many_km(lon: float, lat: float, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    p1, p2 = np.radians(lat), np.radians(lats)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def service_area() -> tuple[float, float, float, float]:
    area = getattr(settings, "HUYING_SERVICE_AREA", None) or DEFAULT_AREA
    return (float(area[0]), float(area[1]), float(area[2]), float(area[3]))


def check_in_area(lon: Any, lat: Any) -> tuple[float, float]:
    """Coordinates as floats inside the deployment's area, or ValidationFailed with the reason."""
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        raise ValidationFailed(_("经纬度应为数字。"), data={"longitude": _("经纬度应为数字。")}) from None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValidationFailed(_("经纬度应为数字。"), data={"longitude": _("经纬度应为数字。")})
    min_lon, min_lat, max_lon, max_lat = service_area()
    if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
        message = _("该位置（经度 %(lon).4f，纬度 %(lat).4f）不在本平台服务区域内，请核对坐标。") % {
            "lon": lon,
            "lat": lat,
        }
        raise ValidationFailed(message, code=errors.OUTSIDE_AREA, data={"longitude": message})
    return lon, lat


@dataclass(frozen=True)
class Found:
    id: int
    km: float


class PointIndex:
    """An STRtree over points; ``nearest`` answers from the tree, ranking a few candidates on the sphere."""

    def __init__(self, ids: Sequence[int], lons: Sequence[float], lats: Sequence[float]) -> None:
        self.ids = np.asarray(ids, dtype=np.int64)
        self.lons = np.asarray(lons, dtype=float)
        self.lats = np.asarray(lats, dtype=float)
        self.lat0 = float(self.lats.mean()) if len(self.lats) else 36.0
        self.scale = math.cos(math.radians(self.lat0))
        # The plane's largest relative error in east-west distance over the indexed latitudes (±1°).
        if len(self.lats):
            lo, hi = float(self.lats.min()) - 1, float(self.lats.max()) + 1
            worst = max(abs(math.cos(math.radians(v)) / self.scale - 1) for v in (lo, hi, self.lat0))
        else:
            worst = 0.0
        self.slack = 1 + worst + 0.01
        self.tree = shapely.STRtree(shapely.points(self.lons * self.scale, self.lats))

    def __len__(self) -> int:
        return len(self.ids)

    def nearest(self, lon: float, lat: float, k: int = 1) -> list[Found]:
        """The ``k`` points nearest to (lon, lat) on the ground, nearest first."""
        if not len(self.ids):
            return []
        query = shapely.Point(lon * self.scale, lat)
        _hit, distance = self.tree.query_nearest(query, return_distance=True)
        radius = float(distance[0]) * self.slack + 1e-9
        while True:
            hits = self.tree.query(query, predicate="dwithin", distance=radius)
            km = haversine_many_km(lon, lat, self.lons[hits], self.lats[hits])
            order = np.argsort(km, kind="stable")
            # Points outside the radius are at least this far on the ground.
            sure = radius / self.slack * KM_PER_DEGREE
            found = [Found(int(self.ids[hits[i]]), float(km[i])) for i in order[:k]]
            if len(found) >= min(k, len(self.ids)) and (
                not found or found[-1].km <= sure or len(hits) == len(self.ids)
            ):
                return found
            radius *= 2


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: tuple[Any, ...] | None = None
        self.indexes: dict[tuple[str, str], PointIndex] = {}
        self.checked_at = 0.0


_cache = _Cache()
_MAX_SUBSETS = 256


def _layer_key() -> tuple[Any, ...]:
    agg = ServicePoint.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return (agg["n"], agg["latest"])


def _build(kind: str, item_code: str) -> PointIndex:
    q = Q(is_active=True)
    if kind:
        q &= Q(kind=kind)
    if item_code:
        q &= Q(items__item__code=item_code)
    rows = list(ServicePoint.objects.filter(q).distinct().values_list("id", "longitude", "latitude").order_by("id"))
    return PointIndex([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])


def point_index(*, kind: str = "", item_code: str = "") -> PointIndex:
    """The index of active points of ``kind`` handling ``item_code`` (either may be blank: all)."""
    recheck = float(getattr(settings, "HUYING_POINT_INDEX_RECHECK_SECONDS", 5))
    now = time.monotonic()
    subset = (kind, item_code)
    if now - _cache.checked_at < recheck and subset in _cache.indexes:
        return _cache.indexes[subset]
    with _cache.lock:
        if now - _cache.checked_at >= recheck:
            key = _layer_key()
            if key != _cache.key:
                _cache.indexes.clear()
                _cache.key = key
            _cache.checked_at = time.monotonic()
        index = _cache.indexes.get(subset)
        if index is None:
            if len(_cache.indexes) >= _MAX_SUBSETS:
                _cache.indexes.clear()
            index = _cache.indexes[subset] = _build(kind, item_code)
        return index


def point_index_invalidate() -> None:
    """Make the next lookup in this process compare the register's key (called by every write)."""
    _cache.checked_at = 0.0
