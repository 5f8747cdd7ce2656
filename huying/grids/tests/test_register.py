"""The household register import: all rows checked, errors by row and column, nothing half-imported."""

from __future__ import annotations

from typing import Any

import pytest

from huying.core.models import AuditLog
from huying.grids import services
from huying.grids.cadence import month_end
from huying.grids.models import Grid, Household, Resident

from .factories import AREA, build, make_id, register_xlsx

pytestmark = pytest.mark.django_db


def _rows() -> list[list[Any]]:
    west, east = AREA + "001", AREA + "002"
    return [
        [
            west,
            "0001",
            "黄河路1号1单元101",
            "13800000001",
            "13905435678",
            "高龄独居老人",
            "张大爷",
            "户主",
            make_id(1, "19400101"),
            "",
        ],
        [west, "0002", "黄河路1号1单元102", "", "", "低保、残疾", "王五", "户主", make_id(2), "13800000002"],
        [west, "0002", "", "", "", "", "王小五", "子女", make_id(3, "20100101"), ""],
        [east, "0001", "黄河路3号", "", "", "", "赵六", "", make_id(4), ""],
    ]


def test_register_import_creates_households_and_residents(world: Any) -> None:
    g = build(world)
    report = services.households_import(register_xlsx(_rows()), actor=None)
    assert report.ok, report.errors
    assert (report.created, report.rows) == (3, 4)
    lone = Household.objects.get(grid=g.west, number="0001")
    assert lone.liaison_id == g.liaison_post.pk
    assert [t.name for t in lone.tags.all()] == ["高龄独居老人"]
    assert lone.visit_due_on == lone.created_at.astimezone().date() or lone.visit_due_on is not None
    two = Household.objects.get(grid=g.west, number="0002")
    assert two.resident_count == 2 and two.visit_due_on == month_end(two.visit_due_on)
    assert Resident.objects.get(name="王小五").birth_date.year == 2010
    g.west.refresh_from_db()
    assert (g.west.household_count, g.west.resident_count) == (2, 3)
    assert AuditLog.objects.filter(kind=AuditLog.Kind.CONFIG_CHANGE, summary__contains="住户").exists()


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_saved(world: Any) -> None:
    build(world)
    rows = _rows()
    rows[1][8] = "371602198001010010"  # wrong check digit
    rows[2][9] = "12345"  # not a phone
    rows[3][0] = "371602001001099"  # no such grid
    rows.append(
        [
            AREA + "001",
            "0003",
            "黄河路5号",
            "",
            "13000000000",
            "不存在的标签",
            "孙七",
            "表亲",
            make_id(1, "19400101"),
            "",
        ]
    )
    report = services.households_import(register_xlsx(rows), actor=None)
    assert not report.ok
    assert {(e.row, e.column) for e in report.errors} == {
        (3, "身份证号"),
        (4, "个人联系电话"),
        (5, "网格编码"),
        (6, "联户党员电话"),
        (6, "户标签"),
        (6, "与户主关系"),
        (6, "身份证号"),  # the same number as row 2
    }
    assert Household.objects.count() == 0 and Resident.objects.count() == 0
    assert Grid.objects.get(code=AREA + "001").household_count == 0


def test_a_second_import_of_the_same_register_is_refused(world: Any) -> None:
    build(world)
    assert services.households_import(register_xlsx(_rows()), actor=None).ok
    again = services.households_import(register_xlsx(_rows()), actor=None)
    assert not again.ok
    assert {e.column for e in again.errors} == {"户号", "身份证号"}
    assert Household.objects.count() == 3


def test_missing_columns_and_not_a_workbook(world: Any) -> None:
    import io

    report = services.households_import(io.BytesIO(b"not a workbook"), actor=None)
    assert not report.ok and report.errors[0].row is None


def test_a_street_imports_only_its_own_grids(world: Any) -> None:
    build(world)
    report = services.households_import(register_xlsx(_rows()), actor=world.handler)  # 城管局, not the street
    assert not report.ok and {e.column for e in report.errors} == {"网格编码"}
    assert services.households_import(register_xlsx(_rows()), actor=world.street_handler).ok


def test_fast_id_check_agrees_with_the_platform_validator() -> None:
    from unittest import mock

    from huying.core.errors import ValidationFailed
    from huying.grids.services import register

    good = make_id(5, "19600101")
    register.id_number_check(good)  # warms the address-code cache
    with mock.patch.object(register, "normalize_id_number", side_effect=AssertionError("slow path")):
        assert register.id_number_check(good.lower()) == good
    for bad in (
        good[:-1] + ("0" if good[-1] != "0" else "1"),
        "371602196001010010",
        good[:10] + "1332" + good[14:],
        "12",
    ):
        with pytest.raises(ValidationFailed):
            register.id_number_check(bad)
    assert register.id_number_check("37160220010101103x") == "37160220010101103X"
