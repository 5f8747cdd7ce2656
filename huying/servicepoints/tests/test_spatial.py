"""The STRtree answers what a scan of every point on the sphere answers."""

from __future__ import annotations

import random

import pytest

from huying.core.errors import ValidationFailed
from huying.servicepoints import errors
from huying.servicepoints.geocoding import geocode
from huying.servicepoints.spatial import PointIndex, check_in_area, haversine_km


def test_nearest_matches_a_scan_on_the_sphere() -> None:
    rng = random.Random(7)
    lons = [rng.uniform(115.0, 122.5) for _ in range(3000)]
    lats = [rng.uniform(34.5, 38.3) for _ in range(3000)]
    index = PointIndex(list(range(3000)), lons, lats)
    for _ in range(300):
        lon, lat = rng.uniform(115.0, 122.5), rng.uniform(34.5, 38.3)
        scan = sorted(range(3000), key=lambda i: haversine_km(lon, lat, lons[i], lats[i]))[:3]
        found = index.nearest(lon, lat, k=3)
        assert [f.id for f in found] == scan
        assert found[0].km == pytest.approx(haversine_km(lon, lat, lons[scan[0]], lats[scan[0]]))


def test_east_west_is_not_mistaken_for_north_south() -> None:
    # 0.05° east at 37° N is about 4.4 km, 0.045° north about 5.0 km: the eastern point is nearer
    # although its difference in degrees is larger.
    index = PointIndex([1, 2], [120.05, 120.0], [37.0, 37.045])
    assert index.nearest(120.0, 37.0)[0].id == 1


def test_empty_index_and_k_larger_than_index() -> None:
    assert PointIndex([], [], []).nearest(120, 37) == []
    assert [f.id for f in PointIndex([5, 6], [120.0, 121.0], [37.0, 37.0]).nearest(120.1, 37, k=5)] == [5, 6]


def test_outside_area_and_nonsense_refused() -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_in_area(116.4, 39.9)  # 北京
    assert exc.value.code == errors.OUTSIDE_AREA
    for bad in (("x", "37"), ("nan", "37"), (None, None)):
        with pytest.raises(ValidationFailed):
            check_in_area(*bad)


def test_geocoding_from_the_local_table() -> None:
    assert geocode("山东省招远市张星镇石棚村").short == "石棚村"
    assert geocode(" 石棚村 ").full == "招远市张星镇石棚村"
    assert geocode("李沧区虎山路街道某小区").short == "虎山路街道"
    assert geocode("张星镇").short == "张星镇"  # a township alone
    with pytest.raises(ValidationFailed) as exc:
        geocode("火星基地")
    assert exc.value.code == errors.ADDRESS_NOT_FOUND
