"""Flooding the public intake: after the limit every request is a 429 with Retry-After and nothing is created.

Limits are the documented defaults (5 a minute and 20 an hour per address, 3 an hour per phone), counted
on a frozen clock so no window ends in the middle of a test.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from rest_framework.test import APIClient

from huying.appeals.models import Appeal

from .helpers import problem, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, 5, tzinfo=dt.UTC), tick=False):
        yield


def body(i: int, phone: str | None = None) -> dict[str, Any]:
    return {
        "channel": "web",
        "appeal_type": "help",
        "content": f"第{i}号楼的路灯坏了好几天，晚上小区门口一片漆黑，请尽快修理。",
        "requester_phone": phone or f"137{i:08d}",
    }


def flood(bodies: list[dict[str, Any]], **meta: Any) -> list[Any]:
    client = APIClient()
    return [
        client.post(url("appeals/"), b, format="json", **{k: v(i) if callable(v) else v for k, v in meta.items()})
        for i, b in enumerate(bodies)
    ]


def assert_refused(response: Any) -> None:
    body = problem(response, 429, "throttled")
    assert "操作过于频繁" in body["title"]
    assert int(response["Retry-After"]) >= 1


def test_two_hundred_appeals_from_one_address(world: Any) -> None:
    responses = flood([body(i) for i in range(200)], REMOTE_ADDR="198.51.100.20")
    assert [r.status_code for r in responses[:5]] == [201] * 5
    for response in responses[5:]:
        assert_refused(response)
    assert Appeal.objects.count() == 5


def test_two_hundred_appeals_for_one_phone_from_two_hundred_addresses(world: Any) -> None:
    responses = flood(
        [body(i, phone="13912345678") for i in range(200)], REMOTE_ADDR=lambda i: f"198.51.100.{i % 250 + 1}"
    )
    assert [r.status_code for r in responses[:3]] == [201] * 3
    for response in responses[3:]:
        assert_refused(response)
    assert Appeal.objects.count() == 3


def test_a_forged_forwarded_for_does_not_reset_the_count(world: Any) -> None:
    responses = flood(
        [body(i) for i in range(30)], REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR=lambda i: f"203.0.113.{i + 1}"
    )
    assert [r.status_code for r in responses].count(201) == 5
    assert Appeal.objects.count() == 5


@override_settings(HUYING_TRUSTED_PROXIES=["10.0.0.1"])
def test_behind_a_trusted_proxy_each_client_is_counted(world: Any) -> None:
    responses = flood(
        [body(i) for i in range(12)], REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=lambda i: f"203.0.113.{i + 1}"
    )
    assert [r.status_code for r in responses] == [201] * 12


def test_the_hour_limit_per_address(world: Any) -> None:
    # Fixed windows, each key's shifted by a hash of it: start just after this address's hour begins.
    start = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC) + dt.timedelta(seconds=zlib.crc32(b"198.51.100.20") % 3600 + 5)
    codes: list[int] = []
    for round_ in range(6):
        with time_machine.travel(start + dt.timedelta(minutes=2 * round_), tick=False):
            codes += [
                r.status_code for r in flood([body(round_ * 10 + i) for i in range(5)], REMOTE_ADDR="198.51.100.20")
            ]
    assert codes == [201] * 20 + [429] * 10
    assert Appeal.objects.count() == 20


def test_staff_recording_appeals_are_not_limited(world: Any, client_for: Any) -> None:
    client = client_for(world.operator)
    for i in range(8):
        response = client.post(url("appeals/"), body(i, phone="13912345678") | {"channel": "hotline"}, format="json")
        assert response.status_code == 201, response.content
