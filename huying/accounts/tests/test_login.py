"""Login throttling: five failures lock the form; every failure and lock is audited."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from huying.accounts.models import User
from huying.accounts.services import login_check
from huying.core.errors import Throttled, ValidationFailed
from huying.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk() -> User:
    return User.objects.create_user(username="clerk", password="right-password-1")


def test_five_failures_lock_out_even_the_right_password(clerk: User) -> None:
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.0.8")
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            login_check(request=request, username="clerk", password="wrong")
    with pytest.raises(Throttled) as exc:
        login_check(request=request, username="clerk", password="right-password-1")
    assert "登录失败次数过多" in str(exc.value.message)
    assert exc.value.status == 429
    assert AuditLog.objects.filter(kind=AuditLog.Kind.LOGIN_FAILED).count() == 5
    assert AuditLog.objects.filter(kind=AuditLog.Kind.LOGIN_LOCKED).count() == 1
    assert AuditLog.objects.filter(kind=AuditLog.Kind.LOGIN_FAILED, ip_address="10.0.0.8").count() == 5


def test_a_success_clears_earlier_failures(clerk: User) -> None:
    request = RequestFactory().post("/accounts/login/")
    for _ in range(4):
        with pytest.raises(ValidationFailed):
            login_check(request=request, username="clerk", password="wrong")
    assert login_check(request=request, username="clerk", password="right-password-1") == clerk
    with pytest.raises(ValidationFailed):
        login_check(request=request, username="clerk", password="wrong")
