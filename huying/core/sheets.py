"""Reading an uploaded Excel sheet for an import that is all or nothing: the rows under the expected
Chinese headers, and a report of every wrong cell by sheet, row and column (grids, service points,
the volunteer register)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ImportIssue:
    """One problem: ``row`` is the Excel row (1 = headers) or the feature's number (from 1);
    ``column`` the header; both None for a problem of the whole file."""

    sheet: str
    row: int | None
    column: str | None
    message: str


@dataclass
class ImportReport:
    """What an import did, or why it did nothing: ``errors`` lists every wrong cell and row."""

    errors: list[ImportIssue] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def sheet_rows(file: IO[bytes] | Any, headers: tuple[str, ...]) -> Iterator[tuple[int, dict[str, Any]] | ImportIssue]:
    """(Excel row number, {header: cell}) for each non-empty row of the first sheet, or issues."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        yield ImportIssue("—", None, None, _("文件不是有效的 Excel 工作簿（.xlsx）。"))
        return
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    head = [text(h) for h in next(rows, ())]
    missing = [h for h in headers if h not in head]
    if missing:
        yield ImportIssue(sheet.title, 1, None, _("缺少列：%(cols)s") % {"cols": "、".join(missing)})
        book.close()
        return
    positions = [(h, head.index(h)) for h in headers]
    for number, cells in enumerate(rows, start=2):
        if not any(c not in (None, "") for c in cells):
            continue
        yield number, {h: (cells[i] if i < len(cells) else None) for h, i in positions}
    book.close()
