"""The publication calendar on the working-day calendar: a quarter end over the New Year holiday, a
decision on the eve of the Spring Festival, and the five-day objection and answer windows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import override_settings

from huying.community import errors, schedule, selectors, services
from huying.community.models import CatalogueItem, Publication
from huying.community.services.board import objection_window
from huying.core.errors import ValidationFailed
from huying.core.workdays import WorkCalendar

from .factories import village

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def at(day: str, hour: int = 10) -> Any:
    return time_machine.travel(dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=TZ), tick=False)


def _publish(v: Any, publication: Publication) -> Publication:
    for actor, action in ((v.staff, "submit"), (v.supervisor, "pass"), (v.staff, "approve"), (v.staff, "publish")):
        publication.refresh_from_db()
        publication = services.publication_act(
            actor=actor, publication_id=publication.pk, version=publication.version, action=action
        )
    return publication


def test_periods_around_a_quarter_end() -> None:
    assert schedule.period_containing("quarterly", dt.date(2025, 11, 20)) == (
        dt.date(2025, 10, 1),
        dt.date(2025, 12, 31),
    )
    assert schedule.period_before("quarterly", dt.date(2026, 1, 5)) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert schedule.period_before("monthly", dt.date(2026, 3, 1)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))


def test_the_fourth_quarter_is_due_ten_working_days_after_new_year(world: Any) -> None:
    """Q4 2025 ends on Wednesday 31 December; 1–3 January are the New Year holiday and Sunday 4 January
    is a make-up working day, so the tenth working day is Thursday 15 January (Monday to Friday alone
    would give the 14th)."""
    v = village(world)
    assets = CatalogueItem.objects.get(code="assets")
    assert (assets.cadence, assets.grace_workdays, assets.warn_workdays) == ("quarterly", 10, 3)
    assert schedule.due_date(WorkCalendar(), 10, dt.date(2025, 12, 31)) == dt.date(2026, 1, 15)

    def state(day: str) -> str:
        duty = next(d for d in selectors.duties(v.profile, dt.date.fromisoformat(day)) if d.item_id == assets.pk)
        assert duty.due_on == dt.date(2026, 1, 15) and duty.period_start == dt.date(2025, 10, 1)
        return duty.state

    assert state("2026-01-09") == schedule.OK  # 12, 13, 14, 15 January: four working days left
    assert state("2026-01-12") == schedule.DUE_SOON  # three left: the warning
    assert state("2026-01-16") == schedule.OVERDUE
    with at("2026-01-14"):
        publication = services.publication_create(
            actor=v.staff, unit=v.unit, item_code="assets", title="2025年第四季度集体资产", body="……",
            period=dt.date(2025, 12, 1),
        )  # fmt: skip
        _publish(v, publication)
    assert state("2026-01-16") == schedule.DONE


def test_a_decision_on_the_eve_of_the_spring_festival(world: Any) -> None:
    """A decision on Thursday 12 February 2026 is published within five working days: Friday 13,
    the make-up Saturday 14, then after the holiday (15–23 February) Tuesday 24 to Thursday 26. The
    warning shows from Saturday 14 — ten calendar days before the deadline."""
    v = village(world)
    with at("2026-02-12"):
        publication = services.publication_create(
            actor=v.staff, unit=v.unit, item_code="decisions", title="村民代表会议决定事项", body="……"
        )
    assert publication.due_on == dt.date(2026, 2, 26)
    states = {day: next(d.state for d in selectors.duties(v.profile, dt.date(2026, 2, day)) if d.publication_id == publication.pk) for day in (13, 14, 26, 27)}  # fmt: skip
    assert states == {13: schedule.OK, 14: schedule.DUE_SOON, 26: schedule.DUE_SOON, 27: schedule.OVERDUE}
    with override_settings(HUYING_MAKEUP_DAY_IS_WORKDAY=False):  # offices closed on make-up Saturdays
        assert schedule.due_date(WorkCalendar(), 5, dt.date(2026, 2, 12)) == dt.date(2026, 2, 27)


def test_monthly_finances_over_the_festival_with_a_longer_grace(world: Any) -> None:
    cal = WorkCalendar()
    assert schedule.due_date(cal, 15, dt.date(2026, 1, 31)) == dt.date(2026, 2, 27)
    assert schedule.due_date(cal, 10, dt.date(2026, 1, 31)) == dt.date(2026, 2, 13)


def test_objection_and_answer_windows_over_the_spring_festival(world: Any) -> None:
    """Published on 12 February: the fifth day (17 February) falls in the holiday, so residents may object
    until Tuesday 24 February (民法典 Art. 203); an objection of 13 February is answered by 24 February too."""
    v = village(world)
    with at("2026-02-12"):
        publication = _publish(
            v, services.publication_create(actor=v.staff, unit=v.unit, item_code="relief", title="救助资金", body="……")
        )
    assert objection_window(publication) == dt.date(2026, 2, 24)
    with at("2026-02-13"):
        early = services.objection_raise(actor=world.citizen, publication_id=publication.pk, text_="名单有误")
    assert early.answer_due == dt.date(2026, 2, 24)
    with at("2026-02-24", 16):
        services.objection_raise(actor=world.other_citizen, publication_id=publication.pk, text_="金额有误")
    with at("2026-02-25"), pytest.raises(ValidationFailed) as closed:
        services.objection_raise(actor=world.citizen, publication_id=publication.pk, text_="又一条")
    assert closed.value.code == errors.OBJECTION_WINDOW_CLOSED
    with at("2026-02-25"):
        with pytest.raises(ValidationFailed) as late:
            services.objection_answer(actor=v.staff, objection_id=early.pk, answer="已核实更正。")
        assert late.value.code == errors.ANSWER_LATE_NO_REASON
        early.refresh_from_db()
        assert early.answered_at is None
        answered = services.objection_answer(
            actor=v.staff, objection_id=early.pk, answer="已核实更正。", late_reason="经办人春节值班后补办"
        )
    assert answered.late_reason and answered.answered_at is not None


def test_an_ordinary_week_objection_window_and_the_five_day_posting(world: Any) -> None:
    v = village(world)
    with at("2026-03-03"):  # a Tuesday: the fifth day is Sunday 8 March, so the window ends Monday 9
        publication = _publish(
            v, services.publication_create(actor=v.staff, unit=v.unit, item_code="relief", title="救助资金", body="……")
        )
    assert objection_window(publication) == dt.date(2026, 3, 9)
    with at("2026-03-08", 9), pytest.raises(ValidationFailed) as early:  # 4 days 23 hours
        services.publication_act(
            actor=v.staff, publication_id=publication.pk, version=publication.version, action="archive"
        )
    assert early.value.code == errors.POSTED_TOO_SHORT
    with at("2026-03-08", 10):
        archived = services.publication_act(
            actor=v.staff, publication_id=publication.pk, version=publication.version, action="archive"
        )
    assert archived.status == "archived" and archived.postings.get().removed_at is not None


def test_the_sweep_counts_places_with_publications_due(world: Any) -> None:
    from huying.community.hooks import publication_duties_sweep

    village(world)
    with at("2026-01-12"):  # the fourth quarter's items are due on 15 January
        line = publication_duties_sweep()
    assert line == "村务公开提醒：1 个村（社区）有即将到期的公开事项，0 个有超期未公开的事项。"
    with at("2026-01-16"):
        assert publication_duties_sweep().endswith("0 个村（社区）有即将到期的公开事项，1 个有超期未公开的事项。")
