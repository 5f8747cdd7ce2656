"""The register from Excel: one sheet, Chinese headers in row 1, one point per row, upserted by its
code. Item columns list catalogue codes separated by "、", "," or spaces. All or nothing: any wrong
cell and nothing is written; the report lists every problem with its row and column."""

from __future__ import annotations

import re
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from huying.accounts.selectors import ActorLike, actor_for
from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.sheets import ImportIssue, ImportReport, sheet_rows, text
from huying.grids.geometry import to_wgs84
from huying.grids.importing import CRS_ALIASES
from huying.organisations.models import OrgUnit

from .models import ServicePoint
from .permissions import may_import
from .services.register import _items_by_code, clean_point, point_save, point_set_items

SHEET = "服务点"
# (header, field)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("服务点编码", "code"),
    ("名称", "name"),
    ("类型", "kind"),
    ("主管单位", "unit"),
    ("地址", "address"),
    ("经度", "longitude"),
    ("纬度", "latitude"),
    ("坐标系", "crs"),
    ("开放时间", "hours"),
    ("窗口数", "windows"),
    ("联系电话", "contact_phone"),
    ("受理事项", "accepts"),
    ("指导事项", "guides"),
    ("代办事项", "proxies"),
)
HEADERS = tuple(h for h, _f in COLUMNS)
HEADER_OF = {f: h for h, f in COLUMNS}
_SPLIT = re.compile(r"[、,，;；\s]+")


def codes(value: Any) -> list[str]:
    return [c for c in _SPLIT.split(text(value)) if c]


def _row(number: int, cells: dict[str, Any], units: dict[str, OrgUnit], report: ImportReport) -> dict[str, Any] | None:
    values = {field: cells.get(header) for header, field in COLUMNS}
    problems: dict[str, str] = {}
    crs = CRS_ALIASES.get(text(values["crs"]).lower().replace("_", "-"))
    if crs is None:
        problems["crs"] = _("坐标系应为 WGS-84 或 GCJ-02。")
    else:
        try:
            lon, lat = float(str(values["longitude"])), float(str(values["latitude"]))
            values["longitude"], values["latitude"] = to_wgs84(lon, lat, crs)
        except (TypeError, ValueError):
            problems["longitude"] = _("经纬度应为数字。")
    fields: dict[str, Any] = {}
    try:  # every wrong cell of the row is reported at once
        fields = clean_point({k: text(v) if k not in ("longitude", "latitude") else v for k, v in values.items()})
    except ValidationFailed as exc:
        problems.update({k: str(v) for k, v in exc.data.items() if k not in problems})
    unit_name = text(values["unit"])
    if unit_name and unit_name not in units:
        problems["unit"] = _("单位“%(name)s”不存在。") % {"name": unit_name[:40]}
    item_codes = {mode: codes(values[mode]) for mode in ("accepts", "guides", "proxies")}
    _found, unknown = _items_by_code(c for group in item_codes.values() for c in group)
    if unknown:
        problems["accepts"] = _("事项编码不存在或已停用：%(codes)s") % {"codes": "、".join(unknown[:5])}
    for field, message in problems.items():
        report.errors.append(ImportIssue(SHEET, number, HEADER_OF.get(field, field), message))
    if problems:
        return None
    return {"fields": fields, "unit": units.get(unit_name), "items": item_codes}


def import_points(*, actor: ActorLike, file: IO[bytes] | Any) -> ImportReport:
    """Read and apply a register sheet; nothing is written unless every row is right."""
    resolved = actor_for(actor)
    if not may_import(resolved):
        raise PermissionDenied(_("只有系统管理员或政务大厅管理人员可以导入服务点。"))
    report = ImportReport()
    units = {u.name: u for u in OrgUnit.objects.filter(is_active=True)}
    clean: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for entry in sheet_rows(file, HEADERS):
        if isinstance(entry, ImportIssue):
            report.errors.append(entry)
            continue
        number, cells = entry
        report.rows += 1
        row = _row(number, cells, units, report)
        if row is None:
            continue
        code = row["fields"]["code"]
        if code in seen:
            report.errors.append(
                ImportIssue(SHEET, number, HEADER_OF["code"], _("与第%(n)d行编码重复。") % {"n": seen[code]})
            )
            continue
        seen[code] = number
        clean.append(row)
    if report.errors:
        return report
    existing = {p.code: p for p in ServicePoint.objects.filter(code__in=seen)}
    with transaction.atomic():
        for row in clean:
            point = existing.get(row["fields"]["code"])
            saved = point_save(actor=None, data=row["fields"], unit=row["unit"], point=point)
            ServicePoint.objects.filter(pk=saved.pk).update(updated_by=resolved.user)
            point_set_items(actor=None, point=saved, **row["items"])
            if point is None:
                report.created += 1
            else:
                report.updated += 1
    return report
