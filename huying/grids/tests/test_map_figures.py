"""The street map's GeoJSON layer, the map page without tiles, and the grid figures."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from huying.appeals.models import Appeal, AppealEvent
from huying.appeals.states import Action, Status
from huying.grids import services
from huying.grids.figures import grid_figures_for
from huying.grids.map_layer import grid_layer_for
from huying.grids.models import Household, Tag, VisitFinding
from huying.grids.services import tasks as task_services

from .factories import AREA, build, make_id, register_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def g(world: Any) -> Any:
    g = build(world)
    rows = [
        [AREA + "001", "0001", "黄河路1号", "13800000001", "13905435678", "独居老人", "赵岱禄", "户主", make_id(1), ""],
        [AREA + "001", "0002", "黄河路2号", "13800000002", "", "", "王五", "户主", make_id(2), ""],
        [AREA + "002", "0001", "黄河路9号", "", "", "", "赵六", "户主", make_id(4), ""],
    ]
    assert services.households_import(register_xlsx(rows), actor=None).ok
    g.lone = Household.objects.get(grid=g.west, number="0001")
    Household.objects.filter(grid=g.west, number="0002").update(
        visit_due_on=timezone.localdate() - dt.timedelta(days=3)
    )
    visit = services.visit_record(
        actor=g.worker,
        household=g.lone,
        findings=[("livelihood", "需要办理残疾证"), ("safety", "楼道堆放杂物")],
        latitude="37.005",
        longitude="118.005",
    )
    first, second = VisitFinding.objects.filter(visit=visit).order_by("pk")
    g.open_appeal = services.visit_finding_to_appeal(actor=g.worker, finding=first, auto_dispatch=False)
    g.closed_appeal = services.visit_finding_to_appeal(actor=g.worker, finding=second, auto_dispatch=False)
    Appeal.objects.filter(pk=g.closed_appeal.pk).update(status=Status.CLOSED)
    return g


def test_the_layer_has_each_visible_grid_with_open_cases_and_overdue_visits(g: Any, world: Any) -> None:
    layer = grid_layer_for(actor=world.street_handler)
    assert layer["type"] == "FeatureCollection"
    props = {f["properties"]["code"]: f["properties"] for f in layer["features"]}
    assert props[g.west.code]["open_cases"] == 1 and props[g.west.code]["overdue_visits"] == 1
    assert props[g.east.code]["open_cases"] == 0 and props[g.east.code]["overdue_visits"] == 0
    assert layer["features"][0]["geometry"]["type"] == "Polygon"
    assert [f["properties"]["code"] for f in grid_layer_for(actor=g.east_worker)["features"]] == [g.east.code]


def test_the_geojson_endpoint_and_a_map_page_without_external_hosts(g: Any, world: Any, settings: Any) -> None:
    settings.HUYING_MAP_TILE_URL = ""
    client = Client()
    client.force_login(world.street_handler)
    response = client.get("/grids/map/grids.geojson")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    assert len(response.json()["features"]) == 2
    page = client.get("/grids/map/").content.decode()
    assert "vendor/leaflet/leaflet.js" in page and 'data-tile-url=""' in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "the map page loads nothing from another host"
    citizen = Client()
    citizen.force_login(world.citizen)
    assert citizen.get("/grids/map/grids.geojson").status_code == 404


def test_a_tile_url_reaches_the_page(g: Any, world: Any, settings: Any) -> None:
    settings.HUYING_MAP_TILE_URL = "https://tiles.example.cn/{z}/{x}/{y}.png"
    client = Client()
    client.force_login(world.street_handler)
    assert "tiles.example.cn" in client.get("/grids/map/").content.decode()


def test_figures_on_small_data(g: Any, world: Any) -> None:
    task = task_services.task_create(
        actor=world.street_handler, unit=world.street, title="核实地址", due=dt.date(2026, 12, 31)
    )
    a = task.assignments.get(grid=g.west)
    task_services.task_claim(actor=g.worker, assignment_id=a.pk, version=0)
    f = grid_figures_for(actor=world.street_handler)
    by_grid = {r.label: (r.reported, r.closed) for r in f.by_grid}
    assert by_grid == {"黄河社区第1网格": (2, 1), "黄河社区第2网格": (0, 0)}
    assert [(r.label, r.reported, r.closed, r.closure_rate) for r in f.by_street] == [
        ("滨城区市中街道办事处", 2, 1, 0.5)
    ]
    visits = {r.label: (r.households, r.due, r.done) for r in f.visits}
    assert visits["黄河社区第1网格"][0] == 2 and visits["黄河社区第1网格"][2] == 1
    assert dict(f.tags)[Tag.objects.get(name="独居老人").name] == 1
    workers = {w.name: (w.households, w.visits_this_month, w.open_tasks) for w in f.workers}
    assert workers["赵锋"] == (0, 1, 1)
    assert workers["李党员"][0] == 1
    assert grid_figures_for(actor=world.citizen).by_grid == []
    client = Client()
    client.force_login(world.street_handler)
    page = client.get("/grids/figures/").content.decode()
    assert "网格工作数据" in page and "50%" in page


def test_figures_count_cases_handled_on_the_spot_and_failed_verifications(g: Any, world: Any) -> None:
    # The findings' appeals carry their grid's code: one was closed on the spot, the other failed
    # verification twice before it was fixed.
    closed, open_ = Appeal.objects.get(pk=g.closed_appeal.pk), Appeal.objects.get(pk=g.open_appeal.pk)
    assert closed.grid_code == open_.grid_code == g.west.code
    now = timezone.now()
    AppealEvent.objects.create(
        appeal=closed, action=Action.SELF_HANDLE, from_status="submitted", to_status="closed", created_at=now
    )
    for _ in range(2):
        AppealEvent.objects.create(
            appeal=open_, action=Action.VERIFY_FAIL, from_status="verifying", to_status="handling", created_at=now
        )
    f = grid_figures_for(actor=world.street_handler)
    rows = {r.label: (r.self_handled, r.verify_failed, r.self_handled_rate) for r in f.by_grid}
    assert rows == {"黄河社区第1网格": (1, 2, 0.5), "黄河社区第2网格": (0, 0, 0.0)}
    assert (f.total.self_handled, f.total.verify_failed) == (1, 2)
    client = Client()
    client.force_login(world.street_handler)
    page = client.get("/grids/figures/").content.decode()
    assert "自行处置" in page and "核查未通过" in page
