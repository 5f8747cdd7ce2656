"""The administrator signs in and lands on their own page: the admin site and the import pages, not the
citizen's portal and menu."""

from __future__ import annotations

from typing import Any

import pytest

from huying.accounts.models import User

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_superuser_lands_on_the_admin_home(new_page: Any) -> None:
    User.objects.create_superuser(username="root", password="pass-1234-huying", display_name="系统管理员")
    page = new_page()
    login(page, "root")
    assert page.url.endswith("/accounts/admin-home/")
    links = page.eval_on_selector_all("#admin-home a", "links => links.map(a => a.getAttribute('href'))")
    assert links[0] == "/admin/" and "/services/manage/import/" in links and "/licences/manage/import/" in links
    menu = page.locator(".mainnav").inner_text()
    assert "我的办件" not in menu and "我的证照" not in menu and "我要反映" not in menu
    screenshot(page, "admin-home")
