"""The appeal loop end to end through the API, with token authentication as an integration uses it."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from huying.appeals.models import Appeal
from huying.appeals.states import Status

from .helpers import action_url, problem, url

pytestmark = pytest.mark.django_db

PASSWORD = "pass-1234-huying"  # conftest.make_user


def token_client(user: Any) -> APIClient:
    response = APIClient().post(url("auth/token/"), {"username": user.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def test_token_obtained_and_accepted(world: Any) -> None:
    client = token_client(world.operator)
    response = client.get(url("appeals/"))
    assert response.status_code == 200
    assert response.json()["count"] == 0
    # The same token again: one token per user.
    again = APIClient().post(url("auth/token/"), {"username": "operator", "password": PASSWORD})
    assert again.status_code == 200


def test_token_bad_credentials_is_problem(world: Any) -> None:
    body = problem(
        APIClient().post(url("auth/token/"), {"username": "operator", "password": "wrong"}, format="json"),
        400,
        "invalid_credentials",
    )
    assert body["errors"] == {"non_field_errors": [body["detail"]]}
    body = problem(APIClient().post(url("auth/token/"), {}, format="json"), 400, "validation_failed")
    assert set(body["errors"]) == {"username", "password"}


def test_without_or_with_bad_credentials(world: Any) -> None:
    response = APIClient().get(url("appeals/"))
    problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Token")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    problem(client.get(url("appeals/")), 401, "authentication_failed")


def test_submit_record_call_sign_reply_follow_up(world: Any, client_for: Any) -> None:
    citizen = token_client(world.citizen)
    operator = token_client(world.operator)
    handler = token_client(world.handler)

    # A citizen submits online; the hotline records a phone call about another matter.
    response = citizen.post(
        url("appeals/"),
        {
            "channel": "web",
            "appeal_type": "complaint",
            "content": "小区门口道路有大坑，已经一个月没人修，晚上骑车很危险。",
            "category": world.cat_road.pk,
            "division": "371602",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    submitted = response.json()
    assert submitted["status"] == Status.SUBMITTED
    assert submitted["repeat_of"] is None
    detail = citizen.get(url(f"appeals/{submitted['id']}/")).json()
    assert detail["division"]["code"] == "371602"
    assert detail["requester_phone"] == "138****8000"  # the citizen's own phone, masked
    assert Appeal.objects.get(pk=submitted["id"]).citizen == world.citizen

    response = operator.post(
        url("appeals/record-call/"),
        {
            "appeal_type": "complaint",
            "content": "建筑工地夜间施工噪音扰民，凌晨两点还在打桩。",
            "category": world.cat_noise.pk,
            "requester_name": "王五",
            "requester_phone": "139 1234 5678",
            "lead_unit": world.urban.pk,
            "assist_units": [world.street.pk],
            "note": "请尽快核查",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    call = response.json()
    assert call["status"] == Status.DISPATCHED
    assert operator.get(url(f"appeals/{call['id']}/")).json()["channel"] == "hotline"
    assert call["lead_unit"]["id"] == world.urban.pk
    assert [u["id"] for u in call["assist_units"]] == [world.street.pk]
    assert call["deadline_state"] == "ok"
    assert call["time_limit"] == {"amount": 5, "unit": "workdays"}

    # The unit sees it with its buttons, signs for it and replies.
    detail = handler.get(url(f"appeals/{call['id']}/")).json()
    assert set(detail["allowed_actions"]) == {"sign", "request_return"}
    response = handler.post(action_url(call["id"], "sign"), {"version": detail["version"]}, format="json")
    assert response.status_code == 200, response.content
    signed = response.json()
    assert signed["status"] == Status.HANDLING
    assert signed["version"] == detail["version"] + 1
    response = handler.post(
        action_url(call["id"], "reply"),
        {"note": "已责令施工单位夜间停工。", "version": signed["version"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.REPLIED
    assert response.json()["reply_text"] == "已责令施工单位夜间停工。"

    # The hotline calls back: resolved and satisfied closes the order.
    response = operator.post(
        action_url(call["id"], "follow_up"), {"resolution": "resolved", "satisfaction": "satisfied"}, format="json"
    )
    assert response.status_code == 200, response.content
    closed = response.json()
    assert closed["status"] == Status.CLOSED
    assert closed["allowed_actions"] == []

    timeline = operator.get(url(f"appeals/{call['id']}/timeline/")).json()
    assert [e["action"] for e in timeline] == ["submit", "accept", "dispatch", "sign", "reply", "follow_up"]
    assert timeline[-1]["to_status"] == Status.CLOSED


def test_citizen_follows_up_own_appeal(world: Any, client_for: Any) -> None:
    from huying.appeals.tests.factories import appeal_in

    appeal = appeal_in(world, Status.REPLIED, citizen=world.citizen)
    response = client_for(world.citizen).post(
        action_url(appeal, "follow_up"), {"resolution": "partly", "satisfaction": "unsatisfied"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.UNSATISFIED


def test_repeat_submission_is_merged_and_says_so(world: Any, client_for: Any) -> None:
    body = {
        "channel": "web",
        "appeal_type": "complaint",
        "content": "黄河五路夜间施工噪音很大，影响休息，请管一管。",
        "category": world.cat_noise.pk,
    }
    client = client_for(world.citizen)
    first = client.post(url("appeals/"), body, format="json").json()
    response = client.post(url("appeals/"), body, format="json")
    assert response.status_code == 201
    second = response.json()
    assert second["status"] == Status.MERGED
    assert second["repeat_of"] == {"id": first["id"], "number": first["number"], "status": Status.SUBMITTED}
    assert second["status"] == Status.MERGED
    assert Appeal.objects.get(pk=second["id"]).merged_into.number == first["number"]
