"""The grassroots loops on the city dashboard: each loop decides who sees its panel; the supervisor
sees them in order, each linking to the loop's own figures page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.fixtures import PASSWORD

pytestmark = pytest.mark.django_db


def _panels(user: Any) -> list[tuple[str, str]]:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    page = c.get("/dashboard/").content.decode()
    return re.findall(r'<h3><a href="([^"]+)">([^<]+)</a></h3>', page)


def test_the_supervisor_sees_every_grassroots_panel_in_order(world: Any) -> None:
    assert _panels(world.supervisor) == [
        ("/grids/figures/", "网格化服务管理"),
        ("/volunteers/figures/", "志愿服务"),
        ("/points/figures/", "积分制"),
    ]


def test_a_unit_handler_sees_none(world: Any) -> None:
    assert _panels(world.handler) == []
