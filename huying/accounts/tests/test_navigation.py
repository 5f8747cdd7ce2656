"""Each role's menu, home page and home tiles: the same labels, links and order for every demo role."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from huying.accounts.roles import Role
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create
from tests.fixtures import make_user

pytestmark = pytest.mark.django_db

# (label, URL name) in the order each role sees them in the main menu.
MENUS: dict[str, list[tuple[str, str]]] = {
    "anonymous": [
        ("办事指南", "services:items"),
        ("百事通地图", "servicepoints:map"),
        ("我要反映", "appeals:new"),
        ("查询进度", "appeals:track"),
    ],
    "citizen": [
        ("办事指南", "services:items"),
        ("百事通地图", "servicepoints:map"),
        ("我要反映", "appeals:new"),
        ("查询进度", "appeals:track"),
        ("我的诉求", "appeals:mine"),
        ("我的办件", "applications:mine"),
        ("我的证照", "licences:wallet"),
        ("我的积分", "points:mine"),
        ("志愿服务", "volunteers:home"),
    ],
    Role.OPERATOR: [
        ("坐席工作台", "appeals:workbench"),
        ("督办看板", "appeals:board"),
        ("热点问题", "dispatch:hot_issues"),
        ("数据看板", "dashboards:index"),
    ],
    Role.HANDLER: [
        ("待办工单", "appeals:inbox"),
        ("数据看板", "dashboards:index"),
        ("差评整改", "ratings:cases"),
        ("网格管理", "grids:street_tasks"),
        ("建议提案办理", "deputies:suggestions"),
    ],
    Role.SUPERVISOR: [
        ("督办看板", "appeals:board"),
        ("热点问题", "dispatch:hot_issues"),
        ("重点问题", "dispatch:key_problems"),
        ("派单模型表现", "dispatch:model"),
        ("数据看板", "dashboards:index"),
        ("办件统计", "applications:figures"),
        ("差评整改", "ratings:cases"),
        ("申诉复核", "ratings:complaints"),
        ("网格管理", "grids:street_tasks"),
    ],
    Role.ADMIN: [
        ("数据看板", "dashboards:index"),
        ("扫码核验", "licences:verify"),
        ("事项导入", "services:manage_import"),
        ("证照导入", "licences:import"),
    ],
    Role.CLERK: [
        ("数据看板", "dashboards:index"),
        ("一窗受理", "applications:accept"),
        ("叫号", "halls:windows"),
        ("统一出件", "applications:issue"),
        ("扫码核验", "licences:verify"),
        ("差评整改", "ratings:cases"),
    ],
    Role.REVIEWER: [
        ("数据看板", "dashboards:index"),
        ("审批待办", "applications:review"),
        ("扫码核验", "licences:verify"),
        ("差评整改", "ratings:cases"),
    ],
    Role.HALL_MANAGER: [
        ("数据看板", "dashboards:index"),
        ("政务大厅", "halls:index"),
        ("办件统计", "applications:figures"),
        ("扫码核验", "licences:verify"),
        ("差评整改", "ratings:cases"),
        ("服务点", "servicepoints:manage"),
        ("家门口服务统计", "servicepoints:figures"),
    ],
    Role.AGENT: [
        ("数据看板", "dashboards:index"),
        ("帮办代办", "applications:proxies"),
        ("项目管家", "applications:projects"),
    ],
    Role.GRID_WORKER: [
        ("数据看板", "dashboards:index"),
        ("走访", "grids:visits"),
        ("随手拍", "grids:report"),
        ("网格事件", "grids:cases"),
        ("任务领取", "grids:worker_tasks"),
        ("网格地图", "grids:map"),
    ],
    Role.LIAISON: [
        ("数据看板", "dashboards:index"),
        ("走访", "grids:visits"),
        ("随手拍", "grids:report"),
        ("任务领取", "grids:worker_tasks"),
        ("党员问事", "community:findings"),
    ],
    Role.COMMUNITY_STAFF: [
        ("数据看板", "dashboards:index"),
        ("基层自治", "community:home"),
    ],
}

# Where "/" sends each role (None: the portal page itself).
HOMES: dict[str, str | None] = {
    "anonymous": None,
    "citizen": None,
    Role.OPERATOR: "appeals:workbench",
    Role.HANDLER: "appeals:inbox",
    Role.SUPERVISOR: "appeals:board",
    Role.ADMIN: "accounts:admin_home",  # the admin site and the import pages
    Role.CLERK: "applications:accept",
    Role.REVIEWER: "applications:review",
    Role.HALL_MANAGER: "halls:index",
    Role.AGENT: "applications:projects",
    Role.GRID_WORKER: "grids:visits",
    Role.LIAISON: "grids:visits",
    Role.COMMUNITY_STAFF: "community:home",
}

FOOTER = [
    ("办事指南", "services:items"),
    ("一件事", "services:bundles"),
    ("好差评公开", "ratings:figures"),
    ("积分张榜", "points:board"),
]
# Only visitors and citizens (the public) see the deputies' participation pages in the footer.
PUBLIC_FOOTER = [*FOOTER, ("立法征求意见", "deputies:drafts"), ("代表联络站", "deputies:stations")]

PUBLIC_TILES = [
    ("home-new", "appeals:new"),
    ("home-track", "appeals:track"),
    ("home-guide", "services:items"),
    ("home-bundles", "services:bundles"),
]
DEPUTIES_TILES = [("tile-drafts", "deputies:drafts"), ("tile-stations", "deputies:stations")]
TILES: dict[str, list[tuple[str, str]]] = {
    "anonymous": [*PUBLIC_TILES, *DEPUTIES_TILES, ("home-login", "accounts:login")],
    "citizen": [
        *PUBLIC_TILES,
        ("home-mine", "appeals:mine"),
        ("home-applications", "applications:mine"),
        ("home-wallet", "licences:wallet"),
        ("home-volunteers", "volunteers:home"),
        ("home-points", "points:mine"),
        *DEPUTIES_TILES,
    ],
    Role.ADMIN: [*PUBLIC_TILES, ("home-login", "accounts:login")],
}

LINK = re.compile(r"<a\b[^>]*\bhref=\"([^\"]*)\"[^>]*>(.*?)</a>", re.S)


def _links(fragment: str) -> list[tuple[str, str]]:
    return [(html.unescape(re.sub(r"<[^>]+>", "", text)).strip(), href) for href, text in LINK.findall(fragment)]


def main_menu(body: str) -> list[tuple[str, str]]:
    match = re.search(r"<nav class=\"mainnav\"[^>]*>(.*?)</nav>", body, re.S)
    assert match, "no main menu"
    return _links(match.group(1))


def footer_links(body: str) -> list[tuple[str, str]]:
    match = re.search(r"<footer\b[^>]*>(.*?)</footer>", body, re.S)
    assert match, "no footer"
    return _links(match.group(1))


def tiles(body: str) -> list[tuple[str, str]]:
    return [
        (tile_id, href)
        for href, tile_id in re.findall(r"<a class=\"home-tile[^\"]*\" href=\"([^\"]*)\" id=\"([^\"]*)\"", body)
    ]


@pytest.fixture
def unit() -> OrgUnit:
    return org_unit_create(name="滨州市人民政府", kind=OrgUnit.Kind.GOVERNMENT)


def client_for(who: str, unit: OrgUnit, *more_roles: str) -> Client:
    client = Client()
    if who == "anonymous":
        return client
    if who == "citizen":
        user = make_user("citizen", phone="13800138000")
    else:
        user = make_user(f"user-{who}", who, unit)
        for role in more_roles:
            user.role_assignments.create(role=role, org_unit=unit)
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", list(MENUS))
def test_each_role_sees_its_menu_in_order(who: str, unit: OrgUnit) -> None:
    body = client_for(who, unit).get(reverse("services:items")).content.decode()
    assert main_menu(body) == [(label, reverse(name)) for label, name in MENUS[who]]
    footer = PUBLIC_FOOTER if who in ("anonymous", "citizen") else FOOTER
    assert footer_links(body) == [(label, reverse(name)) for label, name in footer]


@pytest.mark.parametrize("who", list(HOMES))
def test_the_home_page_sends_each_role_to_its_work(who: str, unit: OrgUnit) -> None:
    response = client_for(who, unit).get("/")
    if HOMES[who] is None:
        assert response.status_code == 200
        assert tiles(response.content.decode()) == [(tile_id, reverse(name)) for tile_id, name in TILES[who]]
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse(str(HOMES[who]))


@pytest.mark.parametrize(
    ("roles", "home"),
    [
        ((Role.HANDLER, Role.OPERATOR), "appeals:workbench"),
        ((Role.SUPERVISOR, Role.HANDLER), "appeals:inbox"),
        ((Role.HALL_MANAGER, Role.CLERK), "applications:accept"),
        ((Role.AGENT, Role.REVIEWER), "applications:review"),
    ],
)
def test_a_person_with_several_roles_lands_on_the_first_roles_work(roles: Any, home: str, unit: OrgUnit) -> None:
    response = client_for(roles[0], unit, *roles[1:]).get("/")
    assert response["Location"] == reverse(home)


def test_several_roles_see_each_entry_once(unit: OrgUnit) -> None:
    body = client_for(Role.SUPERVISOR, unit, Role.OPERATOR).get(reverse("services:items")).content.decode()
    labels = [label for label, _href in main_menu(body)]
    assert labels == [
        "坐席工作台",
        "督办看板",
        "热点问题",
        "重点问题",
        "派单模型表现",
        "数据看板",
        "办件统计",
        "差评整改",
        "申诉复核",
        "网格管理",
    ]
