"""/api/v1/auth/token/ and the answer for unknown /api/v1/ addresses belong to the site, not to one app."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import resolve
from rest_framework.test import APIClient

from huying.accounts.api import ApiNotFoundView, AuthTokenView
from huying.accounts.models import User

pytestmark = pytest.mark.django_db


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    return body


def test_a_token_for_a_username_and_password() -> None:
    User.objects.create_user(username="integration", password="pass-1234-huying")
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "integration", "password": "pass-1234-huying"})
    assert response.status_code == 200
    token = response.json()["token"]
    mine = client.get("/api/v1/appeals/", HTTP_AUTHORIZATION=f"Token {token}")
    assert mine.status_code == 200
    _problem(
        client.post("/api/v1/auth/token/", {"username": "integration", "password": "x"}), 400, "invalid_credentials"
    )


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/no-such-thing/", "/api/v1/dispatch/nope/", "/api/v1/a/b/c"])
def test_an_unknown_api_address_is_a_problem_404(path: str) -> None:
    body = _problem(APIClient().get(path), 404, "not_found")
    assert body["detail"] == "接口不存在。"


def test_an_api_address_without_its_final_slash_says_so() -> None:
    body = _problem(APIClient().get("/api/v1/appeals"), 404, "not_found")
    assert body["detail"] == "接口地址须以斜杠结尾：/api/v1/appeals/"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/appeals/",
        "/api/v1/categories/",
        "/api/v1/services/items/",
        "/api/v1/licences/keys/",
        "/api/v1/dispatch/hot-issues/",
        "/api/v1/hall/halls/1/display/",
    ],
)
def test_every_app_api_is_reached_whatever_the_order_of_includes(path: str) -> None:
    assert getattr(resolve(path).func, "view_class", None) is not ApiNotFoundView


def test_the_token_view_is_the_accounts_one() -> None:
    assert resolve("/api/v1/auth/token/").func.view_class is AuthTokenView  # type: ignore[attr-defined]
