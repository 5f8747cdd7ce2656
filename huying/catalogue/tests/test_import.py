from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from huying.catalogue import selectors
from huying.catalogue.models import Bundle, BundleItem, FormField, Material, ReviewStep, ServiceItem
from huying.catalogue.services import catalogue_export, catalogue_import
from huying.core.models import AuditLog
from huying.licences.types import ID_CARD

from .factories import Catalogue

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, Any]:
    return {
        "items": sorted(
            ServiceItem.objects.values_list(
                "code", "name", "unit__name", "item_type", "level", "legal_days", "promised_days", "is_active"
            )
        ),
        "materials": sorted(
            Material.objects.values_list("item__code", "key", "name", "required", "licence_type_code", "sort")
        ),
        "fields": sorted(FormField.objects.values_list("item__code", "key", "label", "kind", "sort")),
        "steps": sorted(ReviewStep.objects.values_list("item__code", "stage", "name", "unit__name", "days")),
        "bundles": sorted(Bundle.objects.values_list("code", "name", "lead_unit__name", "promised_days")),
        "links": sorted(BundleItem.objects.values_list("bundle__code", "item__code", "sort")),
    }


def edit(content: bytes, sheet: str, cell: str, value: Any) -> io.BytesIO:
    book = load_workbook(io.BytesIO(content))
    book[sheet][cell] = value
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def column_of(content: bytes, sheet: str, header: str) -> str:
    ws = load_workbook(io.BytesIO(content))[sheet]
    for cell in ws[1]:
        if cell.value == header:
            return str(cell.column_letter)
    raise AssertionError(header)


def test_round_trip_is_idempotent(world: Any, catalogue: Catalogue) -> None:
    before = snapshot()
    content = catalogue_export()
    report = catalogue_import(io.BytesIO(content), actor=world.supervisor)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.bundles) == (0, 4, 1)
    assert snapshot() == before


def test_import_into_empty_catalogue_recreates_it(world: Any, catalogue: Catalogue) -> None:
    before = snapshot()
    content = catalogue_export()
    BundleItem.objects.all().delete()
    Bundle.objects.all().delete()
    ServiceItem.objects.all().delete()
    report = catalogue_import(io.BytesIO(content), actor=None)
    assert report.ok and report.created == 4
    assert snapshot() == before
    assert {i.code for i in selectors.item_search("spjy")} == {catalogue.food.code}  # pinyin filled
    assert AuditLog.objects.filter(kind=AuditLog.Kind.CONFIG_CHANGE, summary__contains="实施清单").exists()


def test_reimport_updates_and_replaces_children(world: Any, catalogue: Catalogue) -> None:
    content = catalogue_export()
    name_col = column_of(content, "事项", "事项名称")
    ws = load_workbook(io.BytesIO(content))["事项"]
    row = next(r for r in range(2, ws.max_row + 1) if ws[f"A{r}"].value == catalogue.food.code)
    changed = edit(content, "事项", f"{name_col}{row}", "食品经营许可（仅销售预包装食品）")
    # Drop the food item's materials by removing them from the 材料 sheet.
    book = load_workbook(changed)
    ms = book["材料"]
    for r in range(ms.max_row, 1, -1):
        if ms[f"A{r}"].value == catalogue.food.code and ms[f"B{r}"].value == "application_form":
            ms.delete_rows(r)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    report = catalogue_import(out, actor=None)
    assert report.ok, report.errors
    food = ServiceItem.objects.get(code=catalogue.food.code)
    assert food.name == "食品经营许可（仅销售预包装食品）"
    assert set(food.materials.values_list("key", flat=True)) == {"business_licence", "id_card"}
    assert ServiceItem.objects.count() == 4


def bad_cases(content: bytes) -> list[tuple[str, str, Any, str]]:
    return [
        ("事项", "事项名称", "", "必填"),
        ("事项", "实施主体", "不存在的局", "没有名为"),
        ("事项", "事项类型", "行政魔法", "不是可选值"),
        ("事项", "法定办结时限（工作日）", "二十", "整数"),
        ("事项", "承诺办结时限（工作日）", 99, "承诺办结时限不得超过法定办结时限"),
        ("事项", "可网上办理", "也许", "是"),
        ("事项", "结果电子证照类型代码", "123", "21位"),
        ("事项", "结果电子证照类型代码", "11100000000013127E001", "统一社会信用代码"),
        ("事项", "结果电子证照类型代码", ID_CARD[:18] + "X01", "数字"),
        ("材料", "材料标识", "身份证", "英文字母"),
        ("材料", "实施编码", "NOT-IN-SHEET", "不在“事项”工作表中"),
        ("表单字段", "类型", "颜色", "不是可选值"),
        ("审批环节", "阶段", -1, "之间的整数"),
        ("审批环节", "审批部门", "滨州市不存在局", "没有名为"),
        ("一件事事项", "实施编码", "NO-SUCH-ITEM", "没有该实施编码"),
        ("一件事", "牵头部门", "", "必填"),
    ]


