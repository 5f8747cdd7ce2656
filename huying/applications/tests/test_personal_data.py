"""An application's ID numbers and phones: masked on the page and in the API, revealed with a purpose to
the window, reviewing units, supervisors and the applicant, every reveal audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from huying.accounts.roles import Role
from huying.accounts.tokens import token_issue
from huying.applications import services
from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.models import AuditLog
from tests.fixtures import make_user

from .conftest import CITIZEN_ID, Hall, person_app

pytestmark = pytest.mark.django_db
MASKED_ID = "110105********002X"


def api(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)[1]}")
    return client


def views() -> int:
    return AuditLog.objects.filter(kind=AuditLog.Kind.PERSONAL_DATA_VIEW).count()


def test_api_masks_id_numbers_and_phones_for_staff_and_the_id_for_the_applicant(hall: Hall) -> None:
    app = person_app(hall)
    url = f"/api/v1/applications/{app.number}/"
    for user in (hall.clerk, hall.reviewer, hall.manager):
        body = api(user).get(url).json()
        assert body["applicant_code"] == MASKED_ID
        assert body["applicant_phone"] == "138****8001"
        assert body["form_data"]["phone"] == "138****8001"
        assert CITIZEN_ID not in str(body) and "13800138001" not in str(body)
    own = api(hall.citizen).get(url).json()
    assert own["applicant_code"] == MASKED_ID and own["applicant_phone"] == "13800138001"


def test_reveal_through_the_api_needs_a_purpose_a_role_and_is_audited(hall: Hall) -> None:
    app = person_app(hall)
    url = f"/api/v1/applications/{app.number}/personal-data/"
    response = api(hall.clerk).post(url, {"purpose": "核对申请人身份"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "applicant_name": "张三",
        "applicant_code": CITIZEN_ID,
        "applicant_phone": "13800138001",
        "form_data": {"phone": "13800138001"},
    }
    log = AuditLog.objects.get(kind=AuditLog.Kind.PERSONAL_DATA_VIEW)
    assert log.actor == hall.clerk and log.object_id == str(app.pk) and log.data == {"purpose": "核对申请人身份"}
    assert api(hall.clerk).post(url, {"purpose": " "}, format="json").status_code == 400
    assert api(hall.manager).post(url, {"purpose": "看看"}, format="json").status_code == 403
    other = make_user("lisi", phone="13900139001")
    assert api(other).post(url, {"purpose": "看看"}, format="json").status_code == 404
    assert views() == 1


def test_who_may_reveal(hall: Hall) -> None:
    app = person_app(hall)
    supervisor = make_user("dubanren", Role.SUPERVISOR, hall.world.city)
    for user in (hall.clerk, hall.reviewer, supervisor, hall.citizen):
        assert services.application_reveal_personal_data(actor=user, application=app, purpose="核实")["applicant_code"]
    assert views() == 4
    for user in (hall.manager, hall.renshe_reviewer, hall.agent):
        with pytest.raises(PermissionDenied):
            services.application_reveal_personal_data(actor=user, application=app, purpose="核实")
    with pytest.raises(ValidationFailed):
        services.application_reveal_personal_data(actor=hall.clerk, application=app, purpose="")
    assert views() == 4


def test_page_masks_the_header_and_the_form_and_reveals_once_with_a_purpose(hall: Hall) -> None:
    app = person_app(hall)
    client = Client()
    client.force_login(hall.reviewer)
    page = client.get(reverse("applications:detail", args=[app.number])).content.decode()
    assert MASKED_ID in page and "138****8001" in page and 'id="reveal-form"' in page
    assert CITIZEN_ID not in page and "13800138001" not in page
    empty = client.post(reverse("applications:reveal", args=[app.number]), {"purpose": ""})
    assert empty.status_code == 400 and "请填写查看事由" in empty.content.decode() and views() == 0
    shown = client.post(reverse("applications:reveal", args=[app.number]), {"purpose": "电话核实"})
    html = shown.content.decode()
    assert shown.status_code == 200 and CITIZEN_ID in html and "13800138001" in html and 'id="revealed-notice"' in html
    assert views() == 1
    again = client.get(reverse("applications:detail", args=[app.number])).content.decode()
    assert CITIZEN_ID not in again and "13800138001" not in again
    client.force_login(hall.manager)
    assert 'id="reveal-form"' not in client.get(reverse("applications:detail", args=[app.number])).content.decode()
    assert client.post(reverse("applications:reveal", args=[app.number]), {"purpose": "看看"}).status_code == 403
    assert views() == 1
