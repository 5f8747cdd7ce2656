"""The hall API: take, status, window actions, display, figures; permissions, problem+json, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from .. import services
from ..models import Ticket
from ..states import Status
from .conftest import HallWorld

pytestmark = pytest.mark.django_db


def api(user: Any = None) -> APIClient:
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    return body


def test_take_and_follow(hw: HallWorld) -> None:
    services.ticket_take(hall=hw.hall)
    r = api().post(
        f"/api/v1/hall/halls/{hw.hall.pk}/tickets/", {"item": "POLICE-001", "phone": "13800138000"}, format="json"
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["number"] == "B001" and body["item"] == "POLICE-001" and body["channel"] == "mobile"
    # the earlier 咨询 ticket waits in the comprehensive queue (A), not in front of B001
    assert body["ahead"] == 0 and body["estimated_wait_minutes"] == 0
    status = api().get(f"/api/v1/hall/tickets/{body['public_id']}/").json()
    assert status["status"] == "waiting" and status["status_label"] == "等待叫号"
    r = api(hw.world.citizen).post(f"/api/v1/hall/halls/{hw.hall.pk}/tickets/", {"bundle": "kaiban"}, format="json")
    assert r.status_code == 201 and Ticket.objects.get(public_id=r.json()["public_id"]).user == hw.world.citizen


def test_take_bad_input(hw: HallWorld) -> None:
    url = f"/api/v1/hall/halls/{hw.hall.pk}/tickets/"
    assert "phone" in problem(api().post(url, {"phone": "12"}, format="json"), 400, "validation_failed")["errors"]
    assert "item" in problem(api().post(url, {"item": "NOPE"}, format="json"), 400, "validation_failed")["errors"]
    assert "bundle" in problem(api().post(url, {"bundle": "nope"}, format="json"), 400, "validation_failed")["errors"]
    assert "channel" in problem(api().post(url, {"channel": "fax"}, format="json"), 400, "validation_failed")["errors"]
    both = api().post(url, {"item": "POLICE-001", "bundle": "kaiban"}, format="json")
    assert "item" in problem(both, 400, "validation_failed")["errors"]
    problem(api().post(url, "not json", content_type="application/json"), 400, "parse_error")
    problem(api().post("/api/v1/hall/halls/999999/tickets/", {}, format="json"), 404, "not_found")
    problem(api().get("/api/v1/hall/tickets/unknown/"), 404, "ticket_not_found")
    assert not Ticket.objects.exists()


def test_window_actions(hw: HallWorld) -> None:
    t = services.ticket_take(hall=hw.hall, item=hw.item_police)
    clerk = api(hw.clerk)
    base = f"/api/v1/hall/windows/{hw.special.pk}"
    called = clerk.post(f"{base}/call-next/").json()
    assert called["number"] == "B001" and called["window"] == 6 and called["status"] == "called"
    problem(clerk.post(f"{base}/call-next/"), 409, "window_busy")
    problem(clerk.post(f"{base}/finish/", {}, format="json"), 409, "invalid_transition")
    problem(clerk.post(f"{base}/start/", {"version": 1}, format="json"), 409, "changed_meanwhile")
    problem(clerk.post(f"{base}/start/", {"version": "x"}, format="json"), 400, "validation_failed")
    assert clerk.post(f"{base}/recall/", {}, format="json").json()["status"] == "called"
    started = clerk.post(f"{base}/start/", {"version": 3}, format="json").json()
    assert started["status"] == "serving"
    assert clerk.post(f"{base}/finish/", {}, format="json").json()["status"] == "done"
    problem(clerk.post(f"{base}/no-show/", {}, format="json"), 404, "no_current_ticket")
    assert clerk.post(f"{base}/call-next/").status_code == 204
    t.refresh_from_db()
    assert t.status == Status.DONE and t.recalls == 1


def test_window_actions_permissions(hw: HallWorld) -> None:
    services.ticket_take(hall=hw.hall)
    url = f"/api/v1/hall/windows/{hw.windows[0].pk}/call-next/"
    problem(api().post(url), 401, "not_authenticated")
    problem(api(hw.world.citizen).post(url), 404, "not_found")
    problem(api(hw.manager).post(url), 404, "not_found")
    problem(api(hw.outsider_clerk).post(url), 404, "not_found")
    problem(api(hw.clerk).post("/api/v1/hall/windows/999999/call-next/"), 404, "not_found")
    assert api(hw.clerk).post(url).status_code == 200


def test_display_and_figures(hw: HallWorld) -> None:
    services.ticket_take(hall=hw.hall)
    services.window_call_next(window=hw.windows[2], clerk=hw.clerk)
    state = api().get(f"/api/v1/hall/halls/{hw.hall.pk}/display/").json()
    assert state["calls"][0]["text"] == "请 A001 号到 3 号窗口"
    url = f"/api/v1/hall/halls/{hw.hall.pk}/figures/"
    problem(api().get(url), 401, "not_authenticated")
    problem(api(hw.clerk).get(url), 404, "not_found")
    figures = api(hw.manager).get(url).json()
    assert figures["tickets"] == 1 and figures["called"] == 1 and figures["open_windows"] == 4
    assert figures["comprehensive_window_share"] == 0.75
    bad = api(hw.manager).get(url, {"start": "2026-05-02", "end": "2026-05-01"})
    assert "start" in problem(bad, 400, "validation_failed")["errors"]
    problem(api(hw.manager).get(url, {"start": "yesterday"}), 400, "validation_failed")
