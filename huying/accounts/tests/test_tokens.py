"""API tokens (ADR 0015): a lifetime, revocation by the owner and by an administrator, the owner's list
with the last use (written at most once a minute), and DRF authtoken keys carried over with an expiry."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from huying.accounts.models import ApiToken, User
from huying.accounts.tokens import token_issue
from huying.core.models import AuditLog

pytestmark = pytest.mark.django_db

PASSWORD = "pass-1234-huying"  # conftest.make_user
TOKENS = "/api/v1/auth/tokens/"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # the token endpoint's request-rate throttle counts in the cache


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    return body


def test_a_token_is_issued_with_an_expiry_and_only_its_hash_is_kept(world: Any) -> None:
    response = APIClient().post("/api/v1/auth/token/", {"username": "operator", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    key = body["token"]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest() and token.prefix == key[:8] == body["prefix"]
    assert dt.datetime.fromisoformat(body["expires_at"]) == token.expires_at
    assert token.expires_at - token.created_at == dt.timedelta(days=30)
    assert not ApiToken.objects.filter(key_hash=key).exists()
    # Each sign-in is a token of its own: revoking one leaves the other working.
    again = APIClient().post("/api/v1/auth/token/", {"username": "operator", "password": PASSWORD}).json()
    assert again["token"] != key


def test_an_expired_token_is_a_401_problem(world: Any) -> None:
    _token, key = token_issue(user=world.operator)
    assert bearer(key).get("/api/v1/appeals/").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=30, seconds=1)):
        response = bearer(key).get("/api/v1/appeals/")
    body = problem(response, 401, "api_token_expired")
    assert "过期" in body["detail"] and response["WWW-Authenticate"] == "Token"


def test_the_owner_lists_and_revokes_their_tokens(world: Any) -> None:
    first, first_key = token_issue(user=world.operator)
    second, second_key = token_issue(user=world.operator)
    token_issue(user=world.handler)
    listed = bearer(first_key).get(TOKENS)
    assert listed.status_code == 200
    rows = listed.json()
    assert [r["id"] for r in rows] == [second.pk, first.pk]
    assert {"prefix", "created_at", "last_used_at", "expires_at", "revoked_at", "live"} <= rows[0].keys()
    assert "token" not in rows[0] and "key_hash" not in rows[0]
    assert rows[1]["last_used_at"] is not None and rows[0]["last_used_at"] is None
    assert bearer(first_key).delete(f"{TOKENS}{second.pk}/").status_code == 204
    problem(bearer(second_key).get(TOKENS), 401, "api_token_revoked")
    assert AuditLog.objects.filter(kind=AuditLog.Kind.TOKEN_REVOKED, actor=world.operator).count() == 1
    # Someone else's token is "not found", whoever asks.
    other = ApiToken.objects.get(user=world.handler)
    problem(bearer(first_key).delete(f"{TOKENS}{other.pk}/"), 404, "not_found")
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None
    problem(APIClient().get(TOKENS), 401, "not_authenticated")


def test_an_administrator_revokes_a_token_in_the_admin(world: Any) -> None:
    token, key = token_issue(user=world.operator)
    root = User.objects.create_superuser(username="root", password=PASSWORD, email="")
    admin = Client()
    admin.force_login(root)
    assert admin.get("/admin/accounts/apitoken/").status_code == 200
    response = admin.post("/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == root
    problem(bearer(key).get("/api/v1/appeals/"), 401, "api_token_revoked")


def test_the_last_use_is_written_at_most_once_a_minute(world: Any) -> None:
    token, key = token_issue(user=world.operator)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        bearer(key).get(TOKENS)
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=59), tick=False):
        bearer(key).get(TOKENS)
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        bearer(key).get(TOKENS)
    token.refresh_from_db()
    assert token.last_used_at == start + dt.timedelta(seconds=61)


def test_live_tokens_per_user_are_capped(world: Any, settings: Any) -> None:
    settings.HUYING_API_TOKEN_MAX_PER_USER = 2
    oldest, _key = token_issue(user=world.operator, now=timezone.now() - dt.timedelta(minutes=2))
    token_issue(user=world.operator, now=timezone.now() - dt.timedelta(minutes=1))
    token_issue(user=world.operator)
    oldest.refresh_from_db()
    assert oldest.revoked_at is not None
    assert ApiToken.objects.filter(user=world.operator, revoked_at__isnull=True).count() == 2


def test_the_account_page_lists_tokens_with_a_revoke_button(world: Any) -> None:
    token, _key = token_issue(user=world.citizen)
    page = Client()
    page.force_login(world.citizen)
    html = page.get("/accounts/tokens/").content.decode()
    assert token.prefix in html and "吊销" in html and 'href="/accounts/tokens/"' in html  # in the account menu
    response = page.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "已吊销" in page.get("/accounts/tokens/").content.decode()
    stranger = Client()
    stranger.force_login(world.other_citizen)
    assert stranger.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert Client().get("/accounts/tokens/").status_code == 302  # to the login page


def test_drf_authtoken_keys_are_carried_over_with_an_expiry(world: Any) -> None:
    """The data migration: an old key keeps working until the new expiry, and its plain copy is gone."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("huying.accounts.migrations.0004_api_tokens")
    old_key = "a" * 40
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, created timestamp)")
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)", [old_key, world.operator.pk, "2026-01-05 08:00:00"]
        )

    class Editor:
        pass

    editor: Any = Editor()
    editor.connection = connection
    migration.tokens_from_drf_authtoken(apps, editor)
    token = ApiToken.objects.get(user=world.operator)
    assert token.prefix == "aaaaaaaa" and token.created_at == dt.datetime(2026, 1, 5, 8, tzinfo=dt.UTC)
    assert token.expires_at > timezone.now() + dt.timedelta(days=29)
    assert bearer(old_key).get("/api/v1/appeals/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
        cursor.execute("DROP TABLE authtoken_token")
