"""The rater's phone: masked on the case page and in the API; the unit handling the case and its
supervisors reveal it with a purpose, every reveal audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from huying.core.models import AuditLog
from huying.ratings.states import CaseStatus

from .conftest import case_in

pytestmark = pytest.mark.django_db
URL = "/api/v1/ratings/"


def views() -> int:
    return AuditLog.objects.filter(kind=AuditLog.Kind.PERSONAL_DATA_VIEW).count()


def test_api_reveal_needs_a_purpose_and_the_case_unit(world: Any, acts: Any, client_for: Any) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    endpoint = f"{URL}cases/{case.pk}/personal-data/"
    assert "13800138000" not in client_for(world.handler).get(f"{URL}cases/{case.pk}/").content.decode()
    response = client_for(world.handler).post(endpoint, {"purpose": "回访评价人"}, format="json")
    assert response.status_code == 200 and response.json() == {"rater_phone": "13800138000"}
    log = AuditLog.objects.get(kind=AuditLog.Kind.PERSONAL_DATA_VIEW)
    assert log.actor == world.handler and log.object_id == str(case.pk) and log.data == {"purpose": "回访评价人"}
    assert client_for(world.handler).post(endpoint, {"purpose": ""}, format="json").status_code == 400
    assert client_for(world.housing_handler).post(endpoint, {"purpose": "看看"}, format="json").status_code == 404
    assert client_for(world.citizen).post(endpoint, {"purpose": "看看"}, format="json").status_code in (403, 404)
    assert views() == 1


def test_case_page_shows_the_phone_masked_and_reveals_it_once(world: Any, acts: Any) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    client = Client()
    client.force_login(world.handler)
    page = client.get(reverse("ratings:case", args=[case.pk])).content.decode()
    assert "138****8000" in page and "13800138000" not in page and 'id="reveal-form"' in page
    assert client.post(reverse("ratings:case_reveal", args=[case.pk]), {"purpose": " "}).status_code == 400
    shown = client.post(reverse("ratings:case_reveal", args=[case.pk]), {"purpose": "回访评价人"})
    assert shown.status_code == 200 and "13800138000" in shown.content.decode() and views() == 1
    assert "13800138000" not in client.get(reverse("ratings:case", args=[case.pk])).content.decode()
