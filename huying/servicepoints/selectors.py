"""Reads for the public map (百事通地图): the points as GeoJSON, "nearest that handles X", a point's
items with their guides, the divisions' outlines, and the register's figures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from huying.catalogue.models import ServiceItem
from huying.core.errors import ValidationFailed

from . import errors
from .geocoding import geocode, places
from .models import PointItem, ProxyCase, ServicePoint
from .spatial import check_in_area, point_index
from .states import CENTRE_KINDS, Kind

BAND_KM = 3.0  # the 家门口 band: a centre within 3 km


@dataclass(frozen=True)
class Origin:
    longitude: float
    latitude: float
    label: str


@dataclass(frozen=True)
class Nearby:
    point: ServicePoint
    km: float
    modes: tuple[str, ...]

    @property
    def within_band(self) -> bool:
        return self.km <= BAND_KM


def item_for(code: str) -> ServiceItem | None:
    code = (code or "").strip()[:40]
    if not code:
        return None
    item = ServiceItem.objects.filter(code=code, is_active=True).first()
    if item is None:
        raise ValidationFailed(_("事项编码不存在或已停用。"), code=errors.UNKNOWN_ITEM, data={"item": code})
    return item


def origin_from(*, lon: Any = None, lat: Any = None, address: str = "") -> Origin | None:
    """Where to search from: the browser's location, else a typed address from the local table."""
    if lon not in (None, "") and lat not in (None, ""):
        lon_f, lat_f = check_in_area(lon, lat)
        return Origin(lon_f, lat_f, _("您的位置"))
    if (address or "").strip():
        place = geocode(address)
        lon_f, lat_f = check_in_area(place.longitude, place.latitude)
        return Origin(lon_f, lat_f, place.full)
    return None


def _modes(entry: PointItem | None) -> tuple[str, ...]:
    if entry is None:
        return ()
    labels = ((entry.accepts, _("受理")), (entry.guides, _("指导")), (entry.proxies, _("代办")))
    return tuple(str(label) for on, label in labels if on)


def nearest(origin: Origin, *, kind: str = "", item: ServiceItem | None = None, k: int = 5) -> list[Nearby]:
    """The ``k`` active points nearest to ``origin`` (of ``kind``, handling ``item``), nearest first."""
    found = point_index(kind=kind, item_code=item.code if item else "").nearest(origin.longitude, origin.latitude, k)
    points = ServicePoint.objects.in_bulk([f.id for f in found])
    entries: dict[int, PointItem] = {}
    if item is not None:
        entries = {e.point_id: e for e in PointItem.objects.filter(point_id__in=points, item=item)}
    return [Nearby(points[f.id], round(f.km, 2), _modes(entries.get(f.id))) for f in found if f.id in points]


def layer(*, kind: str = "", item: ServiceItem | None = None) -> dict[str, Any]:
    """Active points as a GeoJSON FeatureCollection (public fields only)."""
    q = Q(is_active=True)
    if kind:
        q &= Q(kind=kind)
    if item is not None:
        q &= Q(items__item=item)
    rows = ServicePoint.objects.filter(q).distinct().order_by("code")
    features = [
        {
            "type": "Feature",
            "id": p.code,
            "geometry": {"type": "Point", "coordinates": [p.longitude, p.latitude]},
            "properties": {
                "code": p.code,
                "name": p.name,
                "kind": p.kind,
                "kind_label": str(p.get_kind_display()),
                "address": p.address,
                "hours": p.hours,
                "phone": p.contact_phone,
            },
        }
        for p in rows
    ]
    return {"type": "FeatureCollection", "features": features}


def outlines() -> dict[str, Any]:
    """The divisions' outlines drawn under the points: the current 党建示范区 and grids, when grid
    management is installed (their names and shapes only)."""
    if not apps.is_installed("huying.grids"):
        return {"type": "FeatureCollection", "features": []}
    from huying.grids.models import Grid

    rows = Grid.objects.filter(valid_to__isnull=True).values_list("code", "name", "level", "boundary").order_by("code")
    features = [
        {"type": "Feature", "id": code, "geometry": boundary, "properties": {"name": name, "level": level}}
        for code, name, level, boundary in rows
    ]
    return {"type": "FeatureCollection", "features": features}


def point_items(point: ServicePoint) -> list[PointItem]:
    return list(
        PointItem.objects.filter(point=point, item__is_active=True).select_related("item").order_by("item__code")
    )


def items_offered() -> list[tuple[str, str]]:
    """(code, name) of every active item some active point handles, for the map's item filter."""
    rows = (
        ServiceItem.objects.filter(
            is_active=True, id__in=PointItem.objects.filter(point__is_active=True).values("item_id")
        )
        .order_by("name")
        .values_list("code", "name")
    )
    return list(rows)


def coverage() -> dict[str, Any]:
    """Points by kind and the share of people (weighted by the local table's populations) living
    within 3 km of a centre (a township centre, a 党群服务中心 or a village station)."""
    by_kind = dict(ServicePoint.objects.filter(is_active=True).values_list("kind").annotate(n=Count("id")))
    kinds = [(str(label), by_kind.get(value, 0)) for value, label in Kind.choices]
    people = [p for p in places() if p.population > 0]
    total = sum(p.population for p in people)
    covered = 0
    uncovered: list[tuple[str, float]] = []
    indexes = [point_index(kind=kind) for kind in sorted(CENTRE_KINDS)]
    for place in people:
        near = [f.km for index in indexes for f in index.nearest(place.longitude, place.latitude)]
        km = min(near) if near else None
        if km is not None and km <= BAND_KM:
            covered += place.population
        else:
            uncovered.append((place.full, round(km, 1) if km is not None else -1))
    return {
        "kinds": kinds,
        "points": sum(by_kind.values()),
        "people": total,
        "covered": covered,
        "share": round(covered / total, 3) if total else None,
        "uncovered": uncovered,
        "by_level": Counter(ServicePoint.objects.filter(is_active=True).values_list("level", flat=True)),
    }


def case_timeline(case: ProxyCase, *, public: bool = True) -> list[dict[str, Any]]:
    """The filing's steps at the centre and at the window, in the order they happened."""
    window = {
        "receive": _("办件已送达窗口收件"),
        "accept": _("窗口已受理"),
        "reject": _("不予受理"),
        "approve": _("审批通过"),
        "refuse": _("不予许可"),
        "issue": _("窗口已出件"),
        "close": _("办结"),
    }
    centre = {
        "file": _("服务站代办提交"),
        "return": _("结果已送回服务站"),
        "collect": _("居民已领取"),
        "deliver": _("已送达居民家中"),
    }
    events = case.application.events.filter(action__in=window)
    if public:
        events = events.filter(is_public=True)
    # The centre's steps first, so that at one moment the filing comes before the window's receipt.
    steps = [{"at": e.created_at, "label": centre.get(e.action, e.action), "note": e.note} for e in case.events.all()]
    steps += [{"at": e.created_at, "label": window[e.action], "note": ""} for e in events]
    return sorted(steps, key=lambda step: step["at"])
