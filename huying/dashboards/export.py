"""The dashboard as an Excel workbook: one sheet per dimension, the same figures as the page."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .selectors import COLUMN_LABELS, COUNTERS, RATES, Period

PERCENT_FORMAT = "0.0%"
NO_VALUE = "—"


def _sheets(figures: dict[str, Any]) -> list[tuple[str, str, list[dict[str, Any]]]]:
    return [
        (_("总体"), _("统计期间"), [figures["total"]]),
        (_("按月"), _("月份"), figures["month"]),
        (_("按单位"), _("承办单位"), figures["unit"]),
        (_("按渠道"), _("渠道"), figures["channel"]),
        (_("按类别"), _("诉求类别"), figures["category"]),
    ]


def dashboard_workbook(period: Period, figures: dict[str, Any]) -> bytes:
    """Rates are stored as fractions formatted as percentages, so Excel can compute with them."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for title, first_header, rows in _sheets(figures):
        sheet = workbook.create_sheet(title=title)
        sheet.append([first_header, *(str(COLUMN_LABELS[c]) for c in (*COUNTERS, *RATES))])
        for cell in sheet[1]:
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in rows:
            label = period.label if title == _("总体") else row["label"]
            rates = [NO_VALUE if row[r] is None else row[r] / 100 for r in RATES]
            sheet.append([label, *(row[c] for c in COUNTERS), *rates])
            for cell in sheet[sheet.max_row][1 + len(COUNTERS) :]:
                if cell.value == NO_VALUE:
                    cell.alignment = Alignment(horizontal="center")
                else:
                    cell.number_format = PERCENT_FORMAT
        sheet.freeze_panes = "B2"
        sheet.column_dimensions["A"].width = 28
        for index in range(2, 2 + len(COUNTERS) + len(RATES)):
            sheet.column_dimensions[get_column_letter(index)].width = 11
    workbook.properties.title = _("诉求数据看板 %(period)s") % {"period": period.label}
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