@pytest.mark.parametrize("index", range(16))
def test_each_bad_row_is_reported_and_nothing_saved(world: Any, catalogue: Catalogue, index: int) -> None:
    content = catalogue_export()
    sheet, header, value, expected = bad_cases(content)[index]
    col = column_of(content, sheet, header)
    ServiceItem.objects.filter(pk=catalogue.food.pk).update(name="改名前")
    before = snapshot()
    # Row 2 is wrong; also rename an item in a good row, which must not be saved either.
    workbook = edit(content, sheet, f"{col}2", value)
    report = catalogue_import(workbook, actor=world.supervisor)
    assert not report.ok
    assert any(
        e.sheet == sheet and e.row == 2 and e.column == header and expected in e.message for e in report.errors
    ), report.errors
    assert snapshot() == before
    assert not AuditLog.objects.filter(summary__contains="实施清单").exists()


def test_duplicate_codes_and_keys(world: Any, catalogue: Catalogue) -> None:
    content = catalogue_export()
    ws = load_workbook(io.BytesIO(content))["事项"]
    first = ws["A2"].value
    report = catalogue_import(edit(content, "事项", "A3", first), actor=None)
    assert any(e.sheet == "事项" and e.row == 3 and "重复" in e.message for e in report.errors)
    ms = load_workbook(io.BytesIO(content))["材料"]
    rows = [(r, ms[f"A{r}"].value, ms[f"B{r}"].value) for r in range(2, ms.max_row + 1)]
    _r1, code, key = rows[0]
    r2 = next(r for r, c, _k in rows[1:] if c == code)
    report = catalogue_import(edit(content, "材料", f"B{r2}", key), actor=None)
    assert any(e.sheet == "材料" and e.row == r2 and e.column == "材料标识" for e in report.errors)


def test_promised_above_legal_refused(world: Any, catalogue: Catalogue) -> None:
    content = catalogue_export()
    col = column_of(content, "事项", "承诺办结时限（工作日）")
    report = catalogue_import(edit(content, "事项", f"{col}2", 21), actor=None)
    assert [(e.sheet, e.row) for e in report.errors] == [("事项", 2)]
    assert ServiceItem.objects.filter(promised_days=21).count() == 0


def test_missing_sheet_header_and_not_a_workbook(world: Any, catalogue: Catalogue) -> None:
    report = catalogue_import(io.BytesIO(b"not a workbook"), actor=None)
    assert not report.ok and "xlsx" in report.errors[0].message
    content = catalogue_export()
    book = load_workbook(io.BytesIO(content))
    del book["事项"]
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    report = catalogue_import(out, actor=None)
    assert any(e.sheet == "事项" and "缺少" in e.message for e in report.errors)
    col = column_of(content, "事项", "实施主体")
    report = catalogue_import(edit(content, "事项", f"{col}1", "主体"), actor=None)
    assert any(e.sheet == "事项" and e.row == 1 and e.column == "实施主体" for e in report.errors)


def test_commands(tmp_path: Any, world: Any, catalogue: Catalogue) -> None:
    path = tmp_path / "catalogue.xlsx"
    call_command("services_export", str(path))
    before = snapshot()
    call_command("services_import", str(path))
    assert snapshot() == before
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("services_import", str(tmp_path / "missing.xlsx"))
    path.write_bytes(b"junk")
    with pytest.raises(CommandError):
        call_command("services_import", str(path))


def test_import_page_shows_row_errors(client: Any, world: Any, catalogue: Catalogue) -> None:
    from huying.accounts.roles import Role
    from tests.fixtures import make_user

    client.force_login(make_user("sysadmin", Role.ADMIN, world.city))
    content = catalogue_export()
    col = column_of(content, "事项", "承诺办结时限（工作日）")
    bad = edit(content, "事项", f"{col}2", 99)
    bad.name = "catalogue.xlsx"
    response = client.post("/services/manage/import/", {"file": bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="import-errors"' in html and "承诺办结时限不得超过法定办结时限" in html
    good = io.BytesIO(content)
    good.name = "catalogue.xlsx"
    response = client.post("/services/manage/import/", {"file": good})
    assert response.status_code == 200 and 'id="import-ok"' in response.content.decode()
    assert AuditLog.objects.filter(actor=response.wsgi_request.user, summary__contains="实施清单").exists()
    wrong = io.BytesIO(b"x")
    wrong.name = "catalogue.csv"
    assert client.post("/services/manage/import/", {"file": wrong}).status_code == 400
