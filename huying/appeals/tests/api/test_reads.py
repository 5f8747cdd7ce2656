"""Who sees which appeals and which of the requester's data through the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huying.appeals import services
from huying.appeals.states import Action, Status
from huying.appeals.tests.factories import appeal_in
from huying.core.models import AuditLog

from .helpers import problem, url

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"


def numbers(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["number"] for row in response.json()["results"]}


def test_citizen_sees_only_own_appeals(world: Any, client_for: Any) -> None:
    mine = appeal_in(world, Status.SUBMITTED, citizen=world.citizen)
    theirs = appeal_in(world, Status.SUBMITTED, citizen=world.other_citizen)
    appeal_in(world, Status.DISPATCHED)
    client = client_for(world.citizen)
    assert numbers(client.get(url("appeals/"))) == {mine.number}
    assert client.get(url(f"appeals/{mine.pk}/")).status_code == 200
    problem(client.get(url(f"appeals/{theirs.pk}/")), 404, "not_found")
    problem(client.get(url(f"appeals/{theirs.pk}/timeline/")), 404, "not_found")


def test_handler_sees_only_its_units_appeals(world: Any, client_for: Any) -> None:
    urban = appeal_in(world, Status.DISPATCHED)
    housing = appeal_in(world, Status.ACCEPTED)
    services.appeal_transition(actor=world.operator, appeal=housing, action=Action.DISPATCH, lead_unit=world.housing)
    not_dispatched = appeal_in(world, Status.ACCEPTED)
    assert numbers(client_for(world.handler).get(url("appeals/"))) == {urban.number}
    assert numbers(client_for(world.housing_handler).get(url("appeals/"))) == {housing.number}
    assert numbers(client_for(world.operator).get(url("appeals/"))) >= {
        urban.number,
        housing.number,
        not_dispatched.number,
    }


def test_list_filters_and_their_errors(world: Any, client_for: Any) -> None:
    dispatched = appeal_in(world, Status.DISPATCHED)
    submitted = appeal_in(world, Status.SUBMITTED, category=world.cat_road)
    client = client_for(world.operator)
    assert numbers(client.get(url("appeals/"), {"status": "dispatched"})) == {dispatched.number}
    assert numbers(client.get(url("appeals/"), {"q": submitted.number})) == {submitted.number}
    assert numbers(client.get(url("appeals/"), {"category": world.cat_road.pk})) == {submitted.number}
    both = {dispatched.number, submitted.number}
    assert numbers(client.get(url("appeals/"), {"category": world.cat_road.parent_id})) == both  # with subcategories
    assert numbers(client.get(url("appeals/"), {"lead_unit": world.urban.pk})) == {dispatched.number}
    assert numbers(client.get(url("appeals/"), {"overdue": "true"})) == set()
    today = dispatched.submitted_at.date().isoformat()
    assert len(numbers(client.get(url("appeals/"), {"submitted_after": today, "submitted_before": "2999-01-01"}))) == 2
    body = problem(
        client.get(url("appeals/"), {"status": "lost", "overdue": "maybe", "submitted_after": "yesterday"}),
        400,
        "validation_failed",
    )
    assert set(body["errors"]) == {"status", "overdue", "submitted_after"}
    problem(client.get(url("appeals/"), {"page": 99}), 404, "not_found")


def test_list_query_count_does_not_grow(world: Any, client_for: Any) -> None:
    client = client_for(world.supervisor)
    appeal_in(world, Status.DISPATCHED)
    with CaptureQueriesContext(connection) as few:
        client.get(url("appeals/"))
    for _ in range(4):
        appeal_in(world, Status.DISPATCHED, category=world.cat_road)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("appeals/"))
    assert response.json()["count"] == 5
    assert len(many) <= len(few)  # the first request also resolved the roles


def test_requester_data_is_masked(world: Any, client_for: Any) -> None:
    appeal = appeal_in(world, Status.DISPATCHED, phone="13912345678", requester_id_number=ID_NUMBER)
    for user in (world.operator, world.handler):
        detail = client_for(user).get(url(f"appeals/{appeal.pk}/")).json()
        assert detail["requester_phone"] == "139****5678"
        assert detail["requester_id_number"] == "110105********002X"
        assert detail["requester_name"] == "张三"
        assert detail["requester_hidden"] is False


def test_confidential_requester_hidden_from_the_unit(world: Any, client_for: Any) -> None:
    appeal = appeal_in(world, Status.DISPATCHED, is_confidential=True)
    detail = client_for(world.handler).get(url(f"appeals/{appeal.pk}/")).json()
    assert detail["requester_hidden"] is True
    assert detail["requester_name"] is detail["requester_phone"] is detail["requester_id_number"] is None
    problem(
        client_for(world.handler).post(url(f"appeals/{appeal.pk}/personal-data/"), {"purpose": "回访"}, format="json"),
        403,
        "forbidden",
    )
    assert client_for(world.operator).get(url(f"appeals/{appeal.pk}/")).json()["requester_name"] == "张三"


def test_personal_data_is_revealed_and_logged(world: Any, client_for: Any) -> None:
    appeal = appeal_in(world, Status.DISPATCHED, phone="13912345678", requester_id_number=ID_NUMBER)
    endpoint = url(f"appeals/{appeal.pk}/personal-data/")
    response = client_for(world.operator).post(endpoint, {"purpose": "回访核实诉求"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "requester_name": "张三",
        "requester_phone": "13912345678",
        "requester_id_number": ID_NUMBER,
    }
    log = AuditLog.objects.get(kind=AuditLog.Kind.PERSONAL_DATA_VIEW)
    assert log.actor == world.operator
    assert log.object_id == str(appeal.pk)
    assert log.data == {"purpose": "回访核实诉求"}

    body = problem(client_for(world.operator).post(endpoint, {}, format="json"), 400, "validation_failed")
    assert "purpose" in body["errors"]
    problem(client_for(world.handler).post(endpoint, {"purpose": "想看看"}, format="json"), 403, "forbidden")
    problem(client_for(world.housing_handler).post(endpoint, {"purpose": "想看看"}, format="json"), 404, "not_found")
    assert AuditLog.objects.filter(kind=AuditLog.Kind.PERSONAL_DATA_VIEW).count() == 1


def test_timeline_public_for_citizens(world: Any, client_for: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING, citizen=world.citizen)
    services.appeal_transition(actor=world.supervisor, appeal=appeal, action=Action.SUPERVISE, note="请加快办理")
    staff = client_for(world.operator).get(url(f"appeals/{appeal.pk}/timeline/")).json()
    citizen = client_for(world.citizen).get(url(f"appeals/{appeal.pk}/timeline/")).json()
    assert "supervise" in [e["action"] for e in staff]
    assert "supervise" not in [e["action"] for e in citizen]
    assert all(e["actor_name"] is None for e in citizen)
    assert any(e["actor_name"] for e in staff)
    assert citizen[0]["action_display"] == "提交诉求"
