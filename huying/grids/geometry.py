"""Grid boundaries as geometry: checking GeoJSON, coordinate systems, areas and overlaps (shapely).

Boundaries are stored as GeoJSON in WGS-84 (RFC 7946 §4: GeoJSON coordinates are WGS-84
longitude, latitude). Maps served inside China (AMap, Tencent, Baidu's base layer) draw in
GCJ-02, the offset system that 测绘法 and the surveying authority's rules require for published
maps; a boundary digitised on such a map is converted to WGS-84 on the way in and the source
system is recorded. The conversion is the widely used public approximation (as in the
eviltransform and coordtransform libraries); the inverse is iterative and good to about a
centimetre, far inside the precision of a drawn grid boundary.
"""

from __future__ import annotations

import math
from typing import Any

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from huying.core.errors import ValidationFailed

from . import errors
from .models import Crs

# Two grids whose boundaries share more than this area overlap. Shared borders digitised by two
# people rarely coincide exactly; a slither under one square metre is not an overlap.
OVERLAP_EPSILON_M2 = 1.0
# WGS-84 ellipsoid.
_A = 6378137.0
_E2 = 0.00669437999014
# GCJ-02 uses Krasovsky 1940 constants.
_GCJ_A = 6378245.0
_GCJ_EE = 0.00669342162296594323


def _bad(message: str, **data: Any) -> ValidationFailed:
    return ValidationFailed(message, code=errors.INVALID_GEOMETRY, data=data)


def _check_ranges(coords: Any) -> None:
    """Longitudes within ±180 and latitudes within ±90 (catches swapped or projected coordinates)."""
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        if len(coords) < 2:
            raise _bad(_("坐标点至少应有经度和纬度两个数。"))
        lon, lat = coords[0], coords[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise _bad(
                _("坐标（%(lon)s, %(lat)s）超出经纬度范围：应为经度在前、纬度在后的十进制度数。")
                % {"lon": lon, "lat": lat}
            )
        return
    if not isinstance(coords, (list, tuple)):
        raise _bad(_("坐标格式不正确。"))
    for part in coords:
        _check_ranges(part)


def parse_boundary(value: Any, *, crs: str = Crs.WGS84) -> BaseGeometry:
    """A GeoJSON Polygon/MultiPolygon (dict, a Feature, or its JSON text) as a valid WGS-84 shapely geometry.

    Raises ValidationFailed (invalid_geometry) naming what is wrong: not a polygon, coordinates out
    of range, self-intersecting rings, an empty or zero-area shape.
    """
    import json

    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _bad(_("边界不是有效的 GeoJSON 文本。")) from None
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise _bad(_("边界应为 GeoJSON 的 Polygon 或 MultiPolygon。"))
    if crs not in Crs.values:
        raise _bad(_("坐标系应为 WGS-84 或 GCJ-02。"))
    _check_ranges(value.get("coordinates"))
    try:
        geom = shape(value)
    except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.GEOSException):
        raise _bad(_("边界坐标不能组成多边形（每个环至少4个点且首尾相同）。")) from None
    if crs == Crs.GCJ02:
        geom = shapely.transform(geom, _gcj02_to_wgs84_array)
    if geom.is_empty:
        raise _bad(_("边界面积为零。"))
    if not geom.is_valid:
        raise _bad(_("边界多边形无效：%(reason)s") % {"reason": explain_validity(geom)})
    if geom.area <= 0:
        raise _bad(_("边界面积为零。"))
    return geom


def to_geojson(geom: BaseGeometry, *, digits: int = 7) -> dict[str, Any]:
    """GeoJSON geometry with coordinates rounded to ``digits`` decimals (7 ≈ 1 cm)."""
    rounded = shapely.set_precision(geom, 10**-digits) if digits else geom
    return dict(mapping(rounded if rounded.is_valid and not rounded.is_empty else geom))


def area_m2(geom: BaseGeometry) -> float:
    """Area in square metres on a local projection at the shape's centre (good to <0.1% at grid size)."""
    if geom.is_empty:
        return 0.0
    lat0 = math.radians(geom.centroid.y)
    lon0 = geom.centroid.x
    sin2 = math.sin(lat0) ** 2
    m_per_deg_lon = math.pi / 180 * _A * math.cos(lat0) / math.sqrt(1 - _E2 * sin2)
    m_per_deg_lat = math.pi / 180 * _A * (1 - _E2) / (1 - _E2 * sin2) ** 1.5

    def project(coords: Any) -> Any:
        out = coords.copy()
        out[:, 0] = (coords[:, 0] - lon0) * m_per_deg_lon
        out[:, 1] = coords[:, 1] * m_per_deg_lat
        return out

    return float(shapely.transform(geom, project).area)


def overlap_m2(a: BaseGeometry, b: BaseGeometry) -> float:
    """Area shared by two boundaries, in square metres (0 when they only touch)."""
    if not a.intersects(b):
        return 0.0
    return area_m2(a.intersection(b))


# --- GCJ-02 ----------------------------------------------------------------------------------


def _out_of_china(lon: float, lat: float) -> bool:
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _delta(lon: float, lat: float) -> tuple[float, float]:
    x, y = lon - 105.0, lat - 35.0
    pi = math.pi
    common = (20.0 * math.sin(6.0 * x * pi) + 20.0 * math.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x)) + common
    dlat += (20.0 * math.sin(y * pi) + 40.0 * math.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * pi) + 320.0 * math.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x)) + common
    dlon += (20.0 * math.sin(x * pi) + 40.0 * math.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * math.sin(x / 12.0 * pi) + 300.0 * math.sin(x / 30.0 * pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * pi
    magic = 1 - _GCJ_EE * math.sin(radlat) ** 2
    dlat = (dlat * 180.0) / ((_GCJ_A * (1 - _GCJ_EE)) / (magic * math.sqrt(magic)) * pi)
    dlon = (dlon * 180.0) / (_GCJ_A / math.sqrt(magic) * math.cos(radlat) * pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if _out_of_china(lon, lat):
        return lon, lat
    dlon, dlat = _delta(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Inverse of :func:`wgs84_to_gcj02` by fixed-point iteration (converges in a few steps)."""
    if _out_of_china(lon, lat):
        return lon, lat
    wlon, wlat = lon, lat
    for _step in range(10):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        dlon, dlat = glon - lon, glat - lat
        wlon, wlat = wlon - dlon, wlat - dlat
        if abs(dlon) < 1e-9 and abs(dlat) < 1e-9:
            break
    return wlon, wlat


def _gcj02_to_wgs84_array(coords: Any) -> Any:
    out = coords.copy()
    for i, (lon, lat) in enumerate(coords[:, :2]):
        out[i, 0], out[i, 1] = gcj02_to_wgs84(float(lon), float(lat))
    return out


def to_wgs84(lon: float, lat: float, crs: str) -> tuple[float, float]:
    if crs == Crs.GCJ02:
        return gcj02_to_wgs84(lon, lat)
    if crs != Crs.WGS84:
        raise ValidationFailed(_("坐标系应为 WGS-84 或 GCJ-02。"), data={"crs": crs})
    return lon, lat
