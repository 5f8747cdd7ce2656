"""The statutory clocks around the Spring Festival: 3 months and 1 month in natural months ending on
a working day (民法典 Arts. 202–203), 5 working days for an objection to an assignment.

chinesecalendar covers years up to 2026; 2027's Spring Festival (6–14 February 2027, per the State
Council notice) is entered as calendar overrides, the way an administrator enters a new year."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.core.errors import ValidationFailed
from huying.core.models import CalendarOverride, CalendarYear
from huying.core.months import add_months
from huying.deputies import clocks, errors
from huying.deputies.services import suggestions as services

from .factories import build

pytestmark = pytest.mark.django_db


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h, 0))


def end(y: int, m: int, d: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, 23, 59, 59))


@pytest.fixture
def spring_2027(db: Any) -> None:
    for day in range(6, 15):
        CalendarOverride.objects.create(date=dt.date(2027, 2, day), is_workday=False, name="春节")
    CalendarYear.objects.create(year=2027, notice="2027年部分节假日安排")


def test_natural_months_end_on_the_corresponding_day_or_the_month_end() -> None:
    assert add_months(dt.date(2026, 11, 8), 3) == dt.date(2027, 2, 8)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)


def test_three_months_ending_in_the_spring_festival_move_to_the_first_working_day(spring_2027: None) -> None:
    assert clocks.reply_due(at(2026, 11, 8)) == end(2027, 2, 15)  # 8 Feb is a festival day
    assert clocks.reply_due(at(2026, 11, 5)) == end(2027, 2, 5)  # the Friday before: unchanged
    assert clocks.reply_ceiling(at(2026, 8, 10)) == end(2027, 2, 15)  # six months, same rule


def test_one_month_clocks_for_co_handlers_and_re_replies_cross_the_festival(spring_2027: None) -> None:
    assert clocks.co_handler_due(at(2027, 1, 12)) == end(2027, 2, 15)
    assert clocks.rereply_due(at(2027, 1, 8)) == end(2027, 2, 15)
    assert clocks.rereply_due(at(2027, 1, 4)) == end(2027, 2, 4)


def test_five_working_days_to_object_skip_the_festival(spring_2027: None) -> None:
    # Thursday 4 Feb: Fri 5 (1), 6–14 off, Mon 15 (2) … Thu 18 (5).
    assert clocks.objection_due(at(2027, 2, 4)) == end(2027, 2, 18)
    # Without the festival it would have been Thursday 11 Feb.
    CalendarOverride.objects.filter(date__year=2027).delete()
    assert clocks.objection_due(at(2027, 2, 4)) == end(2027, 2, 11)


def test_the_2026_festival_from_the_calendar_package() -> None:
    # 15–23 Feb 2026 off (chinesecalendar): three months from 16 Nov 2025 end on Tue 24 Feb.
    assert clocks.reply_due(at(2025, 11, 16)) == end(2026, 2, 24)


def test_an_objection_is_taken_on_the_fifth_working_day_and_refused_after_it(world: Any, spring_2027: None) -> None:
    d = build(world)
    late = services.suggestion_create(actor=d.deputy_user, title="增设公交站", content="建议在彩虹湖社区增设公交站。")
    ok = services.suggestion_create(actor=d.deputy_user, title="修缮路灯", content="建议修缮黄河路路灯。")
    for s in (late, ok):
        services.suggestion_assign(
            actor=d.staff, suggestion_id=s.pk, version=0, lead_unit=world.urban, single_matter=True, now=at(2027, 2, 4)
        )
    s = services.suggestion_object(
        actor=world.handler, suggestion_id=ok.pk, version=1, reason="属住建部门职责", now=at(2027, 2, 18, 16)
    )
    assert s.status == "objected"
    with pytest.raises(ValidationFailed) as refused:
        services.suggestion_object(
            actor=world.handler, suggestion_id=late.pk, version=1, reason="属住建部门职责", now=at(2027, 2, 19, 9)
        )
    assert refused.value.code == errors.OBJECTION_LATE


def test_assignment_sets_the_three_month_and_six_month_clocks(world: Any, spring_2027: None) -> None:
    d = build(world)
    s = services.suggestion_create(actor=d.deputy_user, title="增设公交站", content="建议增设公交站。")
    s = services.suggestion_assign(
        actor=d.staff,
        suggestion_id=s.pk,
        version=0,
        lead_unit=world.urban,
        co_units=[world.housing],
        single_matter=True,
        now=at(2026, 11, 8),
    )
    assert s.due_at == end(2027, 2, 15)
    assert s.ceiling_at == end(2027, 5, 10)  # 8 May 2027 is a Saturday
    co = s.units.get(role="co")
    assert co.input_due_at == end(2026, 12, 8)
