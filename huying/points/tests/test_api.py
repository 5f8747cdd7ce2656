"""/api/v1/points/: the code, the cashier's redemption with Idempotency-Key, the reviewer's actions."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from huying.points.services.claims import claim_submit

from .factories import balance, build, claim, grant

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_code_and_idempotent_redemption(world: Any) -> None:
    p = build(world)
    grant(world.citizen, 50, p.scheme, "k")
    token = api(world.citizen).post("/api/v1/points/code/").json()["token"]
    cashier = api(p.cashier)
    body = {"token": token, "points": 20}
    first = cashier.post("/api/v1/points/redeem/", body, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    again = cashier.post("/api/v1/points/redeem/", body, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert (first.status_code, again.status_code) == (201, 200) and again.json()["replayed"] is True
    replay = cashier.post("/api/v1/points/redeem/", body, format="json", HTTP_IDEMPOTENCY_KEY="r-2")
    assert replay.status_code == 400 and replay.json()["code"] == "token_replayed"
    assert balance(world.citizen) == 30
    mine = api(world.citizen).get("/api/v1/points/mine/").json()
    assert mine["redeemed"] == 20 and mine["accounts"][0]["balance"] == 30


def test_claim_actions_over_the_api(world: Any) -> None:
    p = build(world, publicity_days=0)
    c = claim_submit(claim(world.citizen, "A1"))
    assert c is not None
    reviewer = api(p.reviewer)
    for action in ("review", "recognise", "publicise", "credit"):
        answer = reviewer.post(f"/api/v1/points/claims/{c.pk}/act/", {"action": action}, format="json")
        assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == "credited" and balance(world.citizen) == 10
    refused = api(world.other_citizen).post(f"/api/v1/points/claims/{c.pk}/act/", {"action": "reverse"}, format="json")
    assert refused.status_code == 404
