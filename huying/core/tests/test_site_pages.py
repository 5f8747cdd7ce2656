"""A section's bare address leads somewhere useful, and a missing page says so in Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.mark.parametrize("section", ["appeals", "applications", "ratings", "licences", "dispatch"])
def test_a_section_root_sends_to_the_home_page(db: Any, section: str) -> None:
    response = Client().get(f"/{section}/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_missing_page_is_a_chinese_404(db: Any, settings: Any) -> None:
    settings.DEBUG = False
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert "回到首页" in body
