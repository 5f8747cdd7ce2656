"""Writes of the grid layer: a grid created, its boundary adjusted (history kept), the GeoJSON/Excel import.

Grid codes: 12-digit 统计用区划代码 + 3-digit sequence. The township segment (digits 7–9) follows
the statistical code rules (国统字〔2009〕91号): 001–099 街道, 100–199 镇, 200–399 乡, 400–599
政企合一 units.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import IO, Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.models import AuditLog
from huying.core.services import audit_record
from huying.core.sheets import ImportIssue, ImportReport
from huying.core.validators import normalize_phone
from huying.organisations.models import OrgUnit

from .. import errors
from ..geometry import area_m2, parse_boundary, to_geojson
from ..importing import clean_grid_values, header_of, read_grid_file
from ..models import Crs, Grid, GridBoundary
from ..permissions import can_manage_unit, resolve
from ..spatial import GridIndex, LocatedGrid, build_index, current_grids, grid_index_invalidate

_CODE = re.compile(r"^\d{15}$")


def grid_code_check(code: str) -> str:
    """The code if it is 12-digit statistical area code + 3-digit sequence; ValidationFailed otherwise."""
    code = (code or "").strip()
    township = int(code[6:9]) if _CODE.match(code) else 0
    if not _CODE.match(code) or not 1 <= township <= 599 or code[12:] == "000":
        raise ValidationFailed(
            _("网格编码应为15位数字：12位统计用区划代码（乡镇段001–599）加3位顺序号（001–999）。"),
            code=errors.INVALID_GRID_CODE,
            data={"code": code},
        )
    return code


def _expected_unit_kind(level: str) -> str:
    # Xi'an DB6101/T 3185-2024: every grid belongs to a village or community, never directly to a
    # township; Zhaoyuan's 示范区 sits between the township and its villages.
    return OrgUnit.Kind.TOWNSHIP if level == Grid.Level.DEMO_ZONE else OrgUnit.Kind.COMMUNITY


def _unit_problem(unit: OrgUnit, level: str, code: str) -> str | None:
    if unit.kind != _expected_unit_kind(level):
        if level == Grid.Level.DEMO_ZONE:
            return _("示范区应隶属于乡镇（街道）。")
        return _("网格应隶属于村（社区），不能直接隶属于乡镇（街道）或区县。")
    division_code = unit.division.code if unit.division_id and unit.division else ""
    if level == Grid.Level.GRID and len(division_code) == 12 and division_code != code[:12]:
        return _("网格编码前12位应为所属村（社区）的统计用区划代码 %(code)s。") % {"code": division_code}
    return None


def _level_index(level: str, *, exclude: frozenset[str] | set[str] = frozenset()) -> GridIndex:
    rows = list(current_grids(level).exclude(code__in=exclude).values_list("id", "code", "name", "unit_id", "boundary"))
    return build_index(rows)


def _overlap_error(found: list[tuple[LocatedGrid, float]]) -> ValidationFailed:
    ref, shared = found[0]
    return ValidationFailed(
        _("边界与现行网格“%(name)s”（%(code)s）重叠约 %(m2).0f 平方米。")
        % {"name": ref.name, "code": ref.code, "m2": shared},
        code=errors.GRID_OVERLAP,
        data={"code": ref.code, "overlap_m2": round(shared, 1)},
    )


def _check_manage(actor: Actor | None, unit: OrgUnit) -> None:
    if not can_manage_unit(actor, unit):
        raise PermissionDenied(_("您无权管理该区域的网格。"))


def grid_create(
    *,
    actor: Actor | User | AnonymousUser | None,
    unit: OrgUnit,
    code: str,
    name: str,
    boundary: Any,
    crs: str = Crs.WGS84,
    level: str = Grid.Level.GRID,
    grid_type: str = Grid.GridType.COMPREHENSIVE,
    parent: Grid | None = None,
    supervision_phone: str = "",
    valid_from: dt.date | None = None,
) -> Grid:
    """A new current grid. Refuses a bad code or polygon, a wrong unit, and overlap with a current grid
    of the same level (ValidationFailed with code invalid_grid_code / invalid_geometry / grid_overlap)."""
    resolved = resolve(actor)
    _check_manage(resolved, unit)
    code = grid_code_check(code)
    problem = _unit_problem(unit, level, code)
    if problem:
        raise ValidationFailed(problem, data={"unit": unit.name})
    geom = parse_boundary(boundary, crs=crs)
    found = _level_index(level).overlaps(geom)
    if found:
        raise _overlap_error(found)
    phone = normalize_phone(supervision_phone, field="supervision_phone") if supervision_phone else ""
    valid_from = valid_from or timezone.localdate()
    with transaction.atomic():
        grid = Grid.objects.create(
            code=code,
            area_code=code[:12],
            sequence=int(code[12:]),
            name=name.strip()[:100],
            level=level,
            grid_type=grid_type,
            unit=unit,
            parent=parent,
            boundary=to_geojson(geom),
            source_crs=crs,
            area_m2=area_m2(geom),
            supervision_phone=phone,
            valid_from=valid_from,
        )
        GridBoundary.objects.create(grid=grid, boundary=grid.boundary, source_crs=crs, valid_from=valid_from)
    grid_index_invalidate()
    return grid


def grid_adjust_boundary(
    *,
    actor: Actor | User | AnonymousUser | None,
    grid: Grid,
    boundary: Any,
    crs: str = Crs.WGS84,
    effective_on: dt.date | None = None,
) -> Grid:
    """Move a current grid's boundary from ``effective_on``: the old version is closed, not overwritten."""
    resolved = resolve(actor)
    _check_manage(resolved, grid.unit)
    geom = parse_boundary(boundary, crs=crs)
    found = _level_index(grid.level, exclude={grid.code}).overlaps(geom)
    if found:
        raise _overlap_error(found)
    with transaction.atomic():
        _apply_boundary(grid, geom, crs, effective_on or timezone.localdate())
    grid_index_invalidate()
    return grid


