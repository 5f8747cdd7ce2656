"""The tracking code: no oracle on the phone, one live code per appeal, a code dies after 5 wrong tries,
and the limits count per address (never per forged header) and per phone, shared with the page."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from huying.appeals.models import TrackingCode
from huying.appeals.services import personal_data
from huying.appeals.states import Status
from huying.appeals.tests.factories import appeal_in

from .helpers import problem, url

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, 5, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def appeal(world: Any) -> Any:
    return appeal_in(world, Status.HANDLING, phone=PHONE)


def send(client: Any, number: str, phone: str, **meta: Any) -> Any:
    return client.post(url("track/send-code/"), {"number": number, "phone": phone}, format="json", **meta)


def verify(client: Any, number: str, code: str, **meta: Any) -> Any:
    return client.post(url("track/verify/"), {"number": number, "code": code}, format="json", **meta)


def test_one_answer_whatever_the_phone(appeal: Any) -> None:
    """The 4th request in a minute used to be refused only when number and phone matched."""
    matching = [send(APIClient(), appeal.number, PHONE, REMOTE_ADDR=f"198.51.100.{i}") for i in range(1, 7)]
    other = [send(APIClient(), appeal.number, "13800000000", REMOTE_ADDR=f"198.51.101.{i}") for i in range(1, 7)]
    unknown = [send(APIClient(), "20990101999999", PHONE, REMOTE_ADDR=f"198.51.102.{i}") for i in range(1, 4)]
    first = matching[0]
    assert first.status_code == 202 and first.json() == {"detail": "如果号码与工单一致，验证码已发送。"}
    # The phone's own limit (3 in ten minutes) refuses both phones alike: it counts requests, not matches.
    assert [r.status_code for r in matching] == [202, 202, 202, 429, 429, 429]
    assert [r.status_code for r in other] == [202, 202, 202, 429, 429, 429]
    for response in matching[:3] + other[:3]:
        assert response.json() == first.json()
    assert [r.status_code for r in unknown] == [429, 429, 429]  # the same phone as `matching`
    assert TrackingCode.objects.filter(appeal=appeal).count() == 3


def test_same_timing_order_of_magnitude(appeal: Any) -> None:
    def timed(phone: str, n: int) -> float:
        samples = []
        for _ in range(n):
            started = time.perf_counter()
            with mock.patch("huying.appeals.services.send_sms"):
                personal_data.tracking_code_send(number=appeal.number, phone=phone)
            samples.append(time.perf_counter() - started)
            TrackingCode.objects.all().delete()
        return statistics.median(samples)

    match, mismatch = timed(PHONE, 9), timed("13800000000", 9)
    assert match < 10 * mismatch + 0.02 and mismatch < 10 * match + 0.02


def test_a_new_code_kills_the_older_ones(appeal: Any, monkeypatch: Any) -> None:
    codes = iter([111111, 222222, 333333])
    monkeypatch.setattr(personal_data.secrets, "randbelow", lambda _n: next(codes))
    for _ in range(3):
        assert send(APIClient(), appeal.number, PHONE).status_code == 202
    client = APIClient()
    # Only the newest code opens the appeal; the older ones are dead even before it is used.
    problem(verify(client, appeal.number, "111111"), 400, "invalid_code")
    problem(verify(client, appeal.number, "222222"), 400, "invalid_code")
    assert verify(client, appeal.number, "333333").status_code == 200
    # A used code is dead, and the older ones do not come back.
    for code in ("333333", "222222", "111111"):
        problem(verify(client, appeal.number, code, REMOTE_ADDR="198.51.100.50"), 400, "invalid_code")


def test_five_wrong_codes_kill_the_code(appeal: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(personal_data.secrets, "randbelow", lambda _n: 123456)
    send(APIClient(), appeal.number, PHONE)
    for i in range(5):
        problem(verify(APIClient(), appeal.number, f"00000{i}", REMOTE_ADDR=f"198.51.100.{i + 1}"), 400, "invalid_code")
    assert TrackingCode.objects.get().attempts == 5
    problem(verify(APIClient(), appeal.number, "123456", REMOTE_ADDR="198.51.100.99"), 400, "invalid_code")


def test_an_expired_code_is_dead(appeal: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(personal_data.secrets, "randbelow", lambda _n: 123456)
    send(APIClient(), appeal.number, PHONE)
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 10, 6, tzinfo=dt.UTC), tick=False):
        problem(verify(APIClient(), appeal.number, "123456"), 400, "invalid_code")


def test_a_forged_forwarded_for_does_not_bypass_the_api_limit(world: Any) -> None:
    client = APIClient()
    codes = [
        verify(client, "1", "000000", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(1, 16)
    ]
    assert codes == [400] * 10 + [429] * 5
    refused = verify(client, "1", "000000", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99")
    body = problem(refused, 429, "throttled")
    assert "操作过于频繁" in body["title"] and int(refused["Retry-After"]) >= 1


def test_the_page_and_the_api_share_one_count(world: Any) -> None:
    page = Client(REMOTE_ADDR="198.51.100.8")
    for _ in range(6):
        response = page.post(reverse("appeals:track"), {"step": "verify", "number": "1", "code": "000000"})
        assert response.status_code == 400
    for _ in range(4):
        problem(verify(APIClient(), "1", "000000", REMOTE_ADDR="198.51.100.8"), 400, "invalid_code")
    problem(verify(APIClient(), "1", "000000", REMOTE_ADDR="198.51.100.8"), 429, "throttled")
    response = page.post(reverse("appeals:track"), {"step": "verify", "number": "1", "code": "000000"})
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "操作过于频繁" in response.content.decode()
