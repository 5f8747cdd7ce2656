"""The administrator lands on their own page (the admin site, the import pages), not the citizen's portal;
the admin site speaks Chinese and shows no raw task-queue section."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from huying.accounts.models import User
from huying.accounts.roles import Role
from tests.fixtures import make_user

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_superuser_lands_on_the_admin_home(world: Any) -> None:
    root = User.objects.create_superuser(username="root", password="pass-1234-huying")
    client = _client(root)
    response = client.get("/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/accounts/admin-home/"
    assert 'href="/admin/"' in page
    assert 'href="/services/manage/import/"' in page and 'href="/licences/manage/import/"' in page
    assert 'href="/licences/wallet/"' not in page and 'href="/applications/mine/"' not in page  # not the citizen's menu
    admin_index = client.get("/admin/").content.decode()
    assert "Django" not in admin_index and "Task Results" not in admin_index and "呼应" in admin_index


def test_admin_role_lands_there_too_and_a_citizen_may_not(world: Any) -> None:
    admin = make_user("guanli", Role.ADMIN, world.city)
    assert _client(admin).get("/").url == "/accounts/admin-home/"
    assert _client(world.citizen).get("/accounts/admin-home/").status_code == 404
