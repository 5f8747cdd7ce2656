"""办理时限: which rule applies, and when an order falls due."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from huying.core.workdays import WorkCalendar

from .models import Appeal, Category, TimeLimitRule
from .states import Urgency

# Used when no TimeLimitRule row applies: emergencies in hours (the hotline and the utilities work
# around the clock), general matters in 5 working days as in Jinan Art. 24 and Weifang Art. 20.
DEFAULT_LIMITS: dict[str, tuple[int, str]] = {
    Urgency.EMERGENCY: (2, TimeLimitRule.Unit.HOURS),
    Urgency.URGENT: (24, TimeLimitRule.Unit.HOURS),
    Urgency.GENERAL: (5, TimeLimitRule.Unit.WORKDAYS),
}
# 响应: the unit must sign for an order within this many hours of dispatch to count as responded.
RESPONSE_HOURS = 24


def time_limit_for(category: Category | None, urgency: str) -> tuple[int, str]:
    """Most specific rule wins: the category, then its ancestors, then the default row, then code."""
    node = category
    while node is not None:
        rule = TimeLimitRule.objects.filter(category=node, urgency=urgency).first()
        if rule:
            return rule.amount, rule.unit
        node = node.parent
    rule = TimeLimitRule.objects.filter(category__isnull=True, urgency=urgency).first()
    if rule:
        return rule.amount, rule.unit
    return DEFAULT_LIMITS[urgency]


def rehandle_deadline(
    appeal: Appeal, now: dt.datetime | None = None, calendar: WorkCalendar | None = None
) -> tuple[int, str, dt.datetime]:
    """重办: an order sent back to its unit (退回重办, or an on-site check that failed) gets the full
    limit of its category and urgency again, counted afresh from that moment, not the time left of
    the first handling (Jinan Art. 27 sends it back to be handled again). The limit, its unit and the
    new due date."""
    amount, unit = time_limit_for(appeal.category, appeal.urgency)
    return amount, unit, due_at_for(now or timezone.now(), amount, unit, calendar)


def due_at_for(start: dt.datetime, amount: int, unit: str, calendar: WorkCalendar | None = None) -> dt.datetime:
    if unit == TimeLimitRule.Unit.HOURS:
        return start + dt.timedelta(hours=amount)
    if unit == TimeLimitRule.Unit.WORK_HOURS:
        return (calendar or WorkCalendar()).deadline_in_working_hours(start, amount)
    return (calendar or WorkCalendar()).deadline_in_workdays(start, amount)


def resume_due_at(appeal: Appeal, now: dt.datetime, calendar: WorkCalendar | None = None) -> dt.datetime | None:
    """The deadline after a suspension ends: the clock did not run while suspended."""
    if appeal.due_at is None or appeal.paused_at is None:
        return appeal.due_at
    if appeal.time_limit_unit == TimeLimitRule.Unit.HOURS:
        return appeal.due_at + (now - appeal.paused_at)
    return (calendar or WorkCalendar()).extend_by_workdays_elapsed(appeal.due_at, appeal.paused_at, now)


def extend_due_at(appeal: Appeal, days: int, calendar: WorkCalendar | None = None) -> dt.datetime | None:
    """The deadline pushed back by ``days`` working days (an approved 延期)."""
    if appeal.due_at is None:
        return None
    local = timezone.localtime(appeal.due_at)
    day = (calendar or WorkCalendar()).add_workdays(local.date(), days)
    return timezone.make_aware(dt.datetime.combine(day, local.time()), timezone.get_current_timezone())


def overdue_level(due_at: dt.datetime, now: dt.datetime) -> int:
    """督办 level by how long an order is overdue: 1 at once, 2 after a day, 3 after three."""
    late = now - due_at
    if late <= dt.timedelta(0):
        return 0
    if late > dt.timedelta(days=3):
        return 3
    if late > dt.timedelta(days=1):
        return 2
    return 1
