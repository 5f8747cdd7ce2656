"""The volunteer register in Excel: import an existing register (all or nothing, every wrong cell
reported by row and column) and export in the fields the national system (全国志愿服务信息系统)
takes for real-name registration. The export carries full ID numbers: it is audited."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from openpyxl import Workbook

from huying.core.errors import HuyingError
from huying.core.models import AuditLog
from huying.core.services import audit_record
from huying.core.sheets import ImportIssue, ImportReport, sheet_rows, text

from .. import matching, skills
from ..models import Team, Volunteer
from ..permissions import require_organiser, resolve
from .archive import volunteer_register

SHEET = "志愿者"
HEADERS = ("姓名", "身份证号", "手机号", "服务技能", "纬度", "经度")
EXPORT_HEADERS = ("志愿者编号", "姓名", "性别", "出生日期", "证件类型", "证件号码", "手机号", "服务技能", "所属队伍",
                  "注册时间", "累计服务时长（小时）")  # fmt: skip
_BY_NAME = {str(name): code for code, name in skills.SKILL_NAMES.items()}


def _skill_codes(cell: str) -> list[str]:
    parts = [p.strip() for p in cell.replace("，", "、").replace(",", "、").split("、") if p.strip()]
    return [_BY_NAME.get(p, p) for p in parts]


def volunteers_import(file: IO[bytes] | Any, *, actor: Any, team: Team) -> ImportReport:
    """Every row registered into ``team``, or none: the report lists each wrong cell."""
    resolved = resolve(actor)
    require_organiser(resolved, team.org_unit)
    report = ImportReport()
    rows = []
    for item in sheet_rows(file, HEADERS):
        if isinstance(item, ImportIssue):
            report.errors.append(item)
        else:
            number, cells = item
            report.rows += 1
            rows.append((number, {header: text(value) for header, value in cells.items()}))
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for number, cells in rows:
                try:
                    with transaction.atomic():
                        volunteer_register(
                            actor=resolved, real_name=cells["姓名"], id_number=cells["身份证号"], phone=cells["手机号"],
                            skill_codes=_skill_codes(cells["服务技能"]), availability=matching.ALL_SLOTS,
                            latitude=cells["纬度"], longitude=cells["经度"], publish_consent=False, team=team,
                            for_self=False,
                        )  # fmt: skip
                        report.created += 1
                except HuyingError as exc:
                    column = {"id_number": "身份证号", "phone": "手机号"}.get(str(exc.data.get("field", "")), None)
                    report.errors.append(ImportIssue(SHEET, number, column, str(exc.message)))
            if report.errors:
                raise _Rollback()
    except _Rollback:
        report.created = 0
    return report


class _Rollback(Exception):
    pass


def volunteers_export(*, actor: Any, team: Team) -> bytes:
    resolved = resolve(actor)
    require_organiser(resolved, team.org_unit)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(list(EXPORT_HEADERS))
    people = team.members.filter(status=Volunteer.Status.ACTIVE).annotate(
        total=Sum("signups__hours", default=Decimal(0))
    )
    hours = {v.pk: v.total for v in people}
    for v in team.members.filter(status=Volunteer.Status.ACTIVE).prefetch_related("teams").order_by("number"):
        sheet.append([
            v.number, v.real_name, "男" if v.gender == "M" else "女", v.birth_date.isoformat(), "居民身份证",
            v.id_number, v.phone, "、".join(skills.names(v.skills)), "、".join(t.name for t in v.teams.all()),
            f"{timezone.localtime(v.registered_at):%Y-%m-%d}", float(hours.get(v.pk) or 0),
        ])  # fmt: skip
    audit_record(kind=AuditLog.Kind.PERSONAL_DATA_VIEW, actor=resolved.user, obj=team,
                 summary=f"导出志愿者名册：{team.name}", data={"purpose": "export", "rows": sheet.max_row - 1})  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
