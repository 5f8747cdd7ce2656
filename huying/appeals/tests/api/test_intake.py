"""Submitting appeals and attachments through the API: who may use which channel, and every bad input is a 400."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from huying.appeals.models import Appeal, Attachment
from huying.appeals.states import Status
from huying.appeals.tests.factories import appeal_in

from .helpers import PNG, problem, url

pytestmark = pytest.mark.django_db


def body(**kw: Any) -> dict[str, Any]:
    return {
        "channel": "web",
        "appeal_type": "help",
        "content": "路灯坏了好几天，晚上小区门口一片漆黑。",
        "requester_phone": "13712345678",
        **kw,
    }


def test_anonymous_submit_allowed_on_web(world: Any) -> None:
    response = APIClient().post(url("appeals/"), body(), format="json")
    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get(pk=response.json()["id"])
    assert appeal.citizen is None and appeal.channel == "web"
    assert set(response.json()) >= {"id", "number", "status", "version", "repeat_of"}
    assert response.json()["status_display"] == appeal.get_status_display() == "待受理"
    assert "requester_phone" not in response.json()


def test_anonymous_submit_refused_on_hotline(world: Any, client_for: Any) -> None:
    problem(APIClient().post(url("appeals/"), body(channel="hotline"), format="json"), 401, "not_authenticated")
    problem(client_for(world.citizen).post(url("appeals/"), body(channel="hotline"), format="json"), 403, "forbidden")
    assert not Appeal.objects.exists()
    # Staff and integrations may record any channel.
    response = client_for(world.operator).post(url("appeals/"), body(channel="grid"), format="json")
    assert response.status_code == 201, response.content
    assert Appeal.objects.get().citizen is None


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"requester_phone": "12345"}, {"requester_phone"}),
        ({"requester_id_number": "110105194912310021"}, {"requester_id_number"}),
        ({"channel": "fax", "appeal_type": 3, "urgency": "now"}, {"channel", "appeal_type", "urgency"}),
        ({"content": ""}, {"content"}),
        ({"content": "长" * 5001, "title": "长" * 121}, {"content", "title"}),
        ({"category": "噪音"}, {"category"}),
        ({"category": 99999}, {"category"}),
        ({"category": 10**30}, {"category"}),
        ({"category": True}, {"category"}),
        ({"category": [1]}, {"category"}),
        ({"division": "999999"}, {"division"}),
        ({"division": ["371602"]}, {"division"}),
        ({"latitude": 200, "longitude": "east"}, {"latitude", "longitude"}),
        ({"is_anonymous": "maybe"}, {"is_anonymous"}),
        ({"requester_phone": ""}, {"requester_phone"}),
    ],
)
def test_submit_bad_input(world: Any, changes: dict[str, Any], fields: set[str]) -> None:
    response = APIClient().post(url("appeals/"), body(**changes), format="json")
    errors = problem(response, 400, "validation_failed")["errors"]
    assert set(errors) == fields, errors
    assert not Appeal.objects.exists()


def test_submit_category_that_forbids_anonymity(world: Any) -> None:
    response = APIClient().post(url("appeals/"), body(category=world.cat_heating.pk, is_anonymous=True), format="json")
    assert set(problem(response, 400, "validation_failed")["errors"]) == {"is_anonymous"}


def test_submit_rounds_precise_coordinates_and_takes_division_id(world: Any) -> None:
    response = APIClient().post(
        url("appeals/"), body(latitude=37.38312345678, longitude="117.9708", division=world.bincheng.pk), format="json"
    )
    assert response.status_code == 201, response.content
    stored = Appeal.objects.select_related("division").get(pk=response.json()["id"])
    assert (float(stored.latitude), stored.division.code) == (37.383123, "371602")


def test_submit_multipart_with_attachment(world: Any) -> None:
    data = {**body(), "attachments": [SimpleUploadedFile("现场.png", PNG, content_type="image/png")]}
    response = APIClient().post(url("appeals/"), data, format="multipart")
    assert response.status_code == 201, response.content
    assert Attachment.objects.get().appeal_id == response.json()["id"]
    bad = {**body(), "attachments": [SimpleUploadedFile("x.png", b"not an image", content_type="image/png")]}
    errors = problem(APIClient().post(url("appeals/"), bad, format="multipart"), 400, "attachment_type")["errors"]
    assert set(errors) == {"attachments"}


def test_record_call_refused_to_citizens_and_checks_units(world: Any, client_for: Any) -> None:
    problem(client_for(world.citizen).post(url("appeals/record-call/"), body(), format="json"), 403, "forbidden")
    response = client_for(world.operator).post(
        url("appeals/record-call/"), body(lead_unit=99999, assist_units=[world.hotline.pk]), format="json"
    )
    assert set(problem(response, 400, "validation_failed")["errors"]) == {"lead_unit", "assist_units"}
    assert not Appeal.objects.exists()


def test_attachments_upload_and_list(world: Any, client_for: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING)
    endpoint = url(f"appeals/{appeal.pk}/attachments/")
    client = client_for(world.handler)
    upload = SimpleUploadedFile("整改后.png", PNG, content_type="image/png")
    response = client.post(endpoint, {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "image/png"
    listed = client.get(endpoint).json()
    assert [a["id"] for a in listed] == [response.json()["id"]]
    problem(client_for(world.housing_handler).get(endpoint), 404, "not_found")


def test_attachment_errors(world: Any, client_for: Any, settings: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING)
    endpoint = url(f"appeals/{appeal.pk}/attachments/")
    client = client_for(world.handler)
    settings.HUYING_ATTACHMENT_MAX_BYTES = 32
    big = SimpleUploadedFile("big.png", PNG, content_type="image/png")
    assert problem(client.post(endpoint, {"file": big}, format="multipart"), 400, "attachment_too_large")["errors"] == {
        "file": [f"附件不能超过{0}MB。"]
    }
    settings.HUYING_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    text = SimpleUploadedFile("note.png", b"hello, this is text", content_type="image/png")
    assert (
        "file" in problem(client.post(endpoint, {"file": text}, format="multipart"), 400, "attachment_type")["errors"]
    )
    assert "file" in problem(client.post(endpoint, {}, format="multipart"), 400, "validation_failed")["errors"]
    problem(client.post(endpoint, {"file": "x"}, format="json"), 415, "unsupported_media_type")
    closed = appeal_in(world, Status.CLOSED)
    upload = SimpleUploadedFile("late.png", PNG, content_type="image/png")
    problem(
        client_for(world.operator).post(url(f"appeals/{closed.pk}/attachments/"), {"file": upload}, format="multipart"),
        409,
        "invalid_transition",
    )
    assert not Attachment.objects.exists()


def test_oversized_request_is_problem(world: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    response = APIClient().post(url("appeals/"), body(address="黄河五路", title="路灯"), format="multipart")
    problem(response, 413, "payload_too_large")


def test_database_busy_is_a_503_problem_and_nothing_is_saved(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # What the SQLite writer queue (and SQLite itself) raise when another write held the database
    # past the configured wait.
    from django.db.utils import OperationalError

    from huying.appeals import services

    def locked(**_kwargs: Any) -> Any:
        raise OperationalError("database is locked (another write transaction held it for 30 s)")

    monkeypatch.setattr(services, "appeal_submit", locked)
    response = APIClient().post(url("appeals/"), body(), format="json")
    problem(response, 503, "database_busy")
    assert response["Retry-After"] == "5"
    assert "稍后重试" in response.json()["title"]
    assert not Appeal.objects.exists()
