"""Flooding the web form and the tracking page: after the limit the form comes back with the message,
status 429 and Retry-After, and nothing more is created or sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from huying.appeals.models import Appeal, TrackingCode
from huying.appeals.states import Status
from huying.appeals.tests.factories import appeal_in

from .test_citizen_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, 5, tzinfo=dt.UTC), tick=False):
        yield


def assert_form_refused(response: Any, form_id: str) -> None:
    html = response.content.decode()
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "操作过于频繁" in html and f'id="{form_id}"' in html


def test_two_hundred_appeals_through_the_web_form(world: Any) -> None:
    client = Client(REMOTE_ADDR="198.51.100.30")
    responses = [
        client.post(reverse("appeals:new"), form_data(requester_phone=f"137{i:08d}", content=f"第{i}次反映：{i}"))
        for i in range(200)
    ]
    assert [r.status_code for r in responses[:5]] == [302] * 5
    for response in responses[5:]:
        assert_form_refused(response, "submit-form")
    assert Appeal.objects.count() == 5


def test_one_phone_from_many_addresses_through_the_web_form(world: Any) -> None:
    codes = [
        Client(REMOTE_ADDR=f"198.51.100.{i + 1}")
        .post(reverse("appeals:new"), form_data(content=f"第{i}次反映同一件事：{i}"))
        .status_code
        for i in range(20)
    ]
    assert codes == [302] * 3 + [429] * 17
    assert Appeal.objects.count() == 3


def test_a_forged_forwarded_for_does_not_reset_the_web_count(world: Any) -> None:
    client = Client(REMOTE_ADDR="198.51.100.30")
    codes = [
        client.post(
            reverse("appeals:new"),
            form_data(requester_phone=f"137{i:08d}"),
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i + 1}",
        ).status_code
        for i in range(10)
    ]
    assert codes == [302] * 5 + [429] * 5


def test_the_tracking_page_limits_code_requests(world: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING, phone="13912345678")
    client = Client(REMOTE_ADDR="198.51.100.31")
    with mock.patch("huying.appeals.services.send_sms"):
        responses = [
            client.post(reverse("appeals:track"), {"step": "send", "number": appeal.number, "phone": "13912345678"})
            for _ in range(5)
        ]
    assert [r.status_code for r in responses] == [200, 200, 200, 429, 429]
    assert "如果号码与工单一致，验证码已发送。" in responses[0].content.decode()
    assert_form_refused(responses[3], "track-send-form")
    # Only the newest of the three codes is alive.
    live = TrackingCode.objects.filter(appeal=appeal, expires_at__gt=dt.datetime(2026, 11, 24, 10, 0, 5, tzinfo=dt.UTC))
    assert live.count() == 1
