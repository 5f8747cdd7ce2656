"""好差评 of a window visit: the SMS link to the ticket's phone when the clerk finishes, the window's
rating device (bound to the window by its address), and the clerk never rating his own service."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from huying.core.notify import sms_outbox
from huying.ratings.models import Rating
from huying.ratings.states import Source

from .. import selectors, services
from .conftest import HallWorld

pytestmark = pytest.mark.django_db


def served(hw: HallWorld, phone: str = "") -> Any:
    ticket = services.ticket_take(hall=hw.hall, phone=phone)
    called = services.window_call_next(window=hw.windows[0], clerk=hw.clerk)
    assert called == ticket
    return services.ticket_finish(ticket=services.ticket_start(ticket=called, clerk=hw.clerk), clerk=hw.clerk)


def test_finishing_texts_a_rating_link_to_the_ticket_phone(
    hw: HallWorld, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ticket = served(hw, phone="13900002222")
    phone, text = sms_outbox[-1]
    assert phone == "13900002222" and "/ratings/r/" in text
    path = re.search(r"(/ratings/r/[^/\s]+/)", text).group(1)  # type: ignore[union-attr]
    assert Client().post(path, {"level": "5"}).status_code == 302
    rating = Rating.objects.get(kind="window_visit", ref=ticket.public_id)
    assert rating.source == Source.SMS and rating.is_real_name and rating.entered_by is None


def test_the_device_shows_the_visit_just_finished_and_records_it(hw: HallWorld) -> None:
    window = hw.windows[0]
    url = f"/hall/windows/{window.pk}/rater/{selectors.rating_device_key(window)}/"
    device = Client()
    assert 'id="device-idle"' in device.get(url).content.decode()
    assert device.get(f"/hall/windows/{window.pk}/rater/forged/").status_code == 404
    other = hw.windows[1]
    assert device.get(f"/hall/windows/{other.pk}/rater/{selectors.rating_device_key(window)}/").status_code == 404
    ticket = served(hw)
    page = device.get(url).content.decode()
    assert ticket.number in page and 'id="rate-form"' in page
    action = re.search(r'action="(/ratings/r/[^"]+/)"', page).group(1)  # type: ignore[union-attr]
    # The clerk who served, signed in, cannot submit it for the person.
    clerk = Client()
    clerk.force_login(hw.clerk)
    assert clerk.post(action, {"level": "5"}).status_code == 403
    response = device.post(action, {"level": "4"})
    assert response.status_code == 302 and response["Location"] == url
    rating = Rating.objects.get(kind="window_visit", ref=ticket.public_id)
    assert rating.source == Source.DEVICE and not rating.is_real_name
    assert 'id="device-idle"' in device.get(url).content.decode()


def test_console_links_its_device(hw: HallWorld) -> None:
    clerk = Client()
    clerk.force_login(hw.clerk)
    page = clerk.get(f"/hall/windows/{hw.windows[0].pk}/").content.decode()
    assert f"/hall/windows/{hw.windows[0].pk}/rater/" in page
