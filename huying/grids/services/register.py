"""A street's household register (Excel) imported in one transaction: every row checked, then bulk inserts.

One row per resident; rows sharing 网格编码 + 户号 form one household, whose address, phone,
liaison member and tags are read from its first row (later rows may leave them blank). ID numbers
are checked to GB 11643 (huying.core.validators), phones as mainland mobiles or landlines; a wrong
cell is reported by row and column and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.core.errors import ValidationFailed
from huying.core.models import AuditLog
from huying.core.services import audit_record
from huying.core.sheets import ImportIssue, ImportReport, sheet_rows, text
from huying.core.validators import normalize_id_number, normalize_phone

from ..cadence import month_end
from ..models import Grid, GridStaff, Household, Resident, Tag
from ..permissions import can_manage_unit, resolve

GRID, NUMBER, ADDRESS, HH_PHONE, LIAISON, TAGS = "网格编码", "户号", "住址", "户联系电话", "联户党员电话", "户标签"
NAME, RELATION, ID_NUMBER, PHONE = "姓名", "与户主关系", "身份证号", "个人联系电话"
HEADERS = (GRID, NUMBER, ADDRESS, HH_PHONE, LIAISON, TAGS, NAME, RELATION, ID_NUMBER, PHONE)
SHEET = "住户登记"
BATCH = 5000
_TAG_SPLIT = re.compile(r"[、,，;；\s]+")


@dataclass
class _Household:
    row: int
    grid_id: int
    number: str
    address: str
    phone: str
    liaison_id: int | None
    tag_ids: list[int]
    interval: int | None
    residents: list[tuple[str, str, str, str, dt.date]] = field(default_factory=list)


class _Context:
    """Lookups built once per import: grids the actor may manage, liaison members, tags."""

    def __init__(self, actor: Actor | None) -> None:
        grids = Grid.objects.filter(valid_to__isnull=True, level=Grid.Level.GRID).select_related("unit")
        self.grids: dict[str, int] = {}
        self.forbidden: set[str] = set()
        allowed_units: dict[int, bool] = {}
        for grid in grids:
            if grid.unit_id not in allowed_units:
                allowed_units[grid.unit_id] = can_manage_unit(actor, grid.unit)
            (
                self.grids.__setitem__(grid.code, grid.pk)
                if allowed_units[grid.unit_id]
                else self.forbidden.add(grid.code)
            )
        today = timezone.localdate()
        self.liaisons = {
            (grid_id, phone): pk
            for pk, grid_id, phone in GridStaff.objects.filter(kind=GridStaff.Kind.LIAISON, valid_from__lte=today)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
            .values_list("pk", "grid_id", "phone")
        }
        self.tags = {
            name: (pk, interval) for pk, name, interval in Tag.objects.values_list("pk", "name", "visit_interval_days")
        }
        self.relations = {str(label): value for value, label in Resident.Relation.choices}
        self.relations.update({value: value for value in Resident.Relation.values})


@functools.lru_cache(maxsize=8192)
def _region_valid_in(region: str, year: int) -> bool:
    """Whether the address code was in force in that year (GB 11643: the code at the time of issue).

    Asked of the platform's validator once per (code, year) with a made-up number of that code and
    year; the lookup is most of a full check's cost, and a register repeats a few codes and years.
    """
    body = f"{region}{year:04d}0101000"
    check = (1 - 2 * int(body, 13)) % 11
    try:
        normalize_id_number(body + ("X" if check == 10 else str(check)))
    except ValidationFailed:
        return False
    return True


def id_number_check(value: str) -> str:
    """The same verdict as huying.core.validators.normalize_id_number, fast for valid numbers.

    Length, digits, ISO 7064 MOD 11-2 check character, birth date and address code are checked
    here; anything that fails goes through the platform's validator, so the message is its own.
    """
    cleaned = value.replace(" ", "").upper()
    if len(cleaned) == 18 and cleaned[:17].isdigit():
        check = (1 - 2 * int(cleaned[:17], 13)) % 11
        if cleaned[17] == ("X" if check == 10 else str(check)):
            try:
                dt.date(int(cleaned[6:10]), int(cleaned[10:12]), int(cleaned[12:14]))
            except ValueError:
                pass
            else:
                if _region_valid_in(cleaned[:6], int(cleaned[6:10])):
                    return cleaned
    return normalize_id_number(value)


def _phone(value: str, column: str, problems: dict[str, str]) -> str:
    if not value:
        return ""
    try:
        return normalize_phone(value)
    except ValidationFailed as exc:
        problems[column] = str(exc.message)
        return ""


def _new_household(
    ctx: _Context, number: int, cells: dict[str, str], grid_id: int, problems: dict[str, str]
) -> _Household:
    if not cells[ADDRESS]:
        problems[ADDRESS] = _("每户第一行必填。")
    elif len(cells[ADDRESS]) > 200:
        problems[ADDRESS] = _("不能超过200字。")
    liaison_id = None
    if cells[LIAISON]:
        liaison_id = ctx.liaisons.get((grid_id, re.sub(r"[\s-]", "", cells[LIAISON])))
        if liaison_id is None:
            problems[LIAISON] = _("该网格没有此电话的联户党员。")
    tag_ids, intervals = [], []
    for name in filter(None, _TAG_SPLIT.split(cells[TAGS])):
        found = ctx.tags.get(name)
        if found is None:
            problems[TAGS] = _("没有名为“%(name)s”的标签。") % {"name": name}
            continue
        tag_ids.append(found[0])
        intervals.append(found[1])
    return _Household(
        row=number,
        grid_id=grid_id,
        number=cells[NUMBER],
        address=cells[ADDRESS],
        phone=_phone(cells[HH_PHONE], HH_PHONE, problems),
        liaison_id=liaison_id,
        tag_ids=tag_ids,
        interval=min((i for i in intervals if i), default=None),
    )


def _check_row(
    ctx: _Context,
    number: int,
    cells: dict[str, str],
    households: dict[tuple[int, str], _Household],
    ids: dict[str, int],
) -> dict[str, str]:
    """Check one resident row and add it to ``households``; return {column: problem}."""
    problems: dict[str, str] = {}
    grid_id = ctx.grids.get(cells[GRID])
    if grid_id is None:
        problems[GRID] = _("您无权导入该网格的住户。") if cells[GRID] in ctx.forbidden else _("没有此编码的现行网格。")
    if not cells[NUMBER]:
        problems[NUMBER] = _("必填。")
    elif len(cells[NUMBER]) > 30:
        problems[NUMBER] = _("不能超过30字。")
    if not cells[NAME]:
        problems[NAME] = _("必填。")
    elif len(cells[NAME]) > 40:
        problems[NAME] = _("不能超过40字。")
    relation = ctx.relations.get(cells[RELATION] or Resident.Relation.OTHER)
    if relation is None:
        problems[RELATION] = _("“%(value)s”不是可选值。") % {"value": cells[RELATION]}
    id_number = ""
    try:
        id_number = id_number_check(cells[ID_NUMBER])
    except ValidationFailed as exc:
        problems[ID_NUMBER] = str(exc.message)
    if id_number and id_number in ids:
        problems[ID_NUMBER] = _("与第%(row)s行重复。") % {"row": ids[id_number]}
    ids.setdefault(id_number, number)
    phone = _phone(cells[PHONE], PHONE, problems)
    if grid_id is None or not cells[NUMBER]:
        return problems
    key = (grid_id, cells[NUMBER])
    household = households.get(key)
    if household is None:
        household = households[key] = _new_household(ctx, number, cells, grid_id, problems)
    elif cells[ADDRESS] and cells[ADDRESS] != household.address:
        problems[ADDRESS] = _("与本户第%(row)s行的住址不一致。") % {"row": household.row}
    if not problems:
        birth = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        household.residents.append((cells[NAME], id_number, phone, relation or Resident.Relation.OTHER, birth))
    return problems


def _check_existing(households: dict[tuple[int, str], _Household], ids: dict[str, int], report: ImportReport) -> None:
    """Households and ID numbers already on the register are refused (this import only adds)."""
    grid_ids = sorted({grid_id for grid_id, _number in households})
    for start in range(0, len(grid_ids), 500):
        existing = Household.objects.filter(grid_id__in=grid_ids[start : start + 500]).values_list("grid_id", "number")
        for key in existing.iterator(chunk_size=5000):
            if key in households:
                report.errors.append(ImportIssue(SHEET, households[key].row, NUMBER, _("该网格已登记此户号。")))
    all_ids = [i for i in ids if i]
    for start in range(0, len(all_ids), 500):
        for id_number in Resident.objects.filter(id_number__in=all_ids[start : start + 500]).values_list(
            "id_number", flat=True
        ):
            report.errors.append(ImportIssue(SHEET, ids[id_number], ID_NUMBER, _("此身份证号已登记在其他住户。")))


def households_import(
    file: IO[bytes] | Any, *, actor: Actor | User | AnonymousUser | None, ip_address: str | None = None
) -> ImportReport:
    """Import a street's register of households and residents; all or nothing.

    Every row is checked first; when any is wrong nothing is saved and the report lists each
    problem as (sheet, row, column, message). Households are created (a 户号 already registered
    in the grid is refused); new households are due for a visit this month, or at once when a
    tag asks for frequent visits. Grid counts follow. Audited.
    """
    resolved = resolve(actor)
    ctx = _Context(resolved)
    report = ImportReport()
    households: dict[tuple[int, str], _Household] = {}
    ids: dict[str, int] = {}
    for item in sheet_rows(file, HEADERS):
        if isinstance(item, ImportIssue):
            report.errors.append(item)
            continue
        number, raw = item
        report.rows += 1
        cells = {h: text(v) for h, v in raw.items()}
        for column, message in _check_row(ctx, number, cells, households, ids).items():
            report.errors.append(ImportIssue(SHEET, number, column, message))
    if not report.errors:
        _check_existing(households, ids, report)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            _write(list(households.values()), report)
            audit_record(
                kind=AuditLog.Kind.CONFIG_CHANGE,
                actor=resolved.user if resolved else None,
                summary=f"导入住户登记：{report.created}户，{report.rows}人",
                data={"households": report.created, "residents": report.rows},
                ip_address=ip_address,
            )
    except IntegrityError:
        report.errors.append(
            ImportIssue("—", None, None, _("数据与现有记录冲突（可能同时有其他导入），未导入任何内容。"))
        )
        report.created = 0
    return report


def _write(households: list[_Household], report: ImportReport) -> None:
    today = timezone.localdate()
    through = Household.tags.through
    per_grid: dict[int, list[int]] = {}
    for start in range(0, len(households), BATCH):
        chunk = households[start : start + BATCH]
        objs = [
            Household(
                grid_id=h.grid_id,
                number=h.number,
                address=h.address,
                phone=h.phone,
                liaison_id=h.liaison_id,
                resident_count=len(h.residents),
                visit_due_on=today if h.interval else month_end(today),
            )
            for h in chunk
        ]
        Household.objects.bulk_create(objs)
        Resident.objects.bulk_create(
            [
                Resident(household_id=obj.pk, name=n, id_number=i, phone=p, relation=r, birth_date=b)
                for obj, h in zip(objs, chunk, strict=True)
                for n, i, p, r, b in h.residents
            ]
        )
        through.objects.bulk_create(
            [through(household_id=obj.pk, tag_id=t) for obj, h in zip(objs, chunk, strict=True) for t in h.tag_ids]
        )
        for h in chunk:
            counts = per_grid.setdefault(h.grid_id, [0, 0])
            counts[0] += 1
            counts[1] += len(h.residents)
    for grid_id, (n_households, n_residents) in per_grid.items():
        Grid.objects.filter(pk=grid_id).update(
            household_count=F("household_count") + n_households, resident_count=F("resident_count") + n_residents
        )
    report.created = len(households)
