"""Nearest service points through a shapely STRtree (docs/adr/0027-service-points.md), never a scan.

The index itself (nearest.py) ranks the tree's candidates by great-circle distance.

An index holds a subset (all points, one kind, the points handling one item); each subset's index is
built once per process and kept until the register changes (a count and max(updated_at) compared at
most every ``HUYING_POINT_INDEX_RECHECK_SECONDS`` seconds; the register's services force a recheck).
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from huying.core.errors import ValidationFailed

from . import errors
from .models import ServicePoint
from .nearest import EARTH_RADIUS_KM, KM_PER_DEGREE, Found, PointIndex, haversine_km, haversine_many_km

__all__ = [
    "EARTH_RADIUS_KM",
    "KM_PER_DEGREE",
    "Found",
    "PointIndex",
    "check_in_area",
    "haversine_km",
    "haversine_many_km",
    "point_index",
    "point_index_invalidate",
]
# The deployment's area (min lon, min lat, max lon, max lat), WGS-84; the default is Shandong.
DEFAULT_AREA = (114.8, 34.3, 122.8, 38.5)


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
