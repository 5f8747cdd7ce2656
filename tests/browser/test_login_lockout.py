"""The login throttle at a service hall, where every window shares one address: one clerk's typos lock
that clerk's account at that address, never the colleague at the next window, and an administrator
unlocks it from the admin site."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from huying.accounts.models import LoginFailure, User

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCKED = "该账号在本地址登录失败次数过多，已暂时锁定"


def _try(page: Any, username: str, password: str) -> str:
    login(page, username, password)
    return str(page.locator("main").inner_text())


def test_one_accounts_typos_do_not_lock_another_at_the_same_address(new_page: Any, world: Any) -> None:
    User.objects.create_superuser(username="root", password="pass-1234-huying", display_name="系统管理员")
    first_window = new_page()
    for _ in range(settings.HUYING_LOGIN_MAX_FAILURES):
        assert "用户名或密码不正确" in _try(first_window, "urban", "wrong-password")
    # Locked now: the right password is refused too, and the page says why and what to do.
    text = _try(first_window, "urban", "pass-1234-huying")
    assert LOCKED in text and "管理员解锁" in text
    assert first_window.url.rstrip("/").endswith("/accounts/login")
    screenshot(first_window, "login-locked")
    assert LoginFailure.objects.filter(username="urban").count() == settings.HUYING_LOGIN_MAX_FAILURES

    # The colleague at the next window, same address, signs in as usual.
    next_window = new_page()
    login(next_window, "street")
    assert "/accounts/login" not in next_window.url
    assert "孙网格" in next_window.locator("header").inner_text()

    # The administrator unlocks the clerk from the admin site.
    admin = new_page()
    login(admin, "root")
    admin.goto("/admin/accounts/user/?q=urban")
    row = admin.locator("#result_list tbody tr", has_text="urban")
    row.locator("input[name=_selected_action]").check()
    admin.select_option("select[name=action]", value="unlock_logins")
    admin.locator("button[name=index], input[name=index]").first.click()
    admin.wait_for_load_state()
    assert "已解除登录锁定" in admin.locator("body").inner_text()
    assert LoginFailure.objects.filter(username="urban").count() == 0

    login(first_window, "urban")
    assert "/accounts/login" not in first_window.url
    assert "李承办" in first_window.locator("header").inner_text()
