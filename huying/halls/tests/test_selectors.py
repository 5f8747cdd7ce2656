"""Figures computed on hand-made tickets, queue position and estimate, and the window-visit rating acts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.core.registry import rating_acts

from .. import selectors, services
from ..models import Ticket, Window
from ..states import Status
from .conftest import HallWorld, at

pytestmark = pytest.mark.django_db


def made(
    hw: HallWorld,
    *,
    taken: dt.datetime,
    wait: float | None,
    service: float | None,
    window: Window | None,
    status: Status = Status.DONE,
    **extra: Any,
) -> Ticket:
    """A ticket written directly with the given wait and service minutes (figures only read the times)."""
    called = taken + dt.timedelta(minutes=wait) if wait is not None else None
    started = called if service is not None else None
    finished = started + dt.timedelta(minutes=service) if started is not None and service is not None else None
    n = Ticket.objects.count() + 1
    return Ticket.objects.create(
        hall=hw.hall,
        day=timezone.localdate(taken),
        number=f"Z{n:03d}",
        taken_at=taken,
        called_at=called,
        announced_at=called,
        started_at=started,
        finished_at=finished,
        window=window,
        status=status,
        **extra,
    )


def test_percentile_nearest_rank() -> None:
    assert selectors.percentile([], 0.9) is None
    assert selectors.percentile([5.0], 0.9) == 5.0
    assert selectors.percentile([float(i) for i in range(1, 11)], 0.9) == 9.0
    assert selectors.percentile([float(i) for i in range(1, 12)], 0.9) == 10.0
    assert selectors.percentile([3.0, 1.0, 2.0], 0.5) == 2.0


def test_figures_on_hand_made_tickets(hw: HallWorld) -> None:
    day = timezone.localdate() - dt.timedelta(days=3)
    comp, special = hw.windows[0], hw.special
    waits = [2, 4, 6, 8, 10, 12, 14, 16, 18, 40]
    services_min = [5, 5, 5, 5, 10, 10, 10, 10, 20, 20]
    for i, (w, s) in enumerate(zip(waits, services_min, strict=True)):
        made(hw, taken=at(9 if i < 6 else 14, i, day), wait=w, service=s, window=comp if i < 8 else special)
    made(hw, taken=at(10, 0, day), wait=30, service=None, window=comp, status=Status.NO_SHOW)
    made(hw, taken=at(10, 5, day), wait=None, service=None, window=None, status=Status.CANCELLED)
    made(hw, taken=at(10, 5, day - dt.timedelta(days=40)), wait=99, service=99, window=comp)  # outside the period
    hw.windows[2].is_open = False
    hw.windows[2].save()

    f = selectors.hall_figures(hw.hall, start=day - dt.timedelta(days=1), end=day)
    assert f.tickets == 12 and f.called == 11 and f.served == 10
    all_waits = [*waits, 30]
    assert f.average_wait_minutes == pytest.approx(sum(all_waits) / 11)
    assert f.p90_wait_minutes == pytest.approx(sorted(all_waits)[9])  # ceil(0.9 * 11) = 10th smallest = 30
    assert f.average_service_minutes == pytest.approx(sum(services_min) / 10)
    assert dict(f.by_hour) == {9: 6, 10: 2, 14: 4}
    assert f.by_status["no_show"] == 1 and f.by_status["cancelled"] == 1 and f.by_status["done"] == 10
    assert (f.open_windows, f.open_comprehensive_windows) == (3, 2)
    assert f.comprehensive_window_share == pytest.approx(2 / 3)
    assert f.comprehensive_served_share == pytest.approx(8 / 10)
    d = selectors.figures_as_dict(f)
    assert d["p90_wait_minutes"] == 30 and d["by_hour"][0] == {"hour": 9, "tickets": 6}

    empty = selectors.hall_figures(hw.hall, start=day + dt.timedelta(days=1), end=day + dt.timedelta(days=1))
    assert empty.tickets == 0 and empty.average_wait_minutes is None and empty.comprehensive_served_share is None


def test_estimate_uses_recent_service_and_open_windows(hw: HallWorld) -> None:
    now = timezone.now()
    for minutes in (6, 12):  # recent average service 9 min
        made(hw, taken=now - dt.timedelta(hours=2), wait=1, service=minutes, window=hw.windows[0])
    made(hw, taken=now - dt.timedelta(days=30), wait=1, service=120, window=hw.windows[0])  # too old to count
    assert selectors.recent_service_minutes(hw.hall) == pytest.approx(9)
    for _ in range(6):
        services.ticket_take(hall=hw.hall)
    police = services.ticket_take(hall=hw.hall, item=hw.item_police)
    consult = services.ticket_take(hall=hw.hall)
    p = selectors.ticket_progress(police)
    # The six 咨询 tickets are in the comprehensive queue (A); the police ticket heads its own queue.
    assert police.number[0] != consult.number[0]
    assert (p.ahead, p.open_windows, p.estimated_minutes) == (0, 4, 0)
    second_police = services.ticket_take(hall=hw.hall, item=hw.item_police)
    p = selectors.ticket_progress(second_police)
    assert (p.ahead, p.open_windows, p.estimated_minutes) == (1, 4, 3)  # 1 x 9 / 4 = 2.25 -> 3
    p = selectors.ticket_progress(consult)
    assert (p.ahead, p.open_windows, p.estimated_minutes) == (6, 3, 18)  # 6 x 9 / 3
    for w in hw.windows:
        services.window_set_open(window=w, actor=hw.clerk, is_open=False)
    p = selectors.ticket_progress(consult)
    assert p.ahead == 6 and p.estimated_minutes is None
    services.ticket_cancel(ticket=consult, actor=hw.manager)
    consult.refresh_from_db()
    assert selectors.ticket_progress(consult).ahead is None


def test_window_visit_rating_act(hw: HallWorld) -> None:
    resolver = rating_acts.get("window_visit")
    t = services.ticket_take(hall=hw.hall, item=hw.item_police, phone="13800138000", user=hw.world.citizen)
    assert resolver(t.public_id) is None  # not finished yet
    t = services.window_call_next(window=hw.special, clerk=hw.clerk)
    assert t is not None
    t = services.ticket_finish(ticket=services.ticket_start(ticket=t, clerk=hw.clerk), clerk=hw.clerk)
    act = resolver(t.public_id)
    assert act is not None
    assert (act.kind, act.ref, act.unit_id, act.rater_user_id, act.rater_phone) == (
        "window_visit",
        t.public_id,
        hw.police.pk,
        hw.world.citizen.pk,
        "13800138000",
    )
    assert act.occurred_at == t.finished_at and "B001" in act.title and "6号窗口" in act.title
    # At a comprehensive window the hall's unit served.
    services.ticket_take(hall=hw.hall)
    c = services.window_call_next(window=hw.windows[0], clerk=hw.clerk)
    assert c is not None
    c = services.ticket_finish(ticket=services.ticket_start(ticket=c, clerk=hw.clerk), clerk=hw.clerk)
    act2 = resolver(c.public_id)
    assert act2 is not None and act2.unit_id == hw.shenpi.pk and act2.rater_user_id is None
    assert resolver("nope") is None
    samples = selectors.window_visit_samples(5)
    assert [a.ref for a in samples] == [c.public_id, t.public_id]
