"""The ratings API: submit, act, cases and actions, complaints, figures; problem+json errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.ratings.models import Complaint, Rating, RectificationCase
from huying.ratings.states import CaseStatus
from tests.fixtures import problem

from .conftest import case_in

pytestmark = pytest.mark.django_db
URL = "/api/v1/ratings/"


def recent(world: Any, acts: Any, **kw: Any) -> Any:
    kw.setdefault("rater", world.citizen)
    return acts.add(unit=kw.pop("unit", world.urban), occurred_at=timezone.now() - dt.timedelta(hours=2), **kw)


def test_submit_and_read_back(world: Any, acts: Any, client_for: Any) -> None:
    act = recent(world, acts, title="户籍迁入")
    client = client_for(world.citizen)
    info = client.get(f"{URL}act/", {"kind": act.kind, "ref": act.ref})
    assert info.status_code == 200 and info.json()["rating"] is None and info.json()["entry_mode"] == "rater"
    body = {
        "kind": act.kind,
        "ref": act.ref,
        "level": 1,
        "channel": "app",
        "comment": "等了两个小时",
        "dimensions": {"efficiency": 1},
    }
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["level_label"], data["channel_label"], data["title"]) == (
        "非常不满意",
        "政务服务APP/小程序",
        "户籍迁入",
    )
    assert data["case_id"] == RectificationCase.objects.get().pk
    again = client.post(URL, body, format="json")
    err = problem(again, 400, "already_rated")
    assert err["title"] == "该事项已评价，每件只能评价一次"
    assert client.get(f"{URL}act/", {"kind": act.kind, "ref": act.ref}).json()["rating"]["level"] == 1


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"level": 0}, "level"),
        ({"level": 6}, "level"),
        ({"level": "很好"}, "level"),
        ({"channel": "fax"}, "channel"),
        ({"ref": ""}, "ref"),
        ({"level": 2, "comment": ""}, "comment"),
        ({"dimensions": {"efficiency": 7}}, "dimensions"),
        ({"dimensions": {"service_attitude": 5}}, "dimensions"),
    ],
)
def test_bad_input_is_problem_json(world: Any, acts: Any, client_for: Any, patch: dict[str, Any], field: str) -> None:
    act = recent(world, acts)
    body = {"kind": act.kind, "ref": act.ref, "level": 4, "channel": "web", **patch}
    err = problem(client_for(world.citizen).post(URL, body, format="json"), 400, "validation_failed")
    assert field in err["errors"]
    assert not Rating.objects.exists()


def test_missing_fields_and_garbage(world: Any, client_for: Any) -> None:
    err = problem(client_for(world.citizen).post(URL, {}, format="json"), 400, "validation_failed")
    assert {"kind", "ref", "level", "channel"} <= err["errors"].keys()
    problem(client_for(world.citizen).post(URL, "{not json", content_type="application/json"), 400, "parse_error")


def test_others_acts_and_unknown_acts_are_404(world: Any, acts: Any, client_for: Any) -> None:
    act = recent(world, acts)
    body = {"kind": act.kind, "ref": act.ref, "level": 5, "channel": "web"}
    problem(client_for(world.other_citizen).post(URL, body, format="json"), 404, "not_found")
    problem(client_for(world.other_citizen).get(f"{URL}act/", {"kind": act.kind, "ref": act.ref}), 404, "not_found")
    problem(client_for(world.citizen).post(URL, {**body, "kind": "zzz"}, format="json"), 404, "not_found")
    problem(client_for(world.citizen).get(f"{URL}act/"), 404, "not_found")
    problem(client_for().post(URL, body, format="json"), 401, "not_authenticated")


def test_window_closed(world: Any, acts: Any, client_for: Any) -> None:
    act = acts.add(unit=world.urban, rater=world.citizen, occurred_at=timezone.now() - dt.timedelta(days=20))
    body = {"kind": act.kind, "ref": act.ref, "level": 5, "channel": "web"}
    problem(client_for(world.citizen).post(URL, body, format="json"), 400, "rating_window_closed")


def test_operator_enters_hotline_rating(world: Any, acts: Any, client_for: Any) -> None:
    act = recent(world, acts, kind="appeal")
    body = {"kind": "appeal", "ref": act.ref, "level": 4, "channel": "hotline"}
    response = client_for(world.operator).post(URL, body, format="json")
    assert response.status_code == 201
    assert Rating.objects.get().entered_by == world.operator


def test_case_list_scoped_and_actions(world: Any, acts: Any, client_for: Any) -> None:
    mine = case_in(world, acts, CaseStatus.OPEN)
    other = case_in(world, acts, CaseStatus.OPEN, unit=world.housing)
    client = client_for(world.handler)
    listed = client.get(f"{URL}cases/").json()
    ids = [row["id"] for row in listed["results"]]
    assert ids == [mine.pk]
    assert listed["results"][0]["rating"]["rater_phone"] == "138****8000"
    assert listed["results"][0]["allowed_actions"] == ["verify"]
    problem(client.get(f"{URL}cases/{other.pk}/"), 404, "not_found")
    problem(client.get(f"{URL}cases/", {"status": "zzz"}), 400, "validation_failed")
    problem(client_for(world.citizen).get(f"{URL}cases/{mine.pk}/"), 404, "not_found")
    assert client_for(world.citizen).get(f"{URL}cases/").json()["count"] == 0

    url = f"{URL}cases/{mine.pk}/actions/"
    ok = client.post(f"{url}verify/", {"note": "属实", "contact_person": "李承办", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "verified" and ok.json()["version"] == 2
    problem(
        client.post(f"{url}verify/", {"note": "属实", "contact_person": "李", "version": 1}, format="json"),
        409,
        "changed_meanwhile",
    )
    problem(client.post(f"{url}answer/", {"note": "x"}, format="json"), 409, "invalid_transition")
    problem(client.post(f"{url}blow_up/", {"note": "x"}, format="json"), 400, "unknown_action")
    problem(client.post(f"{url}uphold_complaint/", {"note": "x"}, format="json"), 400, "unknown_action")
    err = problem(
        client.post(f"{url}explain/", {"note": "x", "resolution": "scheduled"}, format="json"), 400, "validation_failed"
    )
    assert "ledger_entry" in err["errors"]
    problem(client.post(f"{url}explain/", {"note": "x", "rectify_by": "明天"}, format="json"), 400, "validation_failed")
    done = client.post(
        f"{url}explain/",
        {"note": "需改造", "resolution": "scheduled", "ledger_entry": "T-1", "rectify_by": "2099-01-01"},
        format="json",
    )
    assert done.json()["rectify_by"] == "2099-01-01"
    problem(client_for(world.supervisor).post(f"{url}answer/", {"note": "x"}, format="json"), 403, "forbidden")
    assert client_for(world.supervisor).get(f"{URL}cases/{mine.pk}/").status_code == 200


def test_complaint_flow(world: Any, acts: Any, client_for: Any) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    unit = client_for(world.handler)
    err = problem(
        unit.post(f"{URL}cases/{case.pk}/complaint/", {"reason": "x", "statement": ""}, format="json"),
        400,
        "validation_failed",
    )
    assert {"reason", "statement"} <= err["errors"].keys()
    filed = unit.post(
        f"{URL}cases/{case.pk}/complaint/", {"reason": "mistaken", "statement": "评价对象错误"}, format="json"
    )
    assert filed.status_code == 201 and filed.json()["status"] == "pending"
    problem(
        unit.post(f"{URL}cases/{case.pk}/complaint/", {"reason": "mistaken", "statement": "再"}, format="json"),
        400,
        "already_complained",
    )
    problem(unit.get(f"{URL}complaints/"), 403, "forbidden")
    sup = client_for(world.supervisor)
    pending = sup.get(f"{URL}complaints/").json()
    assert [c["id"] for c in pending] == [filed.json()["id"]]
    review = f"{URL}complaints/{filed.json()['id']}/review/"
    problem(sup.post(review, {"decision": "maybe", "note": "x"}, format="json"), 400, "validation_failed")
    problem(
        client_for(world.housing_handler).post(review, {"decision": "uphold", "note": "x"}, format="json"),
        404,
        "not_found",
    )
    done = sup.post(review, {"decision": "reject", "note": "差评属实", "version": 1}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "rejected"
    problem(sup.post(review, {"decision": "uphold", "note": "x"}, format="json"), 409, "invalid_transition")
    assert sup.get(f"{URL}complaints/").json() == []
    assert len(sup.get(f"{URL}complaints/", {"status": "all"}).json()) == 1
    assert Complaint.objects.get().status == "rejected"


def test_figures_are_public(world: Any, acts: Any, client_for: Any) -> None:
    case_in(world, acts, CaseStatus.ANSWERED)
    response = client_for().get(f"{URL}figures/", {"group": "kind"})
    assert response.status_code == 200
    data = response.json()
    assert data["overall"]["total"] == 1 and data["overall"]["rectification_rate"] == 100.0
    assert data["rows"][0]["key"] == "application" and "满意率" in data["definitions"]
    assert "13800138000" not in response.content.decode()
    march = client_for().get(f"{URL}figures/", {"month": "2026-03", "group": "month"})
    assert march.status_code == 200 and march.json()["overall"]["total"] == 1
    problem(client_for().get(f"{URL}figures/", {"month": "2026-13"}), 400, "validation_failed")
    problem(client_for().get(f"{URL}figures/", {"group": "x"}), 400, "validation_failed")


def test_unknown_path_under_ratings_is_problem_json(client_for: Any, db: Any) -> None:
    problem(client_for().get(f"{URL}nope/"), 404, "not_found")
