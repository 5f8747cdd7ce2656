"""The publication calendar: when each catalogue item is due, the warning before a deadline is
missed, and the five-day windows, all on the project's working-day calendar (huying.core.workdays,
which knows the Spring Festival and the make-up working days).

- A periodic item (monthly, quarterly) is due ``grace_workdays`` working days after its period ends;
  a warning shows from ``warn_workdays`` working days before (a week of Spring Festival holiday
  counts for nothing, so the warning comes earlier in calendar days).
- An event item (a decision, a major matter) is due ``grace_workdays`` working days after the event.
- A window of days (the five days to object, the five days to answer) does not count its first day
  and, when its last day is a holiday, ends on the first working day after it (民法典 Art. 201,
  Art. 203: "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from huying.core.workdays import WorkCalendar

from .rules import MONTHLY, QUARTERLY

OK, DUE_SOON, OVERDUE, DONE, LATE = "ok", "due_soon", "overdue", "done", "late"


def period_containing(cadence: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The month or quarter around ``day`` (an event item's period is the day itself)."""
    if cadence == MONTHLY:
        start = day.replace(day=1)
    elif cadence == QUARTERLY:
        start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    else:
        return day, day
    months = 1 if cadence == MONTHLY else 3
    year, month = divmod(start.month - 1 + months, 12)
    return start, dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)


def period_before(cadence: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The last whole period that ended before ``day``'s own."""
    start, _end = period_containing(cadence, day)
    return period_containing(cadence, start - dt.timedelta(days=1))


def due_date(cal: WorkCalendar, grace_workdays: int, period_end: dt.date) -> dt.date:
    return cal.add_workdays(period_end, grace_workdays)


def window_end(cal: WorkCalendar, start: dt.date, days: int) -> dt.date:
    """The last day of a ``days``-day window opened on ``start`` (start not counted; a holiday at the
    end moves it to the next working day)."""
    end = start + dt.timedelta(days=days)
    while not cal.is_workday(end):
        end += dt.timedelta(days=1)
    return end


def state(cal: WorkCalendar, due: dt.date, today: dt.date, warn_workdays: int, published: dt.date | None) -> str:
    """``done`` / ``late`` once published (by the due date or after), else ``overdue`` / ``due_soon`` / ``ok``."""
    if published is not None:
        return DONE if published <= due else LATE
    if today > due:
        return OVERDUE
    if cal.workdays_between(today, due) <= warn_workdays:
        return DUE_SOON
    return OK


@dataclass(frozen=True)
class Duty:
    item_id: int
    item_name: str
    cadence: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    state: str
    publication_id: int | None = None


def is_periodic(cadence: str) -> bool:
    return cadence in (MONTHLY, QUARTERLY)
