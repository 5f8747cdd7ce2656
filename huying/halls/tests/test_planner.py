"""The staffing planner: Cs² measured from finished tickets, Allen–Cunneen as its model, plain Erlang C beside."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from .. import planner
from ..models import Ticket
from ..states import Status
from .conftest import HallWorld

pytestmark = pytest.mark.django_db


def _finished(hw: HallWorld, minutes: list[float], *, unit: bool, start: int, status: str = Status.DONE) -> None:
    now = timezone.now()
    for i, m in enumerate(minutes):
        began = now - dt.timedelta(hours=2, minutes=i)
        Ticket.objects.create(
            hall=hw.hall,
            day=began.date(),
            number=f"A{start + i:03d}",
            item=hw.item_police if unit else None,
            unit=hw.police if unit else None,
            status=status,
            taken_at=began - dt.timedelta(minutes=5),
            called_at=began,
            started_at=began,
            finished_at=began + dt.timedelta(minutes=m),
        )


def test_variability_is_measured_within_each_department(hw: HallWorld) -> None:
    _finished(hw, [5.0, 15.0] * 10, unit=True, start=1)  # mean 10, cs² 0.25
    _finished(hw, [2.0, 6.0] * 10, unit=False, start=100)  # 咨询: mean 4, cs² 0.25
    _finished(hw, [500.0] * 5, unit=True, start=200, status=Status.NO_SHOW)  # not finished: ignored
    v = planner.measured_service_variability(hw.hall)
    assert v.measured and v.tickets == 40
    assert v.scv == pytest.approx(0.25)  # the spread between 10 and 4 minutes is not counted here
    assert planner.measured_service_variability() == v  # every hall: the same tickets


def test_too_few_tickets_assume_exponential(hw: HallWorld) -> None:
    _finished(hw, [5.0, 15.0] * 5, unit=True, start=1)
    v = planner.measured_service_variability(hw.hall)
    assert v == planner.ASSUMED_EXPONENTIAL and not v.measured and v.scv == 1.0


def test_plan_uses_allen_cunneen_with_the_measured_variability(hw: HallWorld) -> None:
    _finished(hw, [5.0, 15.0] * 20, unit=True, start=1)
    rows = [planner.PlanRow("公安", 9.0, 12.0), planner.PlanRow("税务", 6.0, 20.0)]
    result = planner.plan(rows, 6, seed=1)
    c = result.comparison
    assert result.variability.scv == pytest.approx(0.25) and result.variability.tickets == 40
    assert c.separate_wait_corrected == pytest.approx(c.separate_wait_erlang * 1.25 / 2)
    assert c.service_scv > 0.25  # the pooled queue mixes 12- and 20-minute services
    assert c.pooled_wait_corrected == pytest.approx(c.pooled_wait_erlang * (1 + c.service_scv) / 2)
    assert [line.wait for line in result.lines] == [c.per_department_corrected[r.name] for r in rows]
    assert result.pooled_gap is not None and result.pooled_gap_erlang is not None
    assert result.pooled_gap < result.pooled_gap_erlang  # the model the planner uses is the closer one
    assert result.separate_gap is not None and result.separate_gap < 0.1


def test_plan_with_exponential_times_is_plain_erlang_c() -> None:
    rows = [planner.PlanRow("公安", 9.0, 12.0), planner.PlanRow("税务", 6.0, 12.0)]
    result = planner.plan(rows, 4, variability=planner.ASSUMED_EXPONENTIAL)
    c = result.comparison
    assert c.separate_wait_corrected == pytest.approx(c.separate_wait_erlang)
    assert c.pooled_wait_corrected == pytest.approx(c.pooled_wait_erlang)


def test_planner_page_shows_the_model_and_the_measurement(hw: HallWorld) -> None:
    from django.test import Client

    _finished(hw, [5.0, 15.0] * 20, unit=True, start=1)
    c = Client()
    c.force_login(hw.manager)
    body = c.get(
        "/hall/planner/",
        {
            "name_0": "公安",
            "arrivals_0": "9",
            "minutes_0": "12",
            "name_1": "税务",
            "arrivals_1": "6",
            "minutes_1": "12",
            "windows": "4",
        },
    ).content.decode()
    assert "Allen–Cunneen" in body and "Erlang C" in body
    assert "40 个已办结排队号" in body
