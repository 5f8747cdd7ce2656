"""The catalogue as an Excel workbook (实施清单交换): sheet and column layout, reading and checking.

One sheet per table, Chinese headers in row 1, data from row 2. Choice columns hold the Chinese
label (行政许可, 市级 …) or the stored value; yes/no columns hold 是/否. Reading never writes:
``read_workbook`` returns the parsed rows and every problem found as (sheet, row, column,
message), so the import can refuse the whole file when any row is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db.models import TextChoices

from huying.licences.identifier import uscc_is_valid

from .models import Bundle, FormField, Material, ServiceItem

SHEET_ITEMS = "事项"
SHEET_MATERIALS = "材料"
SHEET_FIELDS = "表单字段"
SHEET_STEPS = "审批环节"
SHEET_BUNDLES = "一件事"
SHEET_BUNDLE_ITEMS = "一件事事项"
MAX_SMALL_INT = 32767
KEY_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


@dataclass(frozen=True)
class Column:
    header: str
    attr: str
    kind: str = "text"  # text | int | bool | choice | key | licence | unit
    required: bool = False
    max_length: int | None = None
    choices: type[TextChoices] | None = None
    default: Any = ""


def _model_max(model: Any, name: str) -> int | None:
    return model._meta.get_field(name).max_length  # type: ignore[no-any-return]


ITEM_COLUMNS: tuple[Column, ...] = (
    Column("实施编码", "code", required=True, max_length=36),
    Column("基本编码", "basic_code", max_length=12),
    Column("事项名称", "name", required=True, max_length=200),
    Column("实施主体", "unit", "unit", required=True),
    Column("事项类型", "item_type", "choice", required=True, choices=ServiceItem.ItemType),
    Column("行使层级", "level", "choice", required=True, choices=ServiceItem.Level),
    Column("服务对象", "applicant_kind", "choice", required=True, choices=ServiceItem.ApplicantKind),
    Column("办件类型", "review_mode", "choice", required=True, choices=ServiceItem.ReviewMode),
    Column("法定办结时限（工作日）", "legal_days", "int", required=True),
    Column("承诺办结时限（工作日）", "promised_days", "int", required=True),
    Column("设定依据", "legal_basis"),
    Column("受理条件", "conditions"),
    Column("办理流程", "process"),
    Column("收费标准", "fee", max_length=200),
    Column("收费依据", "fee_basis", max_length=200),
    Column("办理地点", "place", max_length=200),
    Column("办理时间", "hours", max_length=100),
    Column("咨询电话", "contact_phone", max_length=40),
    Column("可网上办理", "online", "bool", default=True),
    Column("到办事现场次数", "max_visits", "int", default=1),
    Column("可帮办代办", "proxy_allowed", "bool", default=True),
    Column("支持快递送达结果", "express_delivery", "bool", default=True),
    Column("审批结果名称", "result_name", max_length=100),
    Column("结果电子证照类型代码", "result_licence_type_code", "licence"),
    Column("在用", "is_active", "bool", default=True),
)
MATERIAL_COLUMNS: tuple[Column, ...] = (
    Column("实施编码", "item_code", required=True, max_length=36),
    Column("材料标识", "key", "key", required=True, max_length=60),
    Column("材料名称", "name", required=True, max_length=200),
    Column("材料形式", "form", "choice", choices=Material.Form, default=Material.Form.ORIGINAL),
    Column("来源渠道", "source", "choice", choices=Material.Source, default=Material.Source.APPLICANT),
    Column("必要", "required", "bool", default=True),
    Column("纸质份数", "copies", "int", default=1),
    Column("填报须知", "notes", max_length=300),
    Column("可用电子证照类型代码", "licence_type_code", "licence"),
    Column("排序", "sort", "int", default=0),
)
FIELD_COLUMNS: tuple[Column, ...] = (
    Column("实施编码", "item_code", required=True, max_length=36),
    Column("字段标识", "key", "key", required=True, max_length=60),
    Column("字段名称", "label", required=True, max_length=100),
    Column("类型", "kind", "choice", choices=FormField.Kind, default=FormField.Kind.TEXT),
    Column("可选值（以“|”分隔）", "choices", max_length=300),
    Column("必填", "required", "bool", default=True),
    Column("排序", "sort", "int", default=0),
)
STEP_COLUMNS: tuple[Column, ...] = (
    Column("实施编码", "item_code", required=True, max_length=36),
    Column("阶段", "stage", "int", required=True),
    Column("环节名称", "name", required=True, max_length=100),
    Column("审批部门", "unit", "unit", required=True),
    Column("环节时限（工作日）", "days", "int", default=1),
)
BUNDLE_COLUMNS: tuple[Column, ...] = (
    Column("编码", "code", "key", required=True, max_length=40),
    Column("名称", "name", required=True, max_length=100),
    Column("说明", "description"),
    Column("牵头部门", "lead_unit", "unit", required=True),
    Column("承诺办结时限（工作日）", "promised_days", "int", default=None),
    Column("各事项并联审批", "review_in_parallel", "bool", default=False),
    Column("在用", "is_active", "bool", default=True),
)
BUNDLE_ITEM_COLUMNS: tuple[Column, ...] = (
    Column("一件事编码", "bundle_code", "key", required=True, max_length=40),
    Column("实施编码", "item_code", required=True, max_length=36),
    Column("排序", "sort", "int", default=0),
)
SHEETS: tuple[tuple[str, tuple[Column, ...], bool], ...] = (
    (SHEET_ITEMS, ITEM_COLUMNS, True),
    (SHEET_MATERIALS, MATERIAL_COLUMNS, False),
    (SHEET_FIELDS, FIELD_COLUMNS, False),
    (SHEET_STEPS, STEP_COLUMNS, False),
    (SHEET_BUNDLES, BUNDLE_COLUMNS, False),
    (SHEET_BUNDLE_ITEMS, BUNDLE_ITEM_COLUMNS, False),
)
assert _model_max(Bundle, "code") == 40 and _model_max(ServiceItem, "code") == 36

YES = {"是", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "n", "no", "false", "0", "×", ""}


@dataclass(frozen=True)
class ImportIssue:
    """One problem in the workbook: ``row`` is the Excel row number (1 = headers), ``column`` the
    header text; both are None for a problem of the whole sheet or file."""

    sheet: str
    row: int | None
    column: str | None
    message: str


@dataclass
class ParsedRow:
    sheet: str
    row: int
    values: dict[str, Any]


@dataclass
class ParsedWorkbook:
    rows: dict[str, list[ParsedRow]] = field(default_factory=dict)
    issues: list[ImportIssue] = field(default_factory=list)


def licence_code_problem(code: str) -> str | None:
    """Why a GB/T 36904 licence type code is malformed, or None: 21 characters, the defining
    authority's 统一社会信用代码 (check character verified) and a 3-digit sequence."""
    if len(code) != 21:
        return "电子证照类型代码应为21位（18位统一社会信用代码加3位顺序号）。"
    if not uscc_is_valid(code[:18]):
        return "电子证照类型代码的前18位不是有效的统一社会信用代码。"
    if not code[18:].isdigit():
        return "电子证照类型代码的后3位应为数字。"
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _choice_lookup(choices: type[TextChoices]) -> dict[str, str]:
    lookup = {str(value): str(value) for value in choices.values}
    lookup.update({str(label): str(value) for value, label in choices.choices})
    return lookup


