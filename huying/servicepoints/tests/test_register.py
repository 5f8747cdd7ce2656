"""Keeping the register: points and their items, the Excel import, the canteen hook, who may edit."""

from __future__ import annotations

from typing import Any

import pytest

from huying.accounts.roles import Role
from huying.core.errors import NotFound, PermissionDenied, ValidationFailed
from huying.core.registry import PointFeed, service_points
from huying.servicepoints import errors, services
from huying.servicepoints.importing import import_points
from huying.servicepoints.models import PointItem, ServicePoint
from huying.servicepoints.selectors import Origin, coverage, nearest
from huying.servicepoints.states import Kind, Level
from tests.fixtures import make_user

from .factories import DISABILITY, PENSION, Doorstep, register_xlsx

pytestmark = pytest.mark.django_db


def test_point_outside_the_area_is_refused_and_nothing_written(door: Doorstep) -> None:
    before = ServicePoint.objects.count()
    data = {
        "code": "BJ-1",
        "name": "北京某点",
        "kind": Kind.SELF_SERVICE,
        "address": "北京",
        "longitude": 116.4,
        "latitude": 39.9,
    }
    with pytest.raises(ValidationFailed) as exc:
        services.point_save(actor=None, data=data)
    assert exc.value.code == errors.OUTSIDE_AREA
    assert ServicePoint.objects.count() == before


def test_unknown_item_refused_and_items_unchanged(door: Doorstep) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.point_set_items(actor=None, point=door.centre, proxies=[PENSION, "NOPE-1"])
    assert exc.value.code == errors.UNKNOWN_ITEM and "NOPE-1" in str(exc.value.message)
    assert list(PointItem.objects.filter(point=door.centre).values_list("item__code", "proxies")) == [(PENSION, True)]


def test_kind_sets_level_and_nearest_follows_item_filter(door: Doorstep) -> None:
    assert door.hall.level == Level.COUNTY and door.centre.level == Level.VILLAGE
    shipeng = Origin(120.2870, 37.4880, "石棚村")
    accepting = nearest(shipeng, item=door.disability)
    assert [n.point.code for n in accepting] == ["ZY-ZX", "ZY-HALL"]
    pension = nearest(shipeng, item=door.pension, k=1)[0]
    assert pension.point == door.centre and pension.within_band and "代办" in pension.modes


def test_only_keepers_edit_their_points(door: Doorstep, world: Any) -> None:
    data = {
        "code": door.centre.code,
        "name": "徐家党群服务中心",
        "kind": Kind.PARTY_CENTRE,
        "address": "徐家村",
        "longitude": 120.318,
        "latitude": 37.46,
        "hours": "周一至周六 8:30-17:30",
    }
    saved = services.point_save(actor=door.clerk, data=data, point=door.centre)
    assert saved.hours == "周一至周六 8:30-17:30" and saved.updated_by == door.clerk
    with pytest.raises(NotFound):
        services.point_save(actor=door.other_clerk, data=data, point=door.centre)
    with pytest.raises(NotFound):
        services.point_set_items(actor=door.other_clerk, point=door.centre, proxies=[])
    bad = {**data, "windows": "-3", "contact_phone": "call me"}
    with pytest.raises(ValidationFailed) as exc:
        services.point_save(actor=door.clerk, data=bad, point=door.centre)
    assert set(exc.value.data) == {"windows", "contact_phone"}


def test_excel_import_all_or_nothing(door: Doorstep, world: Any) -> None:
    manager = make_user("hallmgr", Role.HALL_MANAGER, world.city)
    good = [
        "ZY-SS-1",
        "泉山街道24小时自助服务区",
        "24小时自助服务区",
        "",
        "招远市泉山街道",
        120.42,
        37.363,
        "WGS-84",
        "全天",
        0,
        "",
        PENSION,
        "",
        "",
    ]
    bad = ["ZY-SS-2", "某点", "飞船", "不存在的单位", "某地", "x", 37, "", "", "", "", "NOPE", "", ""]
    report = import_points(actor=manager, file=register_xlsx([good, bad]))
    assert not report.ok and not ServicePoint.objects.filter(code__startswith="ZY-SS").exists()
    columns = {e.column for e in report.errors if e.row == 3}
    assert {"类型", "主管单位", "经度", "受理事项"} <= columns
    report = import_points(
        actor=manager,
        file=register_xlsx(
            [
                good,
                [
                    "ZY-ZX",
                    "张星镇便民服务中心",
                    "镇（街道）便民服务中心",
                    "",
                    "张星镇",
                    120.301,
                    37.47,
                    "",
                    "8:30-17:00",
                    6,
                    "0535-8251234",
                    f"{PENSION}、{DISABILITY}",
                    "",
                    "",
                ],
            ]
        ),
    )
    assert report.ok and (report.created, report.updated) == (1, 1)
    assert ServicePoint.objects.get(code="ZY-ZX").windows == 6
    assert ServicePoint.objects.get(code="ZY-SS-1").items.get().accepts
    with pytest.raises(PermissionDenied):
        import_points(actor=door.clerk, file=register_xlsx([good]))
    assert (
        import_points(actor=manager, file=register_xlsx([good], headers=["名称"]))
        .errors[0]
        .message.startswith("缺少列")
    )


def test_canteen_feed_keeps_a_point(door: Doorstep) -> None:
    feed = PointFeed(
        source="canteens",
        ref="7",
        name="虎山路社区助老食堂",
        kind=Kind.CANTEEN,
        address="李沧区虎山路街道",
        longitude=120.418,
        latitude=36.17,
    )
    point = service_points.call("feed", feed)
    assert point.kind == Kind.CANTEEN and point.is_active
    service_points.call("feed", PointFeed(**{**feed.__dict__, "name": "虎山路助老食堂", "active": False}))
    point.refresh_from_db()
    assert point.name == "虎山路助老食堂" and not point.is_active
    assert ServicePoint.objects.filter(source="canteens").count() == 1


def test_coverage_counts_people_within_three_km(door: Doorstep) -> None:
    figures = coverage()
    assert figures["points"] == 4
    # 石棚村 (under 1 km from 徐家) and 张星镇徐家村 are covered; Licang and Binzhou places are not.
    assert 0 < figures["share"] < 1
    names = {name for name, _km in figures["uncovered"]}
    assert "招远市张星镇石棚村" not in names and "李沧区李村街道" in names
