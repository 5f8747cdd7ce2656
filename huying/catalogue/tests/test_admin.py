from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from huying.catalogue.models import ServiceItem
from huying.licences.types import ID_CARD

from .factories import Catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, world: Any) -> Client:
    from huying.accounts.models import User

    user = User.objects.create_superuser(username="root", password="pass-1234-huying")
    client.force_login(user)
    return client


def test_admin_pages_render(admin_client: Client, catalogue: Catalogue) -> None:
    for url in (
        "/admin/catalogue/serviceitem/",
        f"/admin/catalogue/serviceitem/{catalogue.food.pk}/change/",
        "/admin/catalogue/serviceitem/add/",
        "/admin/catalogue/material/",
        "/admin/catalogue/formfield/",
        "/admin/catalogue/reviewstep/",
        "/admin/catalogue/bundle/",
        f"/admin/catalogue/bundle/{catalogue.bundle.pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200, url
    assert "食品经营许可" in admin_client.get("/admin/catalogue/serviceitem/", {"q": "spjy"}).content.decode()


def test_admin_rejects_bad_licence_code(admin_client: Client, catalogue: Catalogue) -> None:
    material = catalogue.food.materials.get(key="id_card")
    url = f"/admin/catalogue/material/{material.pk}/change/"
    data = {
        "item": catalogue.food.pk,
        "key": "id_card",
        "name": "身份证",
        "form": "original",
        "source": "applicant",
        "required": "on",
        "copies": 1,
        "sort": 0,
        "licence_type_code": "11100000000013127E001",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "统一社会信用代码" in response.content.decode()
    data["licence_type_code"] = ID_CARD.lower()
    response = admin_client.post(url, data)
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.licence_type_code == ID_CARD
    assert ServiceItem.objects.count() == 4