def _apply_boundary(grid: Grid, geom: BaseGeometry, crs: str, effective_on: dt.date) -> None:
    current = GridBoundary.objects.filter(grid=grid, valid_to__isnull=True).order_by("-valid_from").first()
    if current is not None and effective_on <= current.valid_from:
        raise ValidationFailed(
            _("新边界的启用日期应晚于现行边界的启用日期 %(day)s。") % {"day": current.valid_from.isoformat()},
            data={"valid_from": effective_on.isoformat()},
        )
    if current is not None:
        GridBoundary.objects.filter(pk=current.pk).update(valid_to=effective_on)
    grid.boundary = to_geojson(geom)
    grid.source_crs = crs
    grid.area_m2 = area_m2(geom)
    grid.save(update_fields=["boundary", "source_crs", "area_m2", "updated_at"])
    GridBoundary.objects.create(grid=grid, boundary=grid.boundary, source_crs=crs, valid_from=effective_on)


# --- import ------------------------------------------------------------------------------------


@dataclass
class _Prepared:
    sheet: str
    row: int
    values: dict[str, Any]
    unit: OrgUnit
    geom: BaseGeometry


def _unit_resolver() -> Any:
    by_name: dict[str, list[OrgUnit]] = {}
    for unit in OrgUnit.objects.filter(is_active=True).select_related("division"):
        by_name.setdefault(unit.name, []).append(unit)
        if unit.short_name:
            by_name.setdefault(unit.short_name, []).append(unit)
    return by_name


def _prepare_rows(rows: list[Any], actor: Actor | None, report: ImportReport) -> list[_Prepared]:
    units = _unit_resolver()
    prepared: list[_Prepared] = []
    seen: dict[str, int] = {}
    for row in rows:
        values, problems = clean_grid_values(row.values)
        if values["code"] and header_of("code") not in problems:
            try:
                grid_code_check(values["code"])
            except ValidationFailed as exc:
                problems[header_of("code")] = str(exc.message)
            if values["code"] in seen:
                problems[header_of("code")] = _("与第%(row)s行重复。") % {"row": seen[values["code"]]}
            seen.setdefault(values["code"], row.row)
        unit = None
        found = units.get(values["unit"], []) if values["unit"] else []
        if values["unit"] and len(found) != 1:
            problems[header_of("unit")] = (
                _("没有名为“%(name)s”的村（社区）。") if not found else _("有多个名为“%(name)s”的单位，无法确定。")
            ) % {"name": values["unit"]}
        elif found:
            unit = found[0]
            problem = _unit_problem(unit, values["level"] or Grid.Level.GRID, values["code"])
            if problem is None and not can_manage_unit(actor, unit):
                problem = _("您无权管理该区域的网格。")
            if problem and header_of("code") not in problems:
                problems[header_of("unit")] = problem
        if values["supervision_phone"]:
            try:
                values["supervision_phone"] = normalize_phone(values["supervision_phone"])
            except ValidationFailed as exc:
                problems[header_of("supervision_phone")] = str(exc.message)
        geom = None
        if values["boundary"] not in (None, "") and values["crs"]:
            try:
                geom = parse_boundary(values["boundary"], crs=values["crs"])
            except ValidationFailed as exc:
                problems[header_of("boundary")] = str(exc.message)
        for column, message in problems.items():
            report.errors.append(ImportIssue(row.sheet, row.row, column, message))
        if not problems and unit is not None and geom is not None:
            prepared.append(_Prepared(row.sheet, row.row, values, unit, geom))
    return prepared


