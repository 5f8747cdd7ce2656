"""Tracking an appeal without an account: a code sent to the requester's phone."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from huying.appeals.models import TrackingCode
from huying.appeals.services import personal_data
from huying.appeals.states import Status
from huying.appeals.tests.factories import appeal_in

from .helpers import problem, url

pytestmark = pytest.mark.django_db


def test_send_code_and_verify(world: Any, monkeypatch: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING, phone="13912345678")
    monkeypatch.setattr(personal_data.secrets, "randbelow", lambda _n: 123456)
    client = APIClient()
    response = client.post(url("track/send-code/"), {"number": appeal.number, "phone": "13912345678"}, format="json")
    assert response.status_code == 202, response.content
    assert TrackingCode.objects.filter(appeal=appeal).count() == 1
    # A mismatch answers the same and sends nothing.
    other = client.post(url("track/send-code/"), {"number": appeal.number, "phone": "13900000000"}, format="json")
    assert other.status_code == 202 and other.json() == response.json()
    assert TrackingCode.objects.count() == 1

    problem(
        client.post(url("track/verify/"), {"number": appeal.number, "code": "654321"}, format="json"),
        400,
        "invalid_code",
    )
    response = client.post(url("track/verify/"), {"number": appeal.number, "code": "123456"}, format="json")
    assert response.status_code == 200, response.content
    public = response.json()
    assert public["status"] == Status.HANDLING
    assert public["requester_phone"] == "139****5678"
    assert public["requester_name"] == "张*"
    assert public["lead_unit"] == "市城管局"
    assert [e["action"] for e in public["timeline"]] == ["submit", "accept", "dispatch", "sign"]
    assert "actor_name" not in public["timeline"][0]
    # The code is spent.
    problem(
        client.post(url("track/verify/"), {"number": appeal.number, "code": "123456"}, format="json"),
        400,
        "invalid_code",
    )


def test_tracking_bad_input(world: Any) -> None:
    client = APIClient()
    errors = problem(
        client.post(url("track/send-code/"), {"number": "1", "phone": "12345"}, format="json"), 400, "invalid_phone"
    )["errors"]
    assert set(errors) == {"phone"}
    errors = problem(client.post(url("track/verify/"), {"code": "12ab"}, format="json"), 400, "validation_failed")[
        "errors"
    ]
    assert set(errors) == {"number", "code"}


def test_tracking_is_throttled(world: Any) -> None:
    client = APIClient()
    for _ in range(10):
        response = client.post(url("track/verify/"), {"number": "1", "code": "000000"}, format="json")
        assert response.status_code == 400
    response = client.post(url("track/verify/"), {"number": "1", "code": "000000"}, format="json")
    problem(response, 429, "throttled")
    assert "Retry-After" in response
