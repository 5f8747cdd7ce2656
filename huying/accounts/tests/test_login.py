"""One throttle for every login path (site page, /admin/login/, API token): per username and address,
a higher ceiling per address, the client address only from a trusted proxy, a way back in (ADR 0015)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.utils import translation
from rest_framework.test import APIClient

from huying.accounts.models import LoginFailure, User
from huying.accounts.services import login_check
from huying.core.errors import Throttled, ValidationFailed
from huying.core.models import AuditLog

pytestmark = pytest.mark.django_db

RIGHT = "right-password-1"
HALL = "10.20.0.1"  # a service hall's windows, all behind one address


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # the API token endpoint's request-rate throttle counts in the cache


@pytest.fixture
def clerk() -> User:
    return User.objects.create_user(username="clerk", password=RIGHT)


def attempt(username: str, password: str, ip: str = HALL, **meta: Any) -> Any:
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=ip, **meta)
    return login_check(request=request, username=username, password=password)


def fail(username: str, times: int, ip: str = HALL, **meta: Any) -> None:
    for _ in range(times):
        with pytest.raises(ValidationFailed):
            attempt(username, "wrong", ip, **meta)


def test_five_failures_lock_that_username_at_that_address_even_with_the_right_password(clerk: User) -> None:
    fail("clerk", 5)
    with pytest.raises(Throttled) as exc:
        attempt("clerk", RIGHT)
    assert exc.value.status == 429 and exc.value.code == "login_locked"
    assert "系统管理员" in str(exc.value.message)
    assert AuditLog.objects.filter(kind=AuditLog.Kind.LOGIN_FAILED, ip_address=HALL).count() == 5
    assert AuditLog.objects.filter(kind=AuditLog.Kind.LOGIN_LOCKED).count() == 1
    # The same username from elsewhere is not locked: a stranger cannot keep the owner out.
    assert attempt("clerk", RIGHT, ip="10.99.0.7") == clerk


def test_a_success_clears_earlier_failures(clerk: User) -> None:
    fail("clerk", 4)
    assert attempt("clerk", RIGHT) == clerk
    fail("clerk", 4)
    assert attempt("clerk", RIGHT) == clerk


def test_two_accounts_behind_one_address_lock_separately() -> None:
    a = User.objects.create_user(username="a", password=RIGHT)
    b = User.objects.create_user(username="b", password=RIGHT)
    fail("a", 5)
    with pytest.raises(Throttled):
        attempt("a", RIGHT)
    assert attempt("b", RIGHT) == b
    assert a.pk != b.pk


def test_the_address_ceiling_counts_every_username() -> None:
    User.objects.create_user(username="window26", password=RIGHT)
    for n in range(30):
        fail(f"typo{n}", 1)
    with pytest.raises(Throttled) as exc:
        attempt("window26", RIGHT)
    assert exc.value.code == "address_locked"
    assert attempt("window26", RIGHT, ip="10.20.0.2").username == "window26"


def test_a_forged_forwarded_for_on_a_direct_connection_is_ignored(clerk: User) -> None:
    # Each attempt claims another client: the lock still counts the connection's address...
    for n in range(5):
        with pytest.raises(ValidationFailed):
            attempt("clerk", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    with pytest.raises(Throttled):
        attempt("clerk", RIGHT, HTTP_X_FORWARDED_FOR="192.0.2.200")
    # ...and naming the victim's address in the header does not lock the victim.
    fail("clerk", 5, ip="198.51.100.9", HTTP_X_FORWARDED_FOR="10.99.0.7")
    assert attempt("clerk", RIGHT, ip="10.99.0.7") == clerk
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {HALL, "198.51.100.9"}


@override_settings(HUYING_TRUSTED_PROXIES=["10.0.0.0/24"])
def test_behind_a_trusted_proxy_each_client_counts_on_its_own(clerk: User) -> None:
    proxy = "10.0.0.5"
    fail("clerk", 5, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.1, 10.0.0.4")  # client X, through two proxies
    with pytest.raises(Throttled):
        attempt("clerk", RIGHT, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert attempt("clerk", RIGHT, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.2") == clerk  # client Y
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {"203.0.113.1"}
    # A header entry to the left of an untrusted hop is the client's own writing: not believed.
    fail("clerk", 1, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1")
    assert LoginFailure.objects.filter(ip_address="198.51.100.1").count() == 1


def test_thirty_wrong_admin_passwords_then_the_right_one_is_refused_and_audited() -> None:
    User.objects.create_superuser(username="root", password=RIGHT, email="")
    client = Client(REMOTE_ADDR="198.51.100.30")
    for _ in range(30):
        response = client.post("/admin/login/", {"username": "root", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "root", "password": RIGHT, "next": "/admin/"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "系统管理员" in response.content.decode()
    assert AuditLog.objects.filter(kind=AuditLog.Kind.LOGIN_FAILED, ip_address="198.51.100.30").count() == 5
    assert AuditLog.objects.filter(kind=AuditLog.Kind.LOGIN_LOCKED).count() == 26


def test_site_admin_and_api_share_one_count(clerk: User) -> None:
    ip = "198.51.100.40"
    Client(REMOTE_ADDR=ip).post("/accounts/login/", {"username": "clerk", "password": "wrong"})
    Client(REMOTE_ADDR=ip).post("/admin/login/", {"username": "clerk", "password": "wrong"})
    api = APIClient(REMOTE_ADDR=ip)
    for _ in range(3):
        assert api.post("/api/v1/auth/token/", {"username": "clerk", "password": "wrong"}).status_code == 400
    response = api.post("/api/v1/auth/token/", {"username": "clerk", "password": RIGHT})
    assert response.status_code == 429 and response.json()["code"] == "login_locked"
    page = Client(REMOTE_ADDR=ip).post("/accounts/login/", {"username": "clerk", "password": RIGHT})
    assert page.status_code == 429


def test_an_administrator_unlocks_in_the_admin_and_the_success_is_audited(clerk: User) -> None:
    fail("clerk", 5)
    root = User.objects.create_superuser(username="root", password=RIGHT, email="")
    admin = Client()
    admin.force_login(root)
    failure = LoginFailure.objects.filter(username="clerk").first()
    assert failure is not None
    response = admin.post(
        "/admin/accounts/loginfailure/", {"action": "unlock", "_selected_action": [failure.pk]}, follow=True
    )
    assert response.status_code == 200
    assert not LoginFailure.objects.filter(username="clerk").exists()
    assert AuditLog.objects.filter(kind=AuditLog.Kind.LOGIN_UNLOCKED, actor=root).count() == 1
    assert attempt("clerk", RIGHT) == clerk
    # Unlock from the user list too.
    fail("clerk", 5)
    admin.post("/admin/accounts/user/", {"action": "unlock_logins", "_selected_action": [clerk.pk]})
    assert attempt("clerk", RIGHT) == clerk


def test_a_success_after_the_lock_expired_is_audited(clerk: User) -> None:
    import datetime as dt

    import time_machine
    from django.utils import timezone

    fail("clerk", 5)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert attempt("clerk", RIGHT) == clerk
    assert AuditLog.objects.filter(kind=AuditLog.Kind.LOGIN_AFTER_LOCK, actor=clerk).count() == 1


def test_the_unlock_command(clerk: User) -> None:
    fail("clerk", 5)
    out = StringIO()
    call_command("unlock_login", "clerk", "--address", HALL, stdout=out)
    assert "5" in out.getvalue()
    assert attempt("clerk", RIGHT) == clerk
    assert AuditLog.objects.filter(kind=AuditLog.Kind.LOGIN_UNLOCKED).count() == 1


def test_messages_are_english_under_the_en_locale(clerk: User) -> None:
    with translation.override("en"):
        with pytest.raises(ValidationFailed) as wrong:
            attempt("clerk", "wrong")
        fail("clerk", 4)
        with pytest.raises(Throttled) as locked:
            attempt("clerk", RIGHT)
    assert str(wrong.value.message) == "Incorrect username or password."
    assert "administrator" in str(locked.value.message) and "15 minutes" in str(locked.value.message)
