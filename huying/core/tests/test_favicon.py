"""Every page names its icon, and /favicon.ico (asked for by browsers whatever the page says) finds it."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_favicon() -> None:
    client = Client()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("img/favicon.svg")
    assert 'rel="icon"' in client.get("/").content.decode()
