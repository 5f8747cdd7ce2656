from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from huying.accounts.tokens import token_issue
from huying.licences import services, tokens
from huying.licences.models import LicenceUse

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)[1]}")
    return client


def test_device_verifies_with_token_auth(lw):
    code = services.show_token_issue(licence=lw.licence, user=lw.holder)
    response = api(lw.clerk).post(
        "/api/v1/licences/verify/",
        {"token": code, "purpose": "核验身份", "place": "自助机", "item_code": "X1", "application_ref": "BZ9"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["licence"]["id"] == lw.licence.pk and body["use"]["via"] == "api"
    assert body["licence"]["holder_name"] == "张*" and lw.holder.id_number not in response.content.decode()
    again = api(lw.clerk).post("/api/v1/licences/verify/", {"token": code, "purpose": "再次"}, format="json")
    assert again.status_code == 400 and again["Content-Type"] == "application/problem+json"
    assert again.json()["code"] == "token_replayed" and "token" in again.json()["errors"]


def test_verify_api_refusals(lw):
    assert api().post("/api/v1/licences/verify/", {}, format="json").status_code == 401
    code = services.show_token_issue(licence=lw.licence, user=lw.holder)
    response = api(lw.other).post("/api/v1/licences/verify/", {"token": code, "purpose": "x"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    bad = api(lw.clerk).post("/api/v1/licences/verify/", {"token": "", "purpose": "x" * 201}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"token", "purpose"}
    forged = api(lw.clerk).post("/api/v1/licences/verify/", {"token": "AAAA", "purpose": "x"}, format="json")
    assert forged.json()["code"] == "token_forged"
    not_json = api(lw.clerk).post("/api/v1/licences/verify/", "token=x", content_type="text/plain")
    assert not_json.status_code == 415
    assert LicenceUse.objects.count() == 0


def test_public_keys_document_verifies_offline(lw):
    code = services.show_token_issue(licence=lw.licence, user=lw.holder)
    response = api().get("/api/v1/licences/keys/")
    assert response.status_code == 200
    document = response.json()
    assert document["crv"] == "Ed25519" and document["current_kid"] in document["keys"]
    verified = tokens.verify_offline(document, code)
    assert verified.licence_ref == f"L{lw.licence.pk}"
    assert "PRIVATE" not in response.content.decode()


def test_holder_endpoints(lw):
    client = api(lw.holder)
    mine = client.get("/api/v1/licences/mine/").json()
    assert [x["id"] for x in mine["own"]] == [lw.licence.pk] and mine["authorised"] == []
    assert mine["own"][0]["holder_code"].count("*") == 8
    shown = client.post(f"/api/v1/licences/{lw.licence.pk}/token/")
    assert shown.status_code == 201 and shown.json()["expires_in"] == 60
    services.token_verify(token=shown.json()["token"], verifier=lw.clerk, place="", purpose="核验")
    uses = client.get("/api/v1/licences/uses/").json()
    assert len(uses) == 1 and uses[0]["purpose"] == "核验"
    assert api(lw.other).post(f"/api/v1/licences/{lw.licence.pk}/token/").status_code == 404
    assert api(lw.other).get("/api/v1/licences/uses/").json() == []


def test_authorisation_endpoints(lw):
    client = api(lw.holder)
    until = (timezone.now() + dt.timedelta(days=2)).isoformat()
    url = f"/api/v1/licences/{lw.licence.pk}/authorisations/"
    bad = client.post(url, {"grantee": "nobody", "purpose": "代办", "valid_until": until}, format="json")
    assert bad.status_code == 400 and "grantee" in bad.json()["errors"]
    made = client.post(url, {"grantee": "citizen2", "purpose": "代办", "valid_until": until}, format="json")
    assert made.status_code == 201 and made.json()["active"] is True
    assert api(lw.other).get(url).status_code == 404
    grantee_view = api(lw.other).get("/api/v1/licences/mine/").json()
    assert grantee_view["authorised"][0]["licence"]["id"] == lw.licence.pk
    revoke = f"/api/v1/licences/authorisations/{made.json()['id']}/revoke/"
    assert api(lw.other).post(revoke).status_code == 404
    assert client.post(revoke).json()["active"] is False
    assert client.post(revoke).status_code == 409
    assert client.post("/api/v1/licences/authorisations/999/revoke/").status_code == 404


def test_unknown_licence_paths_are_problem_404(lw):
    response = api(lw.holder).get("/api/v1/licences/nothing/")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
