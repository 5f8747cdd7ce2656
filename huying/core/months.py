"""Periods counted in natural months (民法典 Art. 202): the corresponding day of the month the period
ends in is its last day; a month without that day ends the period on its last day. Plain Python."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` natural months: 2026-11-30 + 3 → 2027-02-28; 2027-01-31 + 1 → 2027-02-28."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def monthly_dates(start: dt.date, day_of_month: int, count: int) -> list[dt.date]:
    """The next ``count`` dates falling on ``day_of_month`` from ``start`` on (the 6th of every month);
    a month without that day uses its last day."""
    out: list[dt.date] = []
    cursor = dt.date(start.year, start.month, 1)
    while len(out) < count:
        last = calendar.monthrange(cursor.year, cursor.month)[1]
        candidate = dt.date(cursor.year, cursor.month, min(day_of_month, last))
        if candidate >= start:
            out.append(candidate)
        cursor = add_months(cursor, 1)
    return out
