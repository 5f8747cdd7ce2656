"""The working-day calendar: 2026 holidays and make-up days, overrides, provisional years."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from huying.core.models import CalendarOverride, CalendarYear
from huying.core.workdays import WorkCalendar, provisional_years

pytestmark = pytest.mark.django_db
D = dt.date


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def test_spring_festival_2026_is_off_and_its_makeup_saturdays_are_workdays() -> None:
    cal = WorkCalendar()
    assert not any(cal.is_workday(d) for d in days(D(2026, 2, 15), D(2026, 2, 23)))
    assert cal.is_workday(D(2026, 2, 14))  # Saturday, 调休上班
    assert cal.is_workday(D(2026, 2, 28))  # Saturday, 调休上班
    assert cal.is_workday(D(2026, 2, 24))  # first day back


def test_five_workdays_from_28_september_end_on_the_makeup_saturday() -> None:
    # 29, 30 Sep; 1–7 Oct off; 8, 9 Oct; Saturday 10 Oct is a make-up workday (国务院办公厅 2026 holiday notice, 2025-11-04).
    assert WorkCalendar().add_workdays(D(2026, 9, 28), 5) == D(2026, 10, 10)


def test_2026_has_248_workdays() -> None:
    cal = WorkCalendar()
    assert sum(cal.is_workday(d) for d in days(D(2026, 1, 1), D(2026, 12, 31))) == 248


def test_deadline_is_the_end_of_the_local_day() -> None:
    start = timezone.make_aware(dt.datetime(2026, 9, 28, 10, 0))
    due = timezone.localtime(WorkCalendar().deadline_in_workdays(start, 5))
    assert (due.date(), due.hour, due.minute) == (D(2026, 10, 10), 23, 59)


def test_an_override_wins_over_the_package() -> None:
    CalendarOverride.objects.create(date=D(2026, 10, 10), is_workday=False, name="台风停工")
    CalendarOverride.objects.create(date=D(2026, 10, 7), is_workday=True, name="防汛值守")
    cal = WorkCalendar()
    assert not cal.is_workday(D(2026, 10, 10))
    assert cal.is_workday(D(2026, 10, 7))
    # 29, 30 Sep, 7 Oct (override), 8, 9 Oct
    assert cal.add_workdays(D(2026, 9, 28), 5) == D(2026, 10, 9)


def test_a_year_the_package_does_not_cover_is_provisional_until_entered() -> None:
    cal = WorkCalendar()
    assert not cal.is_workday(D(2027, 1, 1))  # 元旦: a fixed-date holiday
    assert not cal.is_workday(D(2027, 10, 1))
    assert cal.is_workday(D(2027, 1, 4))  # a Monday
    assert not cal.is_workday(D(2027, 1, 9))  # a Saturday
    assert cal.is_provisional(D(2027, 3, 1))
    assert not cal.is_provisional(D(2026, 3, 1))
    assert provisional_years([2026, 2027]) == [2027]

    CalendarYear.objects.create(year=2027, notice="国办发明电〔2026〕X号（示例）")
    assert provisional_years([2026, 2027]) == []
    assert not WorkCalendar().is_provisional(D(2027, 3, 1))


@override_settings(HUYING_MAKEUP_DAY_IS_WORKDAY=False)
def test_makeup_saturdays_can_be_excluded_by_setting() -> None:
    cal = WorkCalendar()
    assert not cal.is_workday(D(2026, 2, 14))
    assert not cal.is_workday(D(2026, 10, 10))
    assert cal.is_workday(D(2026, 2, 24))
    assert cal.add_workdays(D(2026, 9, 28), 5) == D(2026, 10, 12)
