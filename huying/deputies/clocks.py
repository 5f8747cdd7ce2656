"""The statutory clocks of suggestions, mediation and filing review, on the working-day calendar the
appeal loop uses (huying.core.workdays: it knows the Spring Festival and the make-up days).

Periods in months or days end on the corresponding day (民法典 Art. 202, huying.core.months); when
that last day is a statutory holiday, the period ends on the first working day after it (民法典
Art. 203). The 5-day window to object to an assignment is counted in working days (青岛市代表建议
工作条例 Art. 19: 五个工作日), the stricter reading of 山东 Art. 12's "五日" once holidays fall in it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from huying.core.months import add_months
from huying.core.workdays import WorkCalendar

REPLY_MONTHS = 3  # 代表法 Art. 51; 山东 Art. 19
CEILING_MONTHS = 6  # at most six months from assignment, only with approval
CO_HANDLER_MONTHS = 1  # 协办 input to the lead unit (山东 Art. 21)
REREPLY_MONTHS = 1  # a new reply after the deputy is dissatisfied (山东 Art. 24)
OBJECTION_WORKDAYS = 5  # wrong-unit objection (山东 Art. 12; 青岛 Art. 19)
CONFIRMATION_DAYS = 30  # joint application for judicial confirmation (人民调解法 Art. 33)
FILING_DAYS = 30  # filing after publication (立法法 Art. 109)
REVIEW_MONTHS = 3  # 山东 备案审查规定 Art. 17
MAKER_ANSWER_DAYS = 30  # 山东 备案审查规定 Art. 19: answer within 30 days, amend within 30 more
REQUESTER_DAYS = 15  # feedback to the requester (山东 Art. 22)


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)), timezone.get_current_timezone())


def roll_to_workday(day: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
    """``day``, or the first working day after it when it is a holiday or a weekend (民法典 Art. 203)."""
    cal = calendar or WorkCalendar()
    while not cal.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def months_after(start: dt.datetime, months: int, calendar: WorkCalendar | None = None) -> dt.datetime:
    """The end of the last day of a period of ``months`` natural months from ``start`` (local date)."""
    day = add_months(timezone.localtime(start).date(), months)
    return _end_of(roll_to_workday(day, calendar))


def days_after(start: dt.date, days: int, calendar: WorkCalendar | None = None) -> dt.date:
    """The last day of a period of ``days`` calendar days from ``start`` (the start day not counted)."""
    return roll_to_workday(start + dt.timedelta(days=days), calendar)


def workdays_after(start: dt.datetime, days: int, calendar: WorkCalendar | None = None) -> dt.datetime:
    """The end of the ``days``-th working day after the day of ``start``."""
    return (calendar or WorkCalendar()).deadline_in_workdays(start, days)


def reply_due(assigned_at: dt.datetime, calendar: WorkCalendar | None = None) -> dt.datetime:
    return months_after(assigned_at, REPLY_MONTHS, calendar)


def reply_ceiling(assigned_at: dt.datetime, calendar: WorkCalendar | None = None) -> dt.datetime:
    return months_after(assigned_at, CEILING_MONTHS, calendar)


def objection_due(assigned_at: dt.datetime, calendar: WorkCalendar | None = None) -> dt.datetime:
    return workdays_after(assigned_at, OBJECTION_WORKDAYS, calendar)


def co_handler_due(assigned_at: dt.datetime, calendar: WorkCalendar | None = None) -> dt.datetime:
    return months_after(assigned_at, CO_HANDLER_MONTHS, calendar)


def rereply_due(dissatisfied_at: dt.datetime, calendar: WorkCalendar | None = None) -> dt.datetime:
    return months_after(dissatisfied_at, REREPLY_MONTHS, calendar)
