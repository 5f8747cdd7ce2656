"""The grid layer: polygons checked, no overlaps, boundary history, locating a point, imports."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest

from huying.core.errors import PermissionDenied, ValidationFailed
from huying.grids import errors, geometry, services
from huying.grids.models import Crs, Grid, GridBoundary
from huying.grids.spatial import grid_locate
from huying.organisations.models import OrgUnit

from .factories import AREA, build, square

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "boundary, fragment",
    [
        ({"type": "Point", "coordinates": [118, 37]}, "Polygon"),
        (square(200.0, 37.0), "超出经纬度范围"),
        (square(37.0, 118.0), "超出经纬度范围"),  # latitude and longitude swapped
        (
            {"type": "Polygon", "coordinates": [[[118, 37], [118.01, 37.01], [118.01, 37], [118, 37.01], [118, 37]]]},
            "无效",
        ),
        ({"type": "Polygon", "coordinates": [[[118, 37], [118.01, 37]]]}, "多边形"),
        ("{not json", "GeoJSON"),
    ],
)
def test_broken_polygons_are_refused(boundary: Any, fragment: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        geometry.parse_boundary(boundary)
    assert caught.value.code == errors.INVALID_GEOMETRY
    assert fragment in str(caught.value.message)


def test_gcj02_round_trip_and_offset() -> None:
    lon, lat = 118.0, 37.0
    glon, glat = geometry.wgs84_to_gcj02(lon, lat)
    assert abs(glon - lon) > 1e-4  # the offset is hundreds of metres
    back = geometry.gcj02_to_wgs84(glon, glat)
    assert abs(back[0] - lon) < 1e-8 and abs(back[1] - lat) < 1e-8


def test_area_of_a_square_km(world: Any) -> None:
    geom = geometry.parse_boundary(square(118.0, 37.0))
    # 0.01° × 0.01° at 37°N ≈ 889 m × 1110 m.
    assert 980_000 < geometry.area_m2(geom) < 995_000


def test_overlapping_grid_refused_and_nothing_saved(world: Any) -> None:
    g = build(world)
    with pytest.raises(ValidationFailed) as caught:
        services.grid_create(
            actor=None, unit=g.community, code=AREA + "003", name="重叠", boundary=square(118.005, 37.005)
        )
    assert caught.value.code == errors.GRID_OVERLAP
    assert caught.value.data["code"] == g.west.code
    assert Grid.objects.count() == 2


def test_touching_grids_do_not_overlap(world: Any) -> None:
    g = build(world)
    grid = services.grid_create(
        actor=None, unit=g.community, code=AREA + "003", name="北", boundary=square(118.0, 37.01)
    )
    assert grid.is_current


def test_grid_must_hang_under_a_community_and_have_a_statistical_code(world: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.grid_create(actor=None, unit=world.street, code=AREA + "001", name="x", boundary=square(118, 37))
    for code in ("37160200100100", "371602000001001", "371602001001000", "abc"):
        with pytest.raises(ValidationFailed) as caught:
            services.grid_create(actor=None, unit=world.community, code=code, name="x", boundary=square(118, 37))
        assert caught.value.code == errors.INVALID_GRID_CODE


def test_only_the_area_manages_its_grids(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.grid_create(
            actor=world.handler, unit=world.community, code=AREA + "001", name="x", boundary=square(118, 37)
        )
    grid = services.grid_create(
        actor=world.street_handler, unit=world.community, code=AREA + "001", name="x", boundary=square(118, 37)
    )
    assert grid.pk


def test_locate_inside_outside_and_on_the_border(world: Any) -> None:
    g = build(world)
    assert grid_locate(118.005, 37.005).code == g.west.code
    assert grid_locate(118.015, 37.005).id == g.east.pk
    # On the border the two grids share: the lower code, every time.
    assert grid_locate(118.01, 37.005).code == g.west.code
    # On the outer edge of the layer: still inside the grid it bounds.
    assert grid_locate(118.02, 37.005).code == g.east.code
    with pytest.raises(ValidationFailed) as caught:
        grid_locate(118.03, 37.005)
    assert caught.value.code == errors.OUTSIDE_GRIDS
    with pytest.raises(ValidationFailed):
        grid_locate(500, 37)


def test_locate_a_gcj02_point(world: Any) -> None:
    g = build(world)
    glon, glat = geometry.wgs84_to_gcj02(118.005, 37.005)
    assert grid_locate(glon, glat, crs=Crs.GCJ02).code == g.west.code


def test_adjusted_boundary_keeps_history_and_moves_the_index(world: Any) -> None:
    g = build(world)
    with pytest.raises(ValidationFailed):
        grid_locate(118.005, 37.015)
    start = g.west.valid_from + dt.timedelta(days=1)
    services.grid_adjust_boundary(
        actor=None,
        grid=g.west,
        boundary={
            "type": "Polygon",
            "coordinates": [[[118, 37], [118.01, 37], [118.01, 37.02], [118, 37.02], [118, 37]]],
        },
        effective_on=start,
    )
    versions = list(GridBoundary.objects.filter(grid=g.west).order_by("valid_from"))
    assert len(versions) == 2 and versions[0].valid_to == start and versions[1].valid_to is None
    assert grid_locate(118.005, 37.015).code == g.west.code
    with pytest.raises(ValidationFailed) as caught:  # now overlapping the east grid
        services.grid_adjust_boundary(actor=None, grid=g.west, boundary=square(118.005, 37.0), effective_on=start)
    assert caught.value.code == errors.GRID_OVERLAP


def _collection(*features: dict[str, Any]) -> io.BytesIO:
    return io.BytesIO(json.dumps({"type": "FeatureCollection", "features": list(features)}).encode())


def _feature(code: str, boundary: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"code": code, "name": f"网格{code[-3:]}", "unit": "黄河社区居委会", **props},
        "geometry": boundary,
    }


def test_geojson_import_creates_grids(world: Any) -> None:
    report = services.grids_import(
        _collection(
            _feature(AREA + "001", square(118, 37)), _feature(AREA + "002", square(118.01, 37), 监督电话="0543-3161234")
        ),
        filename="grids.geojson",
        actor=None,
    )
    assert report.ok, report.errors
    assert report.created == 2
    assert Grid.objects.get(code=AREA + "002").supervision_phone == "05433161234"
    assert GridBoundary.objects.count() == 2
    assert grid_locate(118.015, 37.005).code == AREA + "002"


def test_geojson_import_with_bad_rows_changes_nothing(world: Any) -> None:
    build(world)
    report = services.grids_import(
        _collection(
            _feature(AREA + "003", square(118.02, 37)),  # fine
            _feature(AREA + "004", square(118.005, 37)),  # overlaps a current grid
            _feature("123", square(118.1, 37)),  # bad code
            _feature(AREA + "006", square(118.2, 37), unit="没有这个社区"),
            _feature(AREA + "007", square(118.3, 37)),
            _feature(AREA + "008", square(118.305, 37)),  # overlaps the row before
        ),
        filename="grids.geojson",
        actor=None,
    )
    assert not report.ok
    assert {(e.row, e.column) for e in report.errors} == {
        (2, "边界（GeoJSON）"),
        (3, "网格编码"),
        (4, "所属村（社区）"),
        (6, "边界（GeoJSON）"),
    }
    assert Grid.objects.count() == 2


def test_excel_import_with_gcj02_and_adjustment(world: Any) -> None:
    from openpyxl import Workbook

    g = build(world)
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "网格编码",
            "网格名称",
            "层级",
            "网格类型",
            "所属村（社区）",
            "上级示范区编码",
            "监督电话",
            "坐标系",
            "边界（GeoJSON）",
            "启用日期",
        ]
    )
    tomorrow = (g.west.valid_from + dt.timedelta(days=1)).isoformat()
    sheet.append(
        [
            AREA + "001",
            "第1网格",
            "网格",
            "综合网格",
            "黄河社区居委会",
            "",
            "",
            "WGS-84",
            json.dumps(square(118, 37.0, 0.009)),
            tomorrow,
        ]
    )
    corners = [
        geometry.wgs84_to_gcj02(x, y)
        for x, y in ((118.1, 37), (118.11, 37), (118.11, 37.01), (118.1, 37.01), (118.1, 37))
    ]
    gcj = {"type": "Polygon", "coordinates": [[list(c) for c in corners]]}
    sheet.append(
        [AREA + "009", "学校专属网格", "网格", "专属网格", "黄河社区居委会", "", "", "GCJ-02", json.dumps(gcj), ""]
    )
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    report = services.grids_import(out, filename="grids.xlsx", actor=None)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)
    school = Grid.objects.get(code=AREA + "009")
    assert school.source_crs == Crs.GCJ02 and school.grid_type == Grid.GridType.DEDICATED
    assert abs(school.boundary["coordinates"][0][0][0] - 118.1) < 1e-6  # stored in WGS-84
    assert GridBoundary.objects.filter(grid=g.west).count() == 2


def test_demo_zone_above_villages(world: Any) -> None:
    zone = services.grid_create(
        actor=None,
        unit=world.street,
        code="371602001000001",
        name="徐家党建示范区",
        boundary=square(117.9, 36.9, 0.5),
        level=Grid.Level.DEMO_ZONE,
    )
    grid = services.grid_create(
        actor=None, unit=world.community, code=AREA + "001", name="x", boundary=square(118, 37), parent=zone
    )
    assert grid.parent == zone
    # A point finds the grid, not the zone above it.
    assert grid_locate(118.005, 37.005).code == grid.code
    assert OrgUnit.objects.filter(pk=zone.unit_id, kind=OrgUnit.Kind.TOWNSHIP).exists()


def test_excel_import_with_a_broken_row_changes_nothing(world: Any) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "网格编码",
            "网格名称",
            "层级",
            "网格类型",
            "所属村（社区）",
            "上级示范区编码",
            "监督电话",
            "坐标系",
            "边界（GeoJSON）",
            "启用日期",
        ]
    )
    sheet.append([AREA + "001", "好", "", "", "黄河社区居委会", "", "", "", json.dumps(square(118, 37)), ""])
    sheet.append([AREA + "002", "坏", "", "三级网格", "黄河社区居委会", "", "12", "BD-09", "[1, 2]", "明天"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    report = services.grids_import(out, filename="grids.xlsx", actor=None)
    assert {(e.row, e.column) for e in report.errors} == {
        (3, "网格类型"),
        (3, "监督电话"),
        (3, "坐标系"),
        (3, "启用日期"),
    }
    assert not Grid.objects.exists() and not GridBoundary.objects.exists()
