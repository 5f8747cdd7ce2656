"""Writes of the service catalogue: the Excel import (and its export), and keeping the pinyin
search key of rows written without ``save()`` (bulk updates) in step."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.core.models import AuditLog
from huying.core.services import audit_record
from huying.organisations.models import OrgUnit

from . import errors as error_codes  # noqa: F401  (the app's error codes are listed when its services load)
from . import workbook as wb
from .models import Bundle, BundleItem, FormField, Material, ReviewStep, ServiceItem
from .pinyin import initials
from .workbook import ImportIssue


@transaction.atomic
def catalogue_reindex_pinyin() -> int:
    """Recompute every item's and bundle's 拼音首字母 (``save()`` does it for one row; a bulk
    update or a pypinyin upgrade needs this). Returns the number of rows changed."""
    changed = 0
    for model, length in ((ServiceItem, 200), (Bundle, 100)):
        for pk, name, current in model.objects.values_list("pk", "name", "pinyin_initials"):
            value = initials(name, max_length=length)
            if value != current:
                model.objects.filter(pk=pk).update(pinyin_initials=value)
                changed += 1
    return changed


# --- Excel import and export -------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did, or why it did nothing: ``errors`` lists every wrong cell and row."""

    errors: list[ImportIssue] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    bundles: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _unit_resolver() -> Callable[[str], tuple[Any, str | None]]:
    by_name: dict[str, list[OrgUnit]] = {}
    for unit in OrgUnit.objects.filter(is_active=True):
        by_name.setdefault(unit.name, []).append(unit)

    def resolve(name: str) -> tuple[Any, str | None]:
        found = by_name.get(name, [])
        if not found:
            return None, f"没有名为“{name}”的单位（请填写单位全称）。"
        if len(found) > 1:
            return None, f"有多个名为“{name}”的单位，无法确定。"
        return found[0], None

    return resolve


def _sync_children(model: Any, item: ServiceItem, rows: list[dict[str, Any]], key: Callable[[Any], Any]) -> None:
    """Make the item's rows of ``model`` equal to ``rows``: update by key, create, delete the rest."""
    existing = {key(obj): obj for obj in model.objects.filter(item=item)}
    keep: set[int] = set()
    for values in rows:
        obj = existing.get(key(_Values(values)))
        if obj is None:
            obj = model(item=item)
        for attr, value in values.items():
            setattr(obj, attr, value)
        obj.save()
        keep.add(obj.pk)
    model.objects.filter(item=item).exclude(pk__in=keep).delete()