def _convert(col: Column, raw: Any, units: Callable[[str], tuple[Any, str | None]]) -> tuple[Any, str | None]:
    text = _text(raw)
    if not text:
        if col.required:
            return None, "必填，不能为空。"
        return col.default, None
    if col.max_length and len(text) > col.max_length:
        return None, f"不能超过{col.max_length}个字符。"
    if col.kind == "int":
        if isinstance(raw, bool):
            return None, "应为整数。"
        try:
            number = float(text)
        except ValueError:
            return None, "应为整数。"
        if not number.is_integer():
            return None, "应为整数。"
        if number < 0 or number > MAX_SMALL_INT:
            return None, f"应为0到{MAX_SMALL_INT}之间的整数。"
        return int(number), None
    if col.kind == "bool":
        lowered = text.lower()
        if lowered in YES:
            return True, None
        if lowered in NO:
            return False, None
        return None, "请填写“是”或“否”。"
    if col.kind == "choice":
        assert col.choices is not None
        value = _choice_lookup(col.choices).get(text)
        if value is None:
            allowed = "、".join(str(label) for _v, label in col.choices.choices)
            return None, f"“{text}”不是可选值（{allowed}）。"
        return value, None
    if col.kind == "key":
        if not KEY_RE.match(text):
            return None, "只能包含英文字母、数字、下划线和连字符。"
        return text, None
    if col.kind == "licence":
        code = text.upper()
        problem = licence_code_problem(code)
        return (None, problem) if problem else (code, None)
    if col.kind == "unit":
        return units(text)
    return text, None


def read_sheet(
    sheet_name: str,
    ws: Any,
    columns: Iterable[Column],
    units: Callable[[str], tuple[Any, str | None]],
    issues: list[ImportIssue],
) -> list[ParsedRow]:
    columns = tuple(columns)
    rows = ws.iter_rows(values_only=True)
    try:
        header = [_text(h) for h in next(rows)]
    except StopIteration:
        issues.append(ImportIssue(sheet_name, None, None, "工作表为空，缺少表头。"))
        return []
    positions: dict[str, int] = {}
    for col in columns:
        if col.header in header:
            positions[col.attr] = header.index(col.header)
        elif col.required:
            issues.append(ImportIssue(sheet_name, 1, col.header, "缺少此列。"))
    if any(i.sheet == sheet_name and i.row == 1 for i in issues):
        return []
    parsed: list[ParsedRow] = []
    for number, cells in enumerate(rows, start=2):
        if cells is None or all(_text(c) == "" for c in cells):
            continue
        values: dict[str, Any] = {}
        for col in columns:
            if col.attr not in positions:
                values[col.attr] = col.default
                continue
            index = positions[col.attr]
            raw = cells[index] if index < len(cells) else None
            value, problem = _convert(col, raw, units)
            if problem:
                issues.append(ImportIssue(sheet_name, number, col.header, problem))
            values[col.attr] = value
        parsed.append(ParsedRow(sheet_name, number, values))
    return parsed


