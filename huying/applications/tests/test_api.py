"""The 办件 API: the loop end to end, problem+json errors, permissions, concurrency."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from huying.accounts.tokens import token_issue
from huying.applications.models import Application, ReviewTask
from huying.applications.states import Status, TaskStatus

from .conftest import CITIZEN_ID, COMPANY, Hall, in_review, local

BASE = "/api/v1/applications/"


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)[1]}")
    return client


def receive_body(h: Hall, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "bundle": h.cat.bundle.code,
        "channel": "window",
        "applicant_kind": "enterprise",
        "applicant_name": "滨州示例科技有限公司",
        "applicant_code": COMPANY,
        "applicant_phone": "13800138999",
        "form_data": {
            "company_name": "滨州示例科技有限公司",
            "credit_code": COMPANY,
            "phone": "13800138001",
            "staff_count": "12",
            "account_type": "基本存款账户",
        },
    }
    body.update(extra)
    return body


def test_bundle_loop_through_the_api(hall: Hall) -> None:
    bundle = hall.cat.bundle
    bundle.review_in_parallel = True
    bundle.save()
    clerk = client_for(hall.clerk)
    response = clerk.post(BASE, receive_body(hall), format="json")
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    keys = [m["key"] for m in response.json()["materials"]]
    response = clerk.post(
        f"{BASE}{number}/actions/accept/", {"materials": dict.fromkeys(keys, "provided")}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == Status.IN_REVIEW
    renshe = client_for(hall.renshe_reviewer)
    tasks = renshe.get(f"{BASE}tasks/").json()
    assert [t["application"] for t in tasks] == [number]
    assert (
        renshe.post(
            f"{BASE}tasks/{tasks[0]['id']}/decide/", {"approve": True, "opinion": "同意。"}, format="json"
        ).status_code
        == 200
    )
    shenpi = client_for(hall.reviewer)
    for task in shenpi.get(f"{BASE}tasks/").json():
        assert (
            shenpi.post(
                f"{BASE}tasks/{task['id']}/decide/",
                {"approve": True, "opinion": "同意。", "version": task["version"]},
                format="json",
            ).status_code
            == 200
        )
    assert clerk.get(f"{BASE}{number}/").json()["status"] == Status.APPROVED
    response = clerk.post(f"{BASE}{number}/actions/issue/", {"method": "window"}, format="json")
    assert response.json()["status"] == Status.ISSUED
    timeline = clerk.get(f"{BASE}{number}/timeline/").json()
    assert [r["action"] for r in timeline][:2] == ["receive", "accept"] and timeline[-1]["action"] == "issue"


def test_problem_json_errors(hall: Hall) -> None:
    clerk = client_for(hall.clerk)
    response = clerk.post(BASE, receive_body(hall, applicant_code="bad", form_data={}), format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert "applicant_code" in body["errors"] and "form_data" in body["errors"]
    assert clerk.post(BASE, {"item": "NOPE"}, format="json").status_code == 400
    assert clerk.post(BASE, receive_body(hall, bundle="nope"), format="json").json()["errors"]["bundle"]
    assert clerk.get(f"{BASE}SQ000/").status_code == 404
    assert APIClient().get(BASE).status_code == 401
    number = clerk.post(BASE, receive_body(hall), format="json").json()["number"]
    response = clerk.post(f"{BASE}{number}/actions/accept/", {}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "materials_incomplete"
    response = clerk.post(f"{BASE}{number}/actions/issue/", {"method": "window"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    response = clerk.post(f"{BASE}{number}/actions/withdraw/", {"version": 99}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "changed_meanwhile"
    response = clerk.post(f"{BASE}{number}/actions/withdraw/", {"version": "x"}, format="json")
    assert response.status_code == 400
    assert clerk.post(f"{BASE}{number}/actions/deem-accept/", {}, format="json").status_code == 404
    assert clerk.post(f"{BASE}{number}/materials/", {"materials": "x"}, format="json").status_code == 400
    assert clerk.get(f"{BASE}figures/").status_code == 403
    assert client_for(hall.manager).get(f"{BASE}figures/?start=nope").status_code == 400
    assert client_for(hall.manager).get(f"{BASE}figures/").json()["received"] == 1


def test_citizen_scope_and_reviewer_scope(hall: Hall) -> None:
    citizen = client_for(hall.citizen)
    response = citizen.post(
        BASE,
        {
            "item": hall.cat.bank.code,
            "applicant_kind": "person",
            "applicant_name": "张三",
            "applicant_code": CITIZEN_ID,
            "applicant_phone": "13800138999",
            "form_data": {"company_name": "张三", "phone": "13800138001", "account_type": "个人"},
        },
        format="json",
    )
    assert response.status_code == 201
    mine = response.json()["number"]
    assert response.json()["allowed_actions"] == ["withdraw"]
    assert citizen.post(f"{BASE}{mine}/actions/accept/", {}, format="json").status_code == 403
    other = in_review(hall, item=hall.cat.company, now=local(2026, 3, 2, 9, 0))
    assert [a["number"] for a in citizen.get(BASE).json()] == [mine]
    assert citizen.get(f"{BASE}{other.number}/").status_code == 404
    assert client_for(hall.world.other_citizen).get(f"{BASE}{mine}/").status_code == 404
    task = ReviewTask.objects.get(application=other, status=TaskStatus.ACTIVE)
    assert (
        client_for(hall.renshe_reviewer)
        .post(f"{BASE}tasks/{task.pk}/decide/", {"approve": True, "opinion": "同意。"}, format="json")
        .status_code
        == 404
    )
    bad = client_for(hall.reviewer).post(f"{BASE}tasks/{task.pk}/decide/", {"approve": False}, format="json")
    assert bad.status_code == 400 and "opinion" in bad.json()["errors"]
    stale = client_for(hall.reviewer).post(
        f"{BASE}tasks/{task.pk}/decide/", {"approve": True, "opinion": "同意。", "version": 7}, format="json"
    )
    assert stale.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {
            "principal_kind": "enterprise",
            "principal_name": "x",
            "principal_code": "123",
            "scope": "s",
            "valid_until": "2030-01-01",
        },
        {"principal_kind": "robot"},
        {},
    ],
)
def test_proxy_bad_input(hall: Hall, body: dict[str, Any]) -> None:
    response = client_for(hall.agent).post(f"{BASE}proxies/", body, format="json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"


def test_agent_files_through_the_api(hall: Hall) -> None:
    agent = client_for(hall.agent)
    from django.utils import timezone

    response = agent.post(
        f"{BASE}proxies/",
        {
            "principal_kind": "enterprise",
            "principal_name": "滨州示例科技有限公司",
            "principal_code": COMPANY,
            "scope": "食品经营许可",
            "valid_until": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    proxy = response.json()["id"]
    response = agent.post(
        BASE,
        {
            "item": hall.cat.food.code,
            "proxy": proxy,
            "applicant_kind": "enterprise",
            "applicant_name": "滨州示例科技有限公司",
            "applicant_code": COMPANY,
            "applicant_phone": "13800138999",
            "form_data": {"company_name": "滨州示例科技有限公司", "address": "滨城区"},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Application.objects.get().agent == hall.agent
    assert agent.get(f"{BASE}proxies/").json()[0]["id"] == proxy
    response = agent.post(
        f"{BASE}assists/", {"kind": "accompany", "person_name": "王大爷", "served_on": "2026-01-05"}, format="json"
    )
    assert response.status_code == 201
    assert (
        agent.post(
            f"{BASE}assists/", {"kind": "x", "person_name": "", "served_on": "2026-01-05"}, format="json"
        ).status_code
        == 400
    )


def test_extension_through_the_api(hall: Hall) -> None:
    from django.utils import timezone

    app = in_review(hall, item=hall.cat.food, now=timezone.now())
    client = client_for(hall.reviewer)
    url = f"{BASE}{app.number}/actions/extend/"
    bad = client.post(url, {"days": 30, "approved_by": "", "note": "需现场核查"}, format="json")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    assert {"days", "approved_by"} <= set(bad.json()["errors"])
    assert client.post(url, {"days": "x"}, format="json").status_code == 400
    ok = client.post(
        url, {"days": 10, "approved_by": "王局长", "note": "需现场核查", "version": app.version}, format="json"
    )
    assert ok.status_code == 200, ok.json()
    body = ok.json()
    assert (
        body["extension_days"] == 10
        and body["extension_approved_by"] == "王局长"
        and body["due_at"] > app.due_at.isoformat()
    )
    assert "extend" not in body["allowed_actions"]
    again = client.post(url, {"days": 1, "approved_by": "王局长", "note": "再延"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_extended"
    # The clerk may not extend; another department's reviewer does not see the application.
    assert (
        client_for(hall.clerk).post(url, {"days": 1, "approved_by": "王", "note": "x"}, format="json").status_code
        == 403
    )
    assert (
        client_for(hall.renshe_reviewer)
        .post(url, {"days": 1, "approved_by": "王", "note": "x"}, format="json")
        .status_code
        == 404
    )
