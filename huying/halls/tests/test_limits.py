"""Taking tickets in a flood: per address (a forged X-Forwarded-For changes nothing) and per phone, on the
kiosk page and the API alike, answered with 429, a Chinese message and Retry-After."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from ..models import Ticket
from .conftest import HallWorld

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 24, 2, 0, 5, tzinfo=dt.UTC), tick=False):
        yield


def test_kiosk_page_limit_per_address(hw: HallWorld) -> None:
    kiosk = Client(REMOTE_ADDR="198.51.100.40")
    codes = [
        kiosk.post(
            f"/hall/{hw.hall.pk}/take/", {"choice": "consult"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"
        ).status_code
        for i in range(1, 41)
    ]
    assert codes == [302] * 30 + [429] * 10
    refused = kiosk.post(f"/hall/{hw.hall.pk}/take/", {"choice": "consult"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "操作过于频繁" in refused.content.decode()
    assert Ticket.objects.count() == 30


def test_one_phone_from_many_addresses(hw: HallWorld) -> None:
    url = f"/api/v1/hall/halls/{hw.hall.pk}/tickets/"
    codes = [
        APIClient(REMOTE_ADDR=f"198.51.100.{i}").post(url, {"phone": "13800138000"}, format="json").status_code
        for i in range(1, 11)
    ]
    # Three open tickets a day per phone (the queue's own rule), five requests an hour (the rate limit).
    assert codes == [201] * 3 + [400] * 2 + [429] * 5
    page = Client(REMOTE_ADDR="198.51.100.99").post(
        f"/hall/{hw.hall.pk}/take/", {"choice": "consult", "phone": "13800138000"}
    )
    assert page.status_code == 429
    refused = APIClient(REMOTE_ADDR="198.51.100.98").post(url, {"phone": "13800138000"}, format="json")
    body = refused.json()
    assert refused["Content-Type"].startswith("application/problem+json")
    assert body["code"] == "throttled" and "操作过于频繁" in body["title"] and int(refused["Retry-After"]) > 60
    assert Ticket.objects.count() == 3