def read_workbook(file: IO[bytes] | Any, units: Callable[[str], tuple[Any, str | None]]) -> ParsedWorkbook:
    """Parse and check every cell. Cross-row rules (duplicates, references, promised ≤ legal) are
    checked here too, so a clean result can be written without further surprises."""
    from openpyxl import load_workbook

    result = ParsedWorkbook()
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not an xlsx workbook
        result.issues.append(ImportIssue("—", None, None, "无法读取文件：请上传 .xlsx 格式的 Excel 工作簿。"))
        return result
    try:
        for name, columns, required in SHEETS:
            if name not in wb.sheetnames:
                if required:
                    result.issues.append(ImportIssue(name, None, None, f"缺少“{name}”工作表。"))
                result.rows[name] = []
                continue
            result.rows[name] = read_sheet(name, wb[name], columns, units, result.issues)
    finally:
        wb.close()
    _cross_checks(result)
    return result


def _cross_checks(book: ParsedWorkbook) -> None:
    issues = book.issues
    item_codes: dict[str, int] = {}
    for row in book.rows[SHEET_ITEMS]:
        v = row.values
        code = v["code"]
        if code:
            if code in item_codes:
                issues.append(ImportIssue(SHEET_ITEMS, row.row, "实施编码", f"实施编码与第{item_codes[code]}行重复。"))
            else:
                item_codes[code] = row.row
        legal, promised = v.get("legal_days"), v.get("promised_days")
        if isinstance(legal, int) and isinstance(promised, int) and promised > legal:
            issues.append(
                ImportIssue(SHEET_ITEMS, row.row, "承诺办结时限（工作日）", "承诺办结时限不得超过法定办结时限。")
            )
    for sheet, key_attr, key_header in (
        (SHEET_MATERIALS, "key", "材料标识"),
        (SHEET_FIELDS, "key", "字段标识"),
        (SHEET_STEPS, None, None),
    ):
        seen: dict[tuple[str, str], int] = {}
        for row in book.rows[sheet]:
            code = row.values["item_code"]
            if code and code not in item_codes:
                issues.append(ImportIssue(sheet, row.row, "实施编码", "该实施编码不在“事项”工作表中。"))
            if key_attr and code and row.values.get(key_attr):
                pair = (code, row.values[key_attr])
                if pair in seen:
                    issues.append(
                        ImportIssue(sheet, row.row, key_header, f"同一事项的{key_header}与第{seen[pair]}行重复。")
                    )
                else:
                    seen[pair] = row.row
        if sheet == SHEET_FIELDS:
            for row in book.rows[sheet]:
                if row.values.get("kind") == FormField.Kind.CHOICE and not row.values.get("choices"):
                    issues.append(ImportIssue(sheet, row.row, "可选值（以“|”分隔）", "选项类字段须填写可选值。"))
    bundle_codes: dict[str, int] = {}
    for row in book.rows[SHEET_BUNDLES]:
        code = row.values["code"]
        if code in bundle_codes:
            issues.append(ImportIssue(SHEET_BUNDLES, row.row, "编码", f"编码与第{bundle_codes[code]}行重复。"))
        elif code:
            bundle_codes[code] = row.row
    pairs: dict[tuple[str, str], int] = {}
    for row in book.rows[SHEET_BUNDLE_ITEMS]:
        bcode, icode = row.values["bundle_code"], row.values["item_code"]
        if bcode and bcode not in bundle_codes:
            issues.append(ImportIssue(SHEET_BUNDLE_ITEMS, row.row, "一件事编码", "该编码不在“一件事”工作表中。"))
        if icode and icode not in item_codes and not ServiceItem.objects.filter(code=icode).exists():
            issues.append(ImportIssue(SHEET_BUNDLE_ITEMS, row.row, "实施编码", "没有该实施编码的事项。"))
        if bcode and icode:
            if (bcode, icode) in pairs:
                issues.append(
                    ImportIssue(SHEET_BUNDLE_ITEMS, row.row, "实施编码", f"与第{pairs[(bcode, icode)]}行重复。")
                )
            else:
                pairs[(bcode, icode)] = row.row


def export_value(col: Column, value: Any) -> Any:
    if col.kind == "bool":
        return "是" if value else "否"
    if col.kind == "choice" and col.choices is not None:
        return str(dict(col.choices.choices).get(value, value))
    if value is None:
        return ""
    return value
