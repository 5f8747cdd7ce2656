"""Error shapes of the action endpoints: each refusal is problem+json with a stable code and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from huying.appeals.models import Appeal, AppealEvent
from huying.appeals.states import Action, Status
from huying.appeals.tests.factories import appeal_in

from .helpers import action_url, problem, url

pytestmark = pytest.mark.django_db


def snapshot(appeal: Appeal) -> tuple[Any, ...]:
    fresh = Appeal.objects.get(pk=appeal.pk)
    return fresh.status, fresh.version, fresh.lead_unit_id, AppealEvent.objects.filter(appeal=appeal).count()


def test_invalid_transition_is_409(world: Any, client_for: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING)
    before = snapshot(appeal)
    body = problem(
        client_for(world.operator).post(action_url(appeal, "accept"), {}, format="json"), 409, "invalid_transition"
    )
    assert body["data"] == {"status": Status.HANDLING, "action": "accept"}
    assert snapshot(appeal) == before


def test_stale_version_is_409_and_nothing_changes(world: Any, client_for: Any) -> None:
    appeal = appeal_in(world, Status.ACCEPTED)
    before = snapshot(appeal)
    response = client_for(world.operator).post(
        action_url(appeal, "dispatch"), {"lead_unit": world.urban.pk, "version": appeal.version - 1}, format="json"
    )
    body = problem(response, 409, "changed_meanwhile")
    assert body["data"]["current_version"] == appeal.version
    assert snapshot(appeal) == before


def test_forbidden_is_403(world: Any, client_for: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING)
    before = snapshot(appeal)
    # The unit can see the order, but supervision (督办) is the supervisor's.
    problem(
        client_for(world.handler).post(action_url(appeal, "supervise"), {"note": "督办"}, format="json"),
        403,
        "forbidden",
    )
    assert snapshot(appeal) == before


def test_invisible_looks_like_missing(world: Any, client_for: Any) -> None:
    appeal = appeal_in(world, Status.DISPATCHED)
    client = client_for(world.housing_handler)  # another unit
    invisible = problem(client.post(action_url(appeal, "sign"), {}, format="json"), 404, "not_found")
    missing = problem(client.post(action_url(987654, "sign"), {}, format="json"), 404, "not_found")
    assert invisible == missing
    assert problem(client.get(url(f"appeals/{appeal.pk}/")), 404, "not_found") == problem(
        client.get(url("appeals/987654/")), 404, "not_found"
    )
    assert snapshot(appeal)[0] == Status.DISPATCHED
    problem(client.get(url("appeals/99999999999999999999/")), 404, "not_found")


# Every per-order action endpoint (a joint reply has none: it goes through a key problem).
@pytest.mark.parametrize("action", [a.value for a in Action if a != Action.JOINT_REPLY])
def test_every_action_refuses_wrong_types(world: Any, client_for: Any, action: str) -> None:
    appeal = appeal_in(world, Status.SUBMITTED)
    before = snapshot(appeal)
    response = client_for(world.supervisor).post(
        action_url(appeal, action), {"note": {"x": 1}, "version": "abc"}, format="json"
    )
    body = problem(response, 400, "validation_failed")
    assert {"note", "version"} <= set(body["errors"])
    assert all(isinstance(m, str) for messages in body["errors"].values() for m in messages)
    assert snapshot(appeal) == before


@pytest.mark.parametrize(
    ("status", "action", "payload", "field"),
    [
        (Status.ACCEPTED, "dispatch", {}, "lead_unit"),
        (Status.ACCEPTED, "dispatch", {"lead_unit": 99999}, "lead_unit"),
        (Status.ACCEPTED, "dispatch", {"lead_unit": "城管局"}, "lead_unit"),
        (Status.ACCEPTED, "dispatch", {"lead_unit": 1, "assist_units": "x"}, "assist_units"),
        (Status.RETURN_REQUESTED, "approve_return", {"note": "改派"}, "lead_unit"),
        (Status.SUBMITTED, "refer", {"note": "报警", "refer_target": "999"}, "refer_target"),
        (Status.SUBMITTED, "merge", {"merge_into": "20990101999999"}, "merge_into"),
        (Status.HANDLING, "request_extension", {"note": "需要时间", "extension_days": 0}, "extension_days"),
        (Status.HANDLING, "request_extension", {"note": "需要时间", "extension_days": 31}, "extension_days"),
        (Status.EXTENSION_REQUESTED, "approve_extension", {"note": "同意", "extension_days": "五"}, "extension_days"),
        (Status.REPLIED, "follow_up", {"resolution": "yes", "satisfaction": "satisfied"}, "resolution"),
        (Status.REPLIED, "follow_up", {"resolution": "resolved"}, "satisfaction"),
        (Status.HANDLING, "reply", {}, "note"),  # the note the table asks for, checked by the service
        (Status.SUBMITTED, "answer", {"note": "   "}, "note"),
    ],
)
def test_action_field_errors(
    world: Any, client_for: Any, status: str, action: str, payload: dict[str, Any], field: str
) -> None:
    appeal = appeal_in(world, status)
    before = snapshot(appeal)
    actor = world.handler if action in ("request_extension", "reply") else world.supervisor
    body = problem(client_for(actor).post(action_url(appeal, action), payload, format="json"), 400, "validation_failed")
    assert field in body["errors"], body
    assert snapshot(appeal) == before


def test_merge_by_number(world: Any, client_for: Any) -> None:
    lead = appeal_in(world, Status.HANDLING)
    repeat = appeal_in(world, Status.SUBMITTED)
    response = client_for(world.operator).post(action_url(repeat, "merge"), {"merge_into": lead.number}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["merged_into"]["number"] == lead.number


def test_unknown_action_malformed_json_and_wrong_method(world: Any, client_for: Any) -> None:
    appeal = appeal_in(world, Status.SUBMITTED)
    client = client_for(world.operator)
    body = problem(client.post(action_url(appeal, "explode"), {}, format="json"), 404, "unknown_action")
    assert body["data"] == {"action": "explode"}
    problem(
        client.post(action_url(appeal, "accept"), data="{not json", content_type="application/json"), 400, "parse_error"
    )
    problem(
        client.post(action_url(appeal, "accept"), data="note=x", content_type="text/plain"),
        415,
        "unsupported_media_type",
    )
    problem(client.get(action_url(appeal, "accept")), 405, "method_not_allowed")
    problem(client.get(url("no-such-thing/")), 404, "not_found")
    assert problem(client.get(url("appeals")), 404, "not_found")["detail"].endswith("/api/v1/appeals/")
    assert snapshot(appeal)[0] == Status.SUBMITTED


def test_assist_report(world: Any, client_for: Any) -> None:
    appeal = appeal_in(world, Status.ACCEPTED)
    response = client_for(world.operator).post(
        action_url(appeal, "dispatch"),
        {"lead_unit": world.urban.pk, "assist_units": [world.housing.pk]},
        format="json",
    )
    assert response.status_code == 200
    endpoint = url(f"appeals/{appeal.pk}/assist-report/")
    response = client_for(world.housing_handler).post(endpoint, {"note": "住建局已协调物业。"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["action"] == "assist_report"
    assert response.json()["actor_unit"]["id"] == world.housing.pk
    problem(client_for(world.handler).post(endpoint, {"note": "主办不是协办"}, format="json"), 403, "forbidden")
    body = problem(client_for(world.housing_handler).post(endpoint, {}, format="json"), 400, "validation_failed")
    assert "note" in body["errors"]
    problem(client_for(world.street_handler).post(endpoint, {"note": "x"}, format="json"), 404, "not_found")


def test_joint_reply_has_no_per_order_endpoint(world: Any, client_for: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING)
    response = client_for(world.supervisor).post(action_url(appeal, "joint_reply"), {"note": "x"}, format="json")
    problem(response, 404, "unknown_action")
    assert Appeal.objects.get(pk=appeal.pk).status == Status.HANDLING
