"""core.registry.navigation: entries in order, per audience, only of installed apps."""

from __future__ import annotations

from django.conf import settings
from django.test import override_settings

from huying.core.registry import EVERYONE, FOOTER_MENU, STAFF, HomeRoute, HomeTile, MenuEntry, Navigation


def _registry() -> Navigation:
    nav = Navigation()
    nav.add_menu(
        "huying.appeals",
        MenuEntry("appeals:board", "督办看板", ("supervisor", "operator"), order=120),
        MenuEntry("appeals:workbench", "坐席工作台", ("operator",), order=100),
    )
    nav.add_menu("huying.dashboards", MenuEntry("dashboards:index", "数据看板", (STAFF,), order=200))
    nav.add_menu("huying.dispatch", MenuEntry("dispatch:hot_issues", "热点问题", ("operator",), order=130))
    nav.add_menu("huying.ratings", MenuEntry("ratings:figures", "好差评公开", (EVERYONE,), order=30, menu=FOOTER_MENU))
    nav.add_homes(
        "huying.appeals",
        HomeRoute("operator", "appeals:workbench", rank=10),
        HomeRoute("supervisor", "appeals:board", rank=30),
    )
    nav.add_tiles("huying.appeals", HomeTile("home-new", "appeals:new", "我要反映", "", (EVERYONE,), 10, primary=True))
    return nav


def test_a_menu_lists_what_an_audience_sees_in_order() -> None:
    nav = _registry()
    operator = {"operator", STAFF, EVERYONE}
    assert [e.url_name for e in nav.menu("main", operator)] == [
        "appeals:workbench",
        "appeals:board",
        "dispatch:hot_issues",
        "dashboards:index",
    ]
    assert [e.url_name for e in nav.menu("main", {"supervisor", STAFF})] == ["appeals:board", "dashboards:index"]
    assert [e.url_name for e in nav.menu(FOOTER_MENU, operator)] == ["ratings:figures"]
    assert nav.menu("main", {EVERYONE}) == []


def test_registering_again_replaces_the_entry() -> None:
    nav = _registry()
    nav.add_menu("huying.dispatch", MenuEntry("dispatch:hot_issues", "热点", ("operator",), order=130))
    labels = [e.label for e in nav.menu("main", {"operator"})]
    assert labels == ["坐席工作台", "督办看板", "热点"]


def test_the_highest_ranked_role_picks_the_home_page() -> None:
    nav = _registry()
    assert nav.home_for({"supervisor", "operator"}) == "appeals:workbench"
    assert nav.home_for({"supervisor"}) == "appeals:board"
    assert nav.home_for({"clerk"}) is None
    assert nav.home_for(set()) is None


def test_an_app_left_out_of_installed_apps_has_no_entries() -> None:
    nav = _registry()
    without = [app for app in settings.INSTALLED_APPS if app not in ("huying.dispatch", "huying.dashboards")]
    with override_settings(INSTALLED_APPS=without):
        assert [e.url_name for e in nav.menu("main", {"operator", STAFF})] == ["appeals:workbench", "appeals:board"]
    assert len(nav.menu("main", {"operator", STAFF})) == 4
    assert [t.element_id for t in nav.tiles({EVERYONE})] == ["home-new"]
