"""The kernel's rate limits: per address and per phone, fixed windows, a Chinese message and Retry-After."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.test import RequestFactory, override_settings

from huying.core.ratelimit import DEFAULT_LIMITS, RateLimited, limit, limits_for, phone_key

pytestmark = pytest.mark.usefixtures("_frozen")


@pytest.fixture
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, 5, tzinfo=dt.UTC), tick=False):
        yield


def _request(remote: str = "203.0.113.7", forwarded: str = "") -> object:
    return RequestFactory().post("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)


@override_settings(HUYING_RATE_LIMITS={"demo": {"address": ["3/m"], "phone": ["2/h"]}})
def test_address_and_phone_are_counted_apart() -> None:
    for _ in range(3):
        limit(_request(), "demo")
    with pytest.raises(RateLimited) as refused:
        limit(_request(), "demo")
    assert refused.value.status == 429 and refused.value.code == "throttled"
    assert "操作过于频繁" in str(refused.value.message)
    assert 1 <= int(refused.value.headers()["Retry-After"]) <= 60
    # Another address is not refused; the same phone from two more addresses is.
    limit(_request("203.0.113.8"), "demo", phone="139 1234 5678")
    limit(_request("203.0.113.9"), "demo", phone="+8613912345678")
    with pytest.raises(RateLimited) as refused:
        limit(_request("203.0.113.10"), "demo", phone="13912345678")
    assert int(refused.value.headers()["Retry-After"]) > 60
    assert "分钟" in str(refused.value.message)


@override_settings(HUYING_RATE_LIMITS={"demo": {"address": ["2/m"]}})
def test_a_forged_forwarded_header_does_not_reset_the_count() -> None:
    limit(_request(forwarded="1.1.1.1"), "demo")
    limit(_request(forwarded="2.2.2.2"), "demo")
    with pytest.raises(RateLimited):
        limit(_request(forwarded="3.3.3.3"), "demo")
    # Behind a trusted proxy the forwarded address is the client.
    with override_settings(HUYING_TRUSTED_PROXIES=["203.0.113.7"]):
        limit(_request(forwarded="4.4.4.4"), "demo")


def test_documented_defaults_and_phone_keys() -> None:
    assert limits_for("appeal_submit") == {"address": ["5/m", "20/h"], "phone": ["3/h"]}
    assert set(DEFAULT_LIMITS) == {"appeal_submit", "track_send", "track_verify", "ticket_take"}
    with override_settings(HUYING_RATE_LIMITS={}):
        assert limits_for("ticket_take") == DEFAULT_LIMITS["ticket_take"]
    assert phone_key("139 1234 5678") == phone_key("+8613912345678") == "13912345678"
    assert phone_key(" 12 ") == "12"
