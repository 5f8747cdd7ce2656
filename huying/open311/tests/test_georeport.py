"""Open311 GeoReport v2 against a live server, driven by a third-party client (``georeport`` from PyPI)
for the reads, and by plain HTTP for submissions (the library only reads)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests
from georeport import GeoReport

from huying.appeals.models import Appeal, AppealMonthlyStat
from huying.appeals.states import Channel
from huying.open311 import services
from tests.fixtures import World

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api(live_server: Any, world: World) -> dict[str, Any]:
    _client, key = services.client_create("邻市政务App")
    return {"root": f"{live_server.url}/open311/v2", "key": key, "world": world}


def _post(api: dict[str, Any], fmt: str = "json", key: str | None = None, **fields: str) -> requests.Response:
    data = {
        "api_key": api["key"],
        "service_code": "0102",
        "lat": "37.38",
        "long": "117.97",
        "description": "市中街道路面有坑",
        **fields,
    }
    headers = {"Idempotency-Key": key} if key else {}
    return requests.post(f"{api['root']}/requests.{fmt}", data=data, headers=headers, timeout=30)


def test_a_city_app_lists_services_submits_and_follows_a_request(api: dict[str, Any]) -> None:
    for fmt in ("json", "xml"):
        client = GeoReport(api["root"], output_format=fmt)
        codes = {s["service_code"] for s in client.get_service_list()}
        assert codes == {"0101", "0102", "0201"}  # leaves of the 派单目录; the group "01" is not one
        assert client.get_service_definition("0102")["service_code"] == "0102"

    answer = _post(api, phone="13800138000", last_name="王")
    assert answer.status_code == 201
    number = answer.json()[0]["service_request_id"]
    appeal = Appeal.objects.get(number=number)
    assert (
        appeal.channel == Channel.OPEN311 and appeal.category.code == "0102" and appeal.requester_phone == "13800138000"
    )
    assert AppealMonthlyStat.objects.filter(dimension="channel", key=Channel.OPEN311).exists()  # the loop's counters

    for fmt in ("json", "xml"):
        client = GeoReport(api["root"], output_format=fmt)
        one = client.get_service_request(number)
        assert one["service_request_id"] == number and one["status"] == "open" and one["service_code"] == "0102"
        assert "13800138000" not in str(one) and "王" not in str(one)  # no requester's name or phone
        assert client.get_service_requests(status="open")
    assert GeoReport(api["root"]).get_service_requests(status="closed") == []


def test_a_retried_submission_is_one_request_and_a_changed_body_is_refused(api: dict[str, Any]) -> None:
    key = str(uuid.uuid4())
    first, again = _post(api, key=key, phone="13800138001"), _post(api, key=key, phone="13800138001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    changed = _post(api, key=key, phone="13800138001", description="另一件事")
    assert changed.status_code == 409 and changed.json()[0]["code"] == 409
    assert Appeal.objects.filter(channel=Channel.OPEN311).count() == 1


@pytest.mark.parametrize(
    ("fields", "status", "said"),
    [
        ({"service_code": "9999"}, 404, "service_code"),
        ({"lat": "91", "long": "117.97"}, 400, "位置无效"),
        ({"lat": "abc", "long": "1"}, 400, "位置无效"),
        ({"lat": "NaN", "long": "Infinity"}, 400, "位置无效"),
        ({"lat": "", "long": ""}, 400, "位置无效"),
        ({"description": ""}, 400, "诉求内容"),
        ({"api_key": "wrong"}, 403, "api_key"),
    ],
)
def test_bad_requests_are_refused_with_a_clear_message_and_change_nothing(
    api: dict[str, Any], fields: dict[str, str], status: int, said: str
) -> None:
    for fmt in ("json", "xml"):
        answer = _post(api, fmt, **fields)
        assert answer.status_code == status
        assert said in answer.text
    assert answer.text.startswith("<?xml") and "<errors><error><code>" in answer.text
    assert not Appeal.objects.filter(channel=Channel.OPEN311).exists()


def test_unknown_request_and_bad_filters(api: dict[str, Any]) -> None:
    assert requests.get(f"{api['root']}/requests/nope.json", timeout=30).status_code == 404
    bad = requests.get(f"{api['root']}/requests.json", params={"status": "maybe"}, timeout=30)
    assert bad.status_code == 400 and bad.json()[0]["description"]
    assert (
        requests.get(f"{api['root']}/requests.json", params={"start_date": "yesterday"}, timeout=30).status_code == 400
    )
    with pytest.raises(requests.HTTPError):
        GeoReport(api["root"]).get_service_definition("9999")
