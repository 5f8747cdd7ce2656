from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from huying.catalogue.models import ServiceItem
from huying.licences.types import ID_CARD

from .factories import Catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_item_list_public_and_searchable(api: APIClient, catalogue: Catalogue) -> None:
    response = api.get("/api/v1/services/items/")
    assert response.status_code == 200
    assert response.json()["count"] == 4
    response = api.get("/api/v1/services/items/", {"q": "spjy"})
    assert [r["code"] for r in response.json()["results"]] == [catalogue.food.code]
    response = api.get("/api/v1/services/items/", {"unit": catalogue.renshe.pk, "level": "city"})
    assert [r["name"] for r in response.json()["results"]] == ["单位参保登记"]
    response = api.get("/api/v1/services/items/", {"applicant_kind": "person"})
    assert [r["name"] for r in response.json()["results"]] == ["银行开户"]


def test_item_list_bad_params(api: APIClient, catalogue: Catalogue) -> None:
    for params, field in (
        ({"unit": "x"}, "unit"),
        ({"level": "galaxy"}, "level"),
        ({"applicant_kind": "cat"}, "applicant_kind"),
    ):
        response = api.get("/api/v1/services/items/", params)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/problem+json")
        assert field in response.json()["errors"]


def test_item_detail(api: APIClient, catalogue: Catalogue) -> None:
    response = api.get(f"/api/v1/services/items/{catalogue.food.code}/")
    assert response.status_code == 200
    body = response.json()
    assert body["legal_days"] == 20 and body["promised_days"] == 5
    assert [m["key"] for m in body["materials"]] == ["application_form", "business_licence", "id_card"]
    assert body["materials"][2]["licence_type_code"] == ID_CARD
    assert body["materials"][2]["licence_type_name"] == "居民身份证"
    assert [f["key"] for f in body["form_fields"]] == ["company_name", "address"]
    assert [[s["name"] for s in stage] for stage in body["review_stages"]] == [["材料审查"], ["现场核查", "消防意见"]]


def test_item_detail_404(api: APIClient, catalogue: Catalogue) -> None:
    ServiceItem.objects.filter(pk=catalogue.food.pk).update(is_active=False)
    response = api.get(f"/api/v1/services/items/{catalogue.food.code}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_bundles(api: APIClient, catalogue: Catalogue) -> None:
    response = api.get("/api/v1/services/bundles/")
    assert response.status_code == 200
    assert [(b["code"], b["item_count"]) for b in response.json()["results"]] == [("kaiban", 3)]
    assert api.get("/api/v1/services/bundles/", {"q": "kbqy"}).json()["count"] == 1
    assert api.get("/api/v1/services/bundles/", {"q": "zzzz"}).json()["count"] == 0
    body = api.get("/api/v1/services/bundles/kaiban/").json()
    plan = body["plan"]
    assert (plan["separate_material_count"], plan["bundle_material_count"], plan["materials_saved_pct"]) == (8, 6, 25)
    assert (plan["separate_field_count"], plan["bundle_field_count"], plan["fields_saved_pct"]) == (9, 5, 44)
    assert plan["promised_days"] == 4
    assert len(plan["review_stages"]) == 3
    assert [r["material_count"] for r in plan["rows"]] == [4, 2, 2]
    assert api.get("/api/v1/services/bundles/nope/").status_code == 404


def test_api_is_read_only(api: APIClient, world: Any, catalogue: Catalogue) -> None:
    assert api.post("/api/v1/services/items/", {}).status_code == 405
    api.force_authenticate(world.citizen)
    assert api.delete(f"/api/v1/services/items/{catalogue.food.code}/").status_code == 405
