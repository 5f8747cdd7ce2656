"""The public 网格公示牌."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from .factories import build

pytestmark = pytest.mark.django_db


def test_notice_card_is_public_with_phones_and_a_qr_code(world: Any) -> None:
    g = build(world)
    response = Client().get(f"/grids/card/{g.west.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("黄河社区第1网格", "赵锋", "13905431234", "网格长", "05433161234", "李党员", "<svg"):
        assert text in page
    assert "钱网格" not in page  # the east grid's worker


def test_notice_card_of_an_unknown_grid_is_404(world: Any) -> None:
    assert Client().get("/grids/card/371602001001999/").status_code == 404