class _Values:
    """Attribute access to a dict, so one key function serves rows and model instances."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def catalogue_import(
    file: IO[bytes] | Any, *, actor: User | AnonymousUser | None, ip_address: str | None = None
) -> ImportReport:
    """Import the 实施清单 workbook (sheets 事项, 材料, 表单字段, 审批环节, 一件事, 一件事事项).

    Every row is checked first; when any is wrong nothing is saved and the report lists each
    problem as (sheet, row, column, message). Items are matched by 实施编码 and bundles by 编码,
    so importing the same file again changes nothing. An item in the 事项 sheet gets exactly the
    materials, form fields and review steps the other sheets give it (materials and fields are
    matched by key, steps by stage and name); a bundle in the 一件事 sheet exactly its listed
    items. Items and bundles absent from the workbook are left as they are. Audited.
    """
    book = wb.read_workbook(file, _unit_resolver())
    report = ImportReport(errors=list(book.issues))
    if report.errors:
        return report
    try:
        with transaction.atomic():
            _write(book, report)
            audit_record(
                kind=AuditLog.Kind.CONFIG_CHANGE,
                actor=actor,
                summary=f"导入政务服务事项实施清单：新增{report.created}项，更新{report.updated}项，一件事{report.bundles}个",
                data={"created": report.created, "updated": report.updated, "bundles": report.bundles},
                ip_address=ip_address,
            )
    except ProtectedError:
        report.errors.append(
            ImportIssue("—", None, None, _("工作簿删除了已被办件引用的材料、字段或审批环节，未导入任何内容。"))
        )
        report.created = report.updated = report.bundles = 0
    except IntegrityError:
        report.errors.append(ImportIssue("—", None, None, _("数据与现有记录冲突，未导入任何内容。")))
        report.created = report.updated = report.bundles = 0
    return report


def _write(book: Any, report: ImportReport) -> None:
    children: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for sheet in (wb.SHEET_MATERIALS, wb.SHEET_FIELDS, wb.SHEET_STEPS):
        for row in book.rows[sheet]:
            values = dict(row.values)
            code = values.pop("item_code")
            children.setdefault(code, {}).setdefault(sheet, []).append(values)
    items: dict[str, ServiceItem] = {}
    for row in book.rows[wb.SHEET_ITEMS]:
        values = dict(row.values)
        item = ServiceItem.objects.filter(code=values["code"]).first()
        if item is None:
            item = ServiceItem()
            report.created += 1
        else:
            report.updated += 1
        for attr, value in values.items():
            setattr(item, attr, value)
        item.save()
        items[item.code] = item
        own = children.get(item.code, {})
        _sync_children(Material, item, own.get(wb.SHEET_MATERIALS, []), key=lambda o: o.key)
        _sync_children(FormField, item, own.get(wb.SHEET_FIELDS, []), key=lambda o: o.key)
        _sync_children(ReviewStep, item, own.get(wb.SHEET_STEPS, []), key=lambda o: (o.stage, o.name))
    links: dict[str, list[dict[str, Any]]] = {}
    for row in book.rows[wb.SHEET_BUNDLE_ITEMS]:
        links.setdefault(row.values["bundle_code"], []).append(row.values)
    for row in book.rows[wb.SHEET_BUNDLES]:
        values = dict(row.values)
        bundle = Bundle.objects.filter(code=values["code"]).first() or Bundle()
        for attr, value in values.items():
            setattr(bundle, attr, value)
        bundle.save()
        report.bundles += 1
        keep: set[int] = set()
        for link_values in links.get(bundle.code, []):
            item = items.get(link_values["item_code"]) or ServiceItem.objects.get(code=link_values["item_code"])
            link, _created = BundleItem.objects.update_or_create(
                bundle=bundle, item=item, defaults={"sort": link_values["sort"]}
            )
            keep.add(link.pk)
        BundleItem.objects.filter(bundle=bundle).exclude(pk__in=keep).delete()


def catalogue_export() -> bytes:
    """The whole catalogue (inactive items included, with 在用 = 否) as a workbook that
    ``catalogue_import`` reads back unchanged."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    items = list(ServiceItem.objects.select_related("unit").order_by("code"))
    sources: dict[str, list[dict[str, Any]]] = {
        wb.SHEET_ITEMS: [{**_fields(i, wb.ITEM_COLUMNS), "unit": i.unit.name} for i in items],
        wb.SHEET_MATERIALS: [
            {**_fields(m, wb.MATERIAL_COLUMNS), "item_code": m.item.code}
            for m in Material.objects.select_related("item").order_by("item__code", "sort", "id")
        ],
        wb.SHEET_FIELDS: [
            {**_fields(x, wb.FIELD_COLUMNS), "item_code": x.item.code}
            for x in FormField.objects.select_related("item").order_by("item__code", "sort", "id")
        ],
        wb.SHEET_STEPS: [
            {**_fields(s, wb.STEP_COLUMNS), "item_code": s.item.code, "unit": s.unit.name}
            for s in ReviewStep.objects.select_related("item", "unit").order_by("item__code", "stage", "id")
        ],
        wb.SHEET_BUNDLES: [
            {**_fields(b, wb.BUNDLE_COLUMNS), "lead_unit": b.lead_unit.name}
            for b in Bundle.objects.select_related("lead_unit").order_by("code")
        ],
        wb.SHEET_BUNDLE_ITEMS: [
            {"bundle_code": link.bundle.code, "item_code": link.item.code, "sort": link.sort}
            for link in BundleItem.objects.select_related("bundle", "item").order_by("bundle__code", "sort", "id")
        ],
    }
    for name, columns, _required in wb.SHEETS:
        ws = book.create_sheet(name)
        ws.append([c.header for c in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for values in sources[name]:
            ws.append([wb.export_value(c, values.get(c.attr)) for c in columns])
        for index, col in enumerate(columns, start=1):
            ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = max(10, len(col.header) * 2 + 2)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fields(obj: Any, columns: tuple[wb.Column, ...]) -> dict[str, Any]:
    return {c.attr: getattr(obj, c.attr, None) for c in columns if c.kind != "unit" and hasattr(obj, c.attr)}
