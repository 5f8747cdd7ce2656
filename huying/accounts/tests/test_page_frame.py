"""The page frame every page extends (GB/T 37668, 适老化): skip link, landmarks, current page, live messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.shortcuts import render
from django.test import Client, RequestFactory
from django.urls import reverse

from huying.accounts.roles import Role
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create
from tests.fixtures import make_user

pytestmark = pytest.mark.django_db

FOCUSABLE = re.compile(r"<(a\s[^>]*href|button|input(?![^>]*type=\"hidden\")|select|textarea)\b[^>]*>", re.S)


def _body(path: str, client: Client | None = None) -> str:
    response = (client or Client()).get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_first_thing_to_focus_skips_to_the_main_content() -> None:
    body = _body("/")
    first = FOCUSABLE.search(body.split("<body", 1)[1])
    assert first is not None
    assert 'class="skip-link"' in first.group(0)
    assert 'href="#main"' in first.group(0)
    assert re.search(r"<main id=\"main\"[^>]*>", body)


def test_landmarks_name_the_menus() -> None:
    body = _body("/")
    for landmark in ("<header", "<main", "<footer"):
        assert body.count(landmark) == 1, landmark
    labels = re.findall(r"<nav\b[^>]*aria-label=\"([^\"]+)\"", body)
    assert labels == ["主菜单", "页脚导航"]


def test_the_menu_marks_the_page_shown() -> None:
    unit = org_unit_create(name="滨州市人民政府", kind=OrgUnit.Kind.GOVERNMENT)
    client = Client()
    client.force_login(make_user("supervisor", Role.SUPERVISOR, unit))
    body = _body(reverse("appeals:board"), client)
    current = re.findall(r"<a href=\"([^\"]+)\" aria-current=\"page\">", body)
    assert current == [reverse("appeals:board")]
    assert 'aria-current="page"' not in _body(reverse("dashboards:index"), client).split("<footer")[1]


def test_messages_are_announced_and_errors_are_alerts() -> None:
    request = RequestFactory().get("/")
    request.session = {}  # type: ignore[assignment]
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    messages.success(request, "已保存。")
    messages.error(request, "保存失败。")
    body = render(request, "home.html", {"tiles": []}).content.decode()
    status = re.search(r"<div class=\"messages\" role=\"status\">(.*?)</div>", body, re.S)
    alert = re.search(r"<div class=\"messages\" role=\"alert\">(.*?)</div>", body, re.S)
    assert status and "已保存。" in status.group(1) and "保存失败。" not in status.group(1)
    assert alert and "保存失败。" in alert.group(1) and "已保存。" not in alert.group(1)


def test_the_frame_has_no_inline_style() -> None:
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text(encoding="utf-8")
    assert "<style" not in base
    assert " style=" not in base
