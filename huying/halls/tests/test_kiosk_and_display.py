"""The kiosk is a closed machine (no site menu, no sign-in link); the display tells the hall's time and
lists calls while they are news, not all day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from huying.halls import selectors, services

from .conftest import HallWorld

pytestmark = pytest.mark.django_db


def test_the_kiosk_has_no_way_out(hw: HallWorld) -> None:
    page = Client().get(f"/hall/{hw.hall.pk}/take/").content.decode()
    assert hw.hall.name in page
    assert "/accounts/login/" not in page and 'class="mainnav"' not in page and 'class="footnav"' not in page
    phone = Client().get(f"/hall/{hw.hall.pk}/take/?channel=mobile").content.decode()
    assert 'class="mainnav"' in phone  # on one's own phone the site stays at hand


def test_the_display_clock_is_the_halls(hw: HallWorld) -> None:
    page = Client().get(f"/hall/{hw.hall.pk}/display/").content.decode()
    assert 'data-time-zone="Asia/Shanghai"' in page


def test_a_call_leaves_the_list_of_calls_after_a_while(hw: HallWorld) -> None:
    now = timezone.now()
    services.ticket_take(hall=hw.hall, now=now - dt.timedelta(minutes=50))
    ticket = services.window_call_next(window=hw.windows[0], clerk=hw.clerk, now=now - dt.timedelta(minutes=45))
    assert ticket is not None
    state = selectors.hall_display_state(hw.hall, now=now - dt.timedelta(minutes=45))
    assert [c["number"] for c in state["calls"]] == [ticket.number]
    state = selectors.hall_display_state(hw.hall, now=now)
    assert state["calls"] == []
    assert ticket.number in [w["current"] for w in state["windows"]]  # still at the window
