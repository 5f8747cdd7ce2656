"""Tasks to grid workers on a phone, and the street's grid map without tiles (no internet needed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from huying.accounts.models import RoleAssignment
from huying.accounts.roles import Role
from huying.grids.models import GridTaskAssignment
from huying.grids.services import tasks as task_services
from huying.grids.tests.factories import build

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_claims_and_feeds_back_and_the_street_sees_the_map(
    new_page: Any, live_server: Any, world: Any, settings: Any
) -> None:
    settings.HUYING_MAP_TILE_URL = ""
    g = build(world)
    RoleAssignment.objects.create(user=g.worker, role=Role.GRID_WORKER, org_unit=g.community)
    task = task_services.task_create(
        actor=world.street_handler,
        unit=world.street,
        title="寒潮期间走访所有独居老人",
        description="逐户查看取暖、用电和饮食情况，发现问题当场上报。",
        due=dt.date.today() + dt.timedelta(days=7),
    )

    phone = new_page(mobile=True)
    login(phone, "zhaofeng")
    phone.goto("/grids/tasks/")
    assert "寒潮期间走访所有独居老人" in phone.locator("main").inner_text()
    assert "黄河社区第2网格" not in phone.locator("main").inner_text()
    phone.click("text=寒潮期间走访所有独居老人")
    phone.click("button[value=claim]")
    phone.wait_for_selector("button[value=report_done]")
    phone.fill("#task-note", "已走访独居老人3户，取暖正常。")
    assert "任务领取" in phone.locator("nav.mainnav").inner_text()
    screenshot(phone, "grid-task-phone")
    phone.click("button[value=report_done]")
    phone.wait_for_load_state()
    assert GridTaskAssignment.objects.get(task=task, grid=g.west).status == GridTaskAssignment.Status.DONE

    street = new_page()
    street.set_viewport_size({"width": 1366, "height": 768})
    login(street, "street")
    external: list[str] = []
    street.on("request", lambda r: None if r.url.startswith((live_server.url, "data:")) else external.append(r.url))
    street.goto("/grids/map/")
    street.wait_for_selector("#grid-map path.leaflet-interactive")
    assert street.locator("#grid-map path.leaflet-interactive").count() == 2
    assert street.locator("#grid-map-table tbody tr").count() == 2
    screenshot(street, "grid-map")
    assert external == []  # no tiles, no CDN: the map needs no internet
    street.goto(f"/grids/tasks/street/{task.pk}/")
    assert "已完成" in street.locator("main").inner_text()
    street.goto("/grids/figures/")
    assert "网格工作数据" in street.locator("main").inner_text()
