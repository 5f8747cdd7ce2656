"""Working days on the Chinese calendar.

Order of authority for one date: an override row in our database, then ``chinesecalendar``
(which covers 2004–2026), then, for a year neither covers, a provisional rule (Monday to
Friday minus the fixed-date statutory holidays) that the supervisor board flags so an
administrator enters the year's official notice. See docs/adr/0003-working-day-calendar.md.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
from django.conf import settings
from django.utils import timezone

# 元旦, 劳动节, 国庆: the statutory holidays whose dates do not move (全国年节及纪念日放假办法).
_FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}
# Office hours for limits counted in working hours (工作时): 8 hours a working day.
WORKING_HOURS = (dt.time(9, 0), dt.time(17, 0))


def _overrides() -> dict[dt.date, bool]:
    from .models import CalendarOverride

    return dict(CalendarOverride.objects.values_list("date", "is_workday"))


class WorkCalendar:
    """A snapshot of the calendar: load once per service call, query many days."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None):
        self.overrides = _overrides() if overrides is None else overrides

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return _package_is_workday(day)

    def is_provisional(self, day: dt.date) -> bool:
        return day not in self.overrides and not _package_covers(day.year) and not _year_entered(day.year)

    def add_workdays(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start``; ``start`` itself never counts."""
        day = start
        remaining = days
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: the days a suspension consumed."""
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def deadline_in_workdays(self, start_at: dt.datetime, days: int) -> dt.datetime:
        """End of the ``days``-th working day after the day of ``start_at`` (local time).

        The start day does not count (as in 行政许可法 and the hotline rules' 工作日 limits).
        """
        local = timezone.localtime(start_at)
        due_day = self.add_workdays(local.date(), days)
        end = dt.datetime.combine(due_day, dt.time(23, 59, 59))
        return timezone.make_aware(end, timezone.get_current_timezone())

    def deadline_in_working_hours(
        self, start_at: dt.datetime, hours: int, day: tuple[dt.time, dt.time] = WORKING_HOURS
    ) -> dt.datetime:
        """The moment ``hours`` working hours after ``start_at``, counting only the office hours
        (``day``, local time) of working days: a report at 16:00 with 2 working hours is due at
        10:00 on the next working day (limits of the grid case loop are set this way)."""
        opens, closes = day
        tz = timezone.get_current_timezone()
        cursor = timezone.localtime(start_at)
        remaining = dt.timedelta(hours=hours)
        while True:
            today = cursor.date()
            day_open = timezone.make_aware(dt.datetime.combine(today, opens), tz)
            day_close = timezone.make_aware(dt.datetime.combine(today, closes), tz)
            if self.is_workday(today) and cursor < day_close:
                cursor = max(cursor, day_open)
                if cursor + remaining <= day_close:
                    return cursor + remaining
                remaining -= day_close - cursor
            next_day = today + dt.timedelta(days=1)
            cursor = timezone.make_aware(dt.datetime.combine(next_day, opens), tz)

    def extend_by_workdays_elapsed(self, due_at: dt.datetime, paused_at: dt.datetime, now: dt.datetime) -> dt.datetime:
        """Push a working-day deadline back by the working days spent suspended."""
        lost = self.workdays_between(timezone.localtime(paused_at).date(), timezone.localtime(now).date())
        if lost == 0:
            return due_at
        local_due = timezone.localtime(due_at)
        new_day = self.add_workdays(local_due.date(), lost)
        return timezone.make_aware(dt.datetime.combine(new_day, local_due.time()), timezone.get_current_timezone())


@lru_cache(maxsize=64)
def _package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _year_entered(year: int) -> bool:
    from .models import CalendarYear

    return CalendarYear.objects.filter(year=year).exists()


def _package_is_workday(day: dt.date) -> bool:
    if _package_covers(day.year):
        workday = bool(chinese_calendar.is_workday(day))
        if workday and day.weekday() >= 5 and not settings.HUYING_MAKEUP_DAY_IS_WORKDAY:
            return False
        return workday
    return day.weekday() < 5 and (day.month, day.day) not in _FIXED_HOLIDAYS


def provisional_years(years: list[int]) -> list[int]:
    """Years among ``years`` for which deadlines are computed provisionally."""
    return [y for y in years if not _package_covers(y) and not _year_entered(y)]