def _check_overlaps(prepared: list[_Prepared], report: ImportReport) -> None:
    """No two current grids of one level overlap: the file's rows against each other and against
    the current grids the file does not replace (one STRtree over both)."""
    for level in {p.values["level"] for p in prepared}:
        rows = [p for p in prepared if p.values["level"] == level]
        existing = _level_index(level, exclude={p.values["code"] for p in rows})
        refs = list(existing.refs) + [
            LocatedGrid(-(i + 1), p.values["code"], p.values["name"], 0) for i, p in enumerate(rows)
        ]
        index = GridIndex(refs, list(existing.geoms) + [p.geom for p in rows])
        row_of = {p.values["code"]: p.row for p in rows}
        for p in rows:
            for ref, shared in index.overlaps(p.geom, ignore={p.values["code"]}):
                other = row_of.get(ref.code)
                if other is not None and other > p.row:
                    continue  # reported once, on the later row
                where = _("第%(row)s行") % {"row": other} if other is not None else _("现行网格")
                report.errors.append(
                    ImportIssue(
                        p.sheet,
                        p.row,
                        header_of("boundary"),
                        _("与%(where)s“%(name)s”（%(code)s）重叠约 %(m2).0f 平方米。")
                        % {"where": where, "name": ref.name, "code": ref.code, "m2": shared},
                    )
                )


def grids_import(
    file: IO[bytes] | Any,
    *,
    filename: str,
    actor: Actor | User | AnonymousUser | None,
    ip_address: str | None = None,
) -> ImportReport:
    """Import grids from a GeoJSON FeatureCollection or an Excel sheet; all or nothing.

    Every row is checked first (code, unit, polygon, no overlap with another row or a current
    grid); when any is wrong nothing is saved and the report lists each problem by row and column.
    A row whose code is a current grid's moves that grid's boundary from its 启用日期 (the old
    version is kept); other rows create grids. Audited.
    """
    resolved = resolve(actor)
    rows, issues = read_grid_file(file, filename=filename)
    report = ImportReport(errors=list(issues), rows=len(rows))
    if report.errors:
        return report
    prepared = _prepare_rows(rows, resolved, report)
    _check_overlaps(prepared, report)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            _write_grids(prepared, report)
            audit_record(
                kind=AuditLog.Kind.CONFIG_CHANGE,
                actor=resolved.user if resolved else None,
                summary=f"导入网格：新增{report.created}个，调整边界{report.updated}个",
                data={"created": report.created, "updated": report.updated},
                ip_address=ip_address,
            )
    except (ValidationFailed, IntegrityError) as exc:
        message = str(exc.message) if isinstance(exc, ValidationFailed) else _("数据与现有记录冲突，未导入任何内容。")
        report.errors.append(ImportIssue("—", None, None, message))
        report.created = report.updated = 0
    grid_index_invalidate()
    return report


def _write_grids(prepared: list[_Prepared], report: ImportReport) -> None:
    today = timezone.localdate()
    current = {
        g.code: g for g in Grid.objects.filter(valid_to__isnull=True, code__in=[p.values["code"] for p in prepared])
    }
    # 示范区 first, so a grid in the same file can name its 示范区 as parent.
    prepared.sort(key=lambda p: (p.values["level"] != Grid.Level.DEMO_ZONE, p.row))
    new: list[Grid] = []
    created: list[Grid] = []
    for p in prepared:
        v = p.values
        grid = current.get(v["code"])
        if grid is not None:
            grid.name = v["name"][:100]
            grid.supervision_phone = v["supervision_phone"] or grid.supervision_phone
            grid.save(update_fields=["name", "supervision_phone", "updated_at"])
            _apply_boundary(grid, p.geom, v["crs"], v["valid_from"] or today)
            report.updated += 1
            continue
        parent = None
        if v["parent_code"]:
            parent = Grid.objects.filter(
                code=v["parent_code"], valid_to__isnull=True, level=Grid.Level.DEMO_ZONE
            ).first()
            if parent is None:
                raise ValidationFailed(
                    _("第%(row)s行：上级示范区编码 %(code)s 不存在。") % {"row": p.row, "code": v["parent_code"]}
                )
        grid = Grid(
            code=v["code"],
            area_code=v["code"][:12],
            sequence=int(v["code"][12:]),
            name=v["name"][:100],
            level=v["level"],
            grid_type=v["grid_type"],
            unit=p.unit,
            parent=parent,
            boundary=to_geojson(p.geom),
            source_crs=v["crs"],
            area_m2=area_m2(p.geom),
            supervision_phone=v["supervision_phone"],
            valid_from=v["valid_from"] or today,
        )
        if grid.level == Grid.Level.DEMO_ZONE:
            grid.save()
        else:
            new.append(grid)
        created.append(grid)
        report.created += 1
    Grid.objects.bulk_create(new, batch_size=500)
    GridBoundary.objects.bulk_create(
        [GridBoundary(grid=g, boundary=g.boundary, source_crs=g.source_crs, valid_from=g.valid_from) for g in created],
        batch_size=500,
    )
