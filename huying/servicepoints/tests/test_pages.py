"""The pages: the public map and its searches, a point's guide list, the clerk's filing form, tracking."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from huying.core.notify import sms_outbox
from huying.servicepoints.models import ProxyCase, ServicePoint
from tests.fixtures import PASSWORD

from .factories import PENSION, RESIDENT_ID, Doorstep

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_map_searches_by_address_and_location(door: Doorstep, client: Client) -> None:
    page = client.get("/points-of-service/", {"item": PENSION, "address": "张星镇石棚村"})
    assert page.status_code == 200
    body = page.content.decode()
    first = re.search(r'<li data-code="([^"]+)"', body)
    assert first and first.group(1) == door.centre.code and "3 公里内" in body
    page = client.get("/points-of-service/", {"lon": "120.295", "lat": "37.482", "kind": "county_hall"})
    assert re.search(r'<li data-code="([^"]+)"', page.content.decode()).group(1) == "ZY-HALL"  # type: ignore[union-attr]
    for params, status, text in (
        ({"lon": "116.4", "lat": "39.9"}, 400, "不在本平台服务区域内"),
        ({"address": "火星基地"}, 400, "未能识别地址"),
        ({"item": "NOPE", "address": "石棚村"}, 400, "事项编码不存在"),
        ({"kind": "spaceship"}, 400, ""),
    ):
        page = client.get("/points-of-service/", params)
        assert page.status_code == status and text in page.content.decode()


def test_layers_and_point_page(door: Doorstep, client: Client) -> None:
    layer = client.get("/points-of-service/layer.geojson", {"item": PENSION}).json()
    assert {f["id"] for f in layer["features"]} == {"ZY-HALL", "ZY-ZX", "ZY-ZX-XJ", "ZY-JL-DHCJ"}
    assert client.get("/points-of-service/outlines.geojson").json()["type"] == "FeatureCollection"
    page = client.get(f"/points-of-service/p/{door.centre.code}/").content.decode()
    assert f'href="/services/items/{PENSION}/"' in page and "全程代办" in page
    ServicePoint.objects.filter(pk=door.other.pk).update(is_active=False)
    assert client.get(f"/points-of-service/p/{door.other.code}/").status_code == 404


def test_api_nearest(door: Doorstep, client: Client) -> None:
    found = client.get("/api/v1/points-of-service/nearest/", {"item": PENSION, "address": "石棚村", "limit": 2}).json()
    assert len(found) == 2 and found[0]["point"]["code"] == door.centre.code and found[0]["within_band"]
    problem = client.get("/api/v1/points-of-service/nearest/", {"lon": 116.4, "lat": 39.9})
    assert problem.status_code == 400 and problem.json()["code"] == "outside_area"


def test_clerk_files_and_resident_tracks(door: Doorstep, django_capture_on_commit_callbacks: Any) -> None:
    clerk = login(door.clerk)
    assert clerk.get("/points-of-service/proxy/").status_code == 200
    assert login(door.other_clerk).get(f"/points-of-service/proxy/file/{door.centre.code}/").status_code == 404
    form = {
        "item_code": PENSION,
        "resident_name": "柴秀英",
        "resident_id_number": RESIDENT_ID,
        "resident_phone": "13905351234",
        "identity_check": "id_card",
        "home": "石棚村",
        "m_id_card": "provided",
        "m_bank_card": "provided",
    }
    refused = clerk.post(f"/points-of-service/proxy/file/{door.centre.code}/", form)
    assert refused.status_code == 400 and "授权委托书" in refused.content.decode() and not ProxyCase.objects.exists()
    done = clerk.post(f"/points-of-service/proxy/file/{door.centre.code}/", {**form, "authorised": "1"})
    case = ProxyCase.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/proxy/cases/{case.number}/")
    assert "已在服务站代办提交" in clerk.get(done["Location"]).content.decode()

    resident = Client()
    assert resident.get("/points-of-service/track/case/", {"number": case.number}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        resident.post("/points-of-service/track/", {"number": case.number, "phone": "13905351234"})
    code = re.search(r"验证码为 (\d{6})", sms_outbox[-1][1]).group(1)  # type: ignore[union-attr]
    answer = resident.post("/points-of-service/track/", {"step": "verify", "number": case.number, "code": code})
    assert answer.status_code == 302
    page = resident.get(answer["Location"]).content.decode()
    assert "城乡居民基本养老保险待遇领取" in page and "徐家党建示范区" in page


def test_staff_pages_and_scope(door: Doorstep) -> None:
    clerk = login(door.clerk)
    manage = clerk.get("/points-of-service/manage/").content.decode()
    assert door.centre.code in manage and door.other.code not in manage
    assert clerk.get(f"/points-of-service/manage/{door.other.code}/").status_code == 404
    bad = clerk.post(
        f"/points-of-service/manage/{door.centre.code}/",
        {
            "code": door.centre.code,
            "name": "x",
            "kind": "party_centre",
            "address": "y",
            "longitude": "116.4",
            "latitude": "39.9",
        },
    )
    assert bad.status_code == 400 and ServicePoint.objects.get(pk=door.centre.pk).name != "x"
    assert clerk.get("/points-of-service/figures/").status_code == 404
