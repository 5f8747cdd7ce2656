"""Reading grid files (GeoJSON FeatureCollection or an Excel sheet) into plain rows. Reading never writes.

Excel layout: one sheet, Chinese headers in row 1, data from row 2. GeoJSON: each Feature's
properties carry the same fields under the Chinese header or the English key, and its geometry
is the boundary. Choice columns take the Chinese label or the stored value.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import TextChoices
from django.utils.translation import gettext as _

from huying.core.sheets import ImportIssue, sheet_rows, text

from .models import Crs, Grid

# (header, GeoJSON property key, attribute)
GRID_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("网格编码", "code", "code"),
    ("网格名称", "name", "name"),
    ("层级", "level", "level"),
    ("网格类型", "type", "grid_type"),
    ("所属村（社区）", "unit", "unit"),
    ("上级示范区编码", "parent", "parent_code"),
    ("监督电话", "supervision_phone", "supervision_phone"),
    ("坐标系", "crs", "crs"),
    ("边界（GeoJSON）", "boundary", "boundary"),
    ("启用日期", "valid_from", "valid_from"),
)
GRID_SHEET = "网格"
GEOJSON_SHEET = "features"
CRS_ALIASES = {"wgs84": Crs.WGS84, "wgs-84": Crs.WGS84, "gcj02": Crs.GCJ02, "gcj-02": Crs.GCJ02, "": Crs.WGS84}


@dataclass
class GridRow:
    sheet: str
    row: int
    values: dict[str, Any]


def choice(value: str, choices: type[TextChoices], default: str) -> str | None:
    """The stored value for a label or value; ``default`` when blank; None when unknown."""
    if not value:
        return default
    for stored, label in choices.choices:
        if value in (stored, str(label)):
            return stored
    return None


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(text(value).replace("/", "-"))
    except ValueError:
        return None


def read_grid_file(file: IO[bytes] | Any, *, filename: str) -> tuple[list[GridRow], list[ImportIssue]]:
    """Rows of a .geojson/.json or .xlsx grid file, and the problems of the file itself."""
    if filename.lower().endswith((".geojson", ".json")):
        return _read_geojson(file)
    if filename.lower().endswith(".xlsx"):
        return _read_grid_sheet(file)
    return [], [ImportIssue("—", None, None, _("只支持 GeoJSON（.geojson/.json）或 Excel（.xlsx）文件。"))]


def _read_geojson(file: IO[bytes] | Any) -> tuple[list[GridRow], list[ImportIssue]]:
    try:
        data = json.load(file)
    except (ValueError, UnicodeDecodeError):
        return [], [ImportIssue(GEOJSON_SHEET, None, None, _("文件不是有效的 JSON。"))]
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return [], [ImportIssue(GEOJSON_SHEET, None, None, _("GeoJSON 文件应为 FeatureCollection。"))]
    file_crs = (
        text((data.get("crs") or {}).get("properties", {}).get("name")) if isinstance(data.get("crs"), dict) else ""
    )
    rows = []
    for number, feature in enumerate(data.get("features") or [], start=1):
        props = (feature or {}).get("properties") or {}
        values = {attr: props.get(header, props.get(key)) for header, key, attr in GRID_FIELDS if attr != "boundary"}
        values["boundary"] = (feature or {}).get("geometry")
        values["crs"] = values.get("crs") or file_crs
        rows.append(GridRow(GEOJSON_SHEET, number, values))
    return rows, []


def _read_grid_sheet(file: IO[bytes] | Any) -> tuple[list[GridRow], list[ImportIssue]]:
    rows: list[GridRow] = []
    issues: list[ImportIssue] = []
    headers = tuple(header for header, _key, _attr in GRID_FIELDS)
    for item in sheet_rows(file, headers):
        if isinstance(item, ImportIssue):
            issues.append(item)
            continue
        number, cells = item
        values = {attr: cells[header] for header, _key, attr in GRID_FIELDS}
        rows.append(GridRow(GRID_SHEET, number, values))
    return rows, issues


def clean_grid_values(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed values of one grid row and {header: problem} for each wrong cell (geometry checked later)."""
    headers = {attr: header for header, _key, attr in GRID_FIELDS}
    problems: dict[str, str] = {}
    out: dict[str, Any] = {attr: text(values.get(attr)) for attr in headers if attr != "boundary"}
    out["boundary"] = values.get("boundary")
    for attr in ("code", "name", "unit"):
        if not out[attr]:
            problems[headers[attr]] = _("必填。")
    if len(out["name"]) > 100:
        problems[headers["name"]] = _("不能超过100字。")
    level = choice(out["level"], Grid.Level, Grid.Level.GRID)
    grid_type = choice(out["grid_type"], Grid.GridType, Grid.GridType.COMPREHENSIVE)
    crs = CRS_ALIASES.get(out["crs"].lower().replace("_", "-"))
    if crs is None and "4326" in out["crs"]:
        crs = Crs.WGS84
    for attr, value in (("level", level), ("grid_type", grid_type), ("crs", crs)):
        if value is None:
            problems[headers[attr]] = _("“%(value)s”不是可选值。") % {"value": out[attr]}
    out.update(level=level, grid_type=grid_type, crs=crs)
    if out["valid_from"]:
        out["valid_from"] = parse_date(values.get("valid_from"))
        if out["valid_from"] is None:
            problems[headers["valid_from"]] = _("日期格式应为 YYYY-MM-DD。")
    else:
        out["valid_from"] = None
    if out["boundary"] in (None, ""):
        problems[headers["boundary"]] = _("必填。")
    return out, problems


def header_of(attr: str) -> str:
    return next(header for header, _key, a in GRID_FIELDS if a == attr)
