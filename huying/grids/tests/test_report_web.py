"""The 随手拍 phone page: installable (manifest, service worker in scope), JSON answers for the
page's queue, the plain form without JavaScript."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from huying.appeals.models import Appeal

from .factories import build
from .test_report import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def g(world: Any) -> Any:
    g = build(world)
    g.world = world
    g.client = Client()
    g.client.force_login(g.worker)
    return g


def post(g: Any, key: str, text: str = "路灯不亮", lon: str = "118.005") -> Any:
    fields = {"latitude": "37.005", "longitude": lon, "text": text, "category": g.world.cat_road.pk, "photo": jpeg()}
    return g.client.post(reverse("grids:report"), fields, HTTP_ACCEPT="application/json", HTTP_X_IDEMPOTENCY_KEY=key)


def test_the_page_is_installable(g: Any) -> None:
    page = g.client.get(reverse("grids:report"))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("grids:report_manifest") in html and "grids/report.js" in html and "<script>" not in html
    manifest = g.client.get(reverse("grids:report_manifest")).json()
    assert manifest["start_url"] == reverse("grids:report") and manifest["display"] == "standalone"
    worker = g.client.get(reverse("grids:service_worker"))
    assert worker.status_code == 200 and "javascript" in worker["Content-Type"]
    scope = reverse("grids:service_worker").rsplit("/", 1)[0] + "/"
    assert reverse("grids:report").startswith(scope)


def test_login_is_needed(g: Any) -> None:
    response = Client().get(reverse("grids:report"))
    assert response.status_code == 302


def test_three_sends_with_one_key_file_one_appeal(g: Any) -> None:
    key = str(uuid.uuid4())
    answers = [post(g, key) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.json()["number"] for a in answers}) == 1
    assert Appeal.objects.count() == 1
    conflict = post(g, key, text="别的事情")
    assert conflict.status_code == 409 and conflict.json()["code"] == "idempotency_key_reused"


def test_a_point_outside_every_grid_is_refused_with_a_clear_message(g: Any) -> None:
    response = post(g, str(uuid.uuid4()), lon="120.5")
    assert response.status_code == 400 and response.json()["code"] == "outside_grids"
    assert "不在任何现行网格内" in response.json()["detail"]
    assert not Appeal.objects.exists()


def test_the_plain_form_works_without_javascript(g: Any) -> None:
    fields = {
        "latitude": "37.005",
        "longitude": "118.005",
        "text": "井盖缺失",
        "photo": jpeg(),
        "idempotency_key": str(uuid.uuid4()),
    }
    response = g.client.post(reverse("grids:report"), fields)
    assert response.status_code == 200
    number = Appeal.objects.get().number
    assert number in response.content.decode()
