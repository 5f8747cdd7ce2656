"""When a household is next due for a visit (pure functions, no database).

Two kinds of plan:

- monthly (the default: one visit in every calendar month, 沂源 历山街道 "原则上要求每月走访一次"):
  a household visited in some month is next due by the last day of the following month; one never
  visited is due by the end of the month it was registered in;
- every N days (威海市居民养老服务保障条例 Art. 22: high-age people living alone every two days):
  due N days after the last visit, or at once when never visited.

A household is overdue when its due date has passed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

from django.utils import timezone


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month_start(day: dt.date) -> dt.date:
    return month_end(day) + dt.timedelta(days=1)


def effective_interval(plan_interval: int | None, tag_intervals: Iterable[int | None]) -> int | None:
    """The household's own plan wins; otherwise the shortest interval its tags ask for; None = monthly."""
    if plan_interval:
        return plan_interval
    intervals = [i for i in tag_intervals if i]
    return min(intervals) if intervals else None


def due_on(*, last_visited_at: dt.datetime | None, interval_days: int | None, registered_on: dt.date) -> dt.date:
    last = timezone.localdate(last_visited_at) if last_visited_at is not None else None
    if interval_days:
        return last + dt.timedelta(days=interval_days) if last else registered_on
    if last is None:
        return month_end(registered_on)
    return month_end(next_month_start(last))


def is_overdue(due: dt.date | None, today: dt.date) -> bool:
    return due is not None and due < today
