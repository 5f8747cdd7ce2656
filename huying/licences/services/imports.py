"""Licences imported from a spreadsheet (CSV or .xlsx): every row checked, nothing saved if any fails."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.core.errors import ValidationFailed
from huying.core.services import audit_record

from ..models import LicenceSource
from .issue import _clean_issue, _create_version

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 20000
IMPORT_COLUMNS = {
    "type_code": ("证照类型代码", "type_code"),
    "holder_code": ("持证主体代码", "holder_code"),
    "holder_name": ("持证主体", "持证主体名称", "holder_name"),
    "issuer_name": ("证照颁发机构", "issuer_name"),
    "issuer_credit_code": ("证照颁发机构代码", "issuer_credit_code"),
    "number": ("证照编号", "number"),
    "issued_on": ("证照颁发日期", "颁发日期", "issued_on"),
    "valid_from": ("有效期起始日期", "valid_from"),
    "valid_until": ("有效期截止日期", "valid_until"),
    "source_ref": ("来源编号", "source_ref"),
}
REQUIRED_COLUMNS = ("type_code", "holder_code", "holder_name", "issuer_name", "issuer_credit_code")


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based, header = row 1, as a spreadsheet numbers it
    field: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list[RowError] = dc_field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_rows(upload: Any) -> list[list[Any]]:
    name = (getattr(upload, "name", "") or "").lower()
    size = getattr(upload, "size", None)
    if size is not None and size > IMPORT_MAX_BYTES:
        raise ValidationFailed(data={"file": _("文件不能超过5MB。")})
    raw = upload.read()
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > IMPORT_MAX_BYTES:
        raise ValidationFailed(data={"file": _("文件不能超过5MB。")})
    if name.endswith(".xlsx") or raw[:2] == b"PK":
        try:
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            book.close()
            return rows
        except Exception:
            raise ValidationFailed(data={"file": _("无法读取Excel文件：请上传.xlsx格式的表格。")}) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationFailed(data={"file": _("无法识别文件编码：请以UTF-8编码的CSV或.xlsx上传。")})
    try:
        return [list(r) for r in csv.reader(io.StringIO(text))]
    except csv.Error:
        raise ValidationFailed(data={"file": _("CSV文件格式错误。")}) from None


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return str(value).strip()


def licence_import(file: Any, *, actor: User | AnonymousUser) -> ImportReport:
    """Import licences from CSV or .xlsx (header row, Chinese or English column names).

    Every row is validated; errors are reported by row and field, and nothing is saved if any
    row fails. Imported licences are marked source=imported.
    """
    rows = [r for r in _read_rows(file) if any(_cell(c) != "" for c in r)]
    report = ImportReport()
    if not rows:
        raise ValidationFailed(data={"file": _("文件为空：第一行应为表头，之后每行一份证照。")})
    header = [str(_cell(c)) for c in rows[0]]
    positions: dict[str, int] = {}
    for field, names in IMPORT_COLUMNS.items():
        for index, title in enumerate(header):
            if title in names:
                positions[field] = index
                break
    missing = [IMPORT_COLUMNS[f][0] for f in REQUIRED_COLUMNS if f not in positions]
    if missing:
        raise ValidationFailed(data={"file": _("缺少必填列：%(columns)s。") % {"columns": "、".join(missing)}})
    body = rows[1:]
    if len(body) > IMPORT_MAX_ROWS:
        raise ValidationFailed(data={"file": _("一次最多导入%(n)d行。") % {"n": IMPORT_MAX_ROWS}})
    report.rows = len(body)
    cleaned_rows: list[tuple[dict[str, Any], str]] = []
    for number, row in enumerate(body, start=2):
        values = {f: (_cell(row[i]) if i < len(row) else "") for f, i in positions.items()}
        try:
            clean = _clean_issue(
                type_code=str(values.get("type_code", "")),
                holder_code=str(values.get("holder_code", "")),
                holder_name=str(values.get("holder_name", "")),
                issuer_name=str(values.get("issuer_name", "")),
                issuer_credit_code=str(values.get("issuer_credit_code", "")),
                number=str(values.get("number", "")),
                data={},
                valid_from=values.get("valid_from") or None,
                valid_until=values.get("valid_until") or None,
                issued_on=values.get("issued_on") or None,
            )
        except ValidationFailed as exc:
            for field, message in sorted((exc.data or {}).items()):
                report.errors.append(RowError(number, field, str(message)))
            continue
        source_ref = str(values.get("source_ref", ""))
        if len(source_ref) > 100:
            report.errors.append(RowError(number, "source_ref", _("来源编号不能超过100字。")))
            continue
        cleaned_rows.append((clean, source_ref))
    if report.errors:
        return report
    with transaction.atomic():
        for clean, source_ref in cleaned_rows:
            _create_version(clean, issuer_unit=None, source=LicenceSource.IMPORTED, source_ref=source_ref)
        report.created = len(cleaned_rows)
        audit_record(
            kind="licence_import",
            actor=actor,
            summary=f"导入电子证照 {report.created} 份",
            data={"file": str(getattr(file, "name", ""))[:100], "rows": report.rows},
        )
    return report
