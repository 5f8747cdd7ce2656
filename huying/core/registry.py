"""Registries that let lower layers (dashboards, the page frame) use upper apps without importing them.

Apps fill these in ``AppConfig.ready()``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import apps
from django.utils.functional import Promise


class Registry:
    def __init__(self, name: str):
        self.name = name
        self._items: dict[str, Callable[..., Any]] = {}

    def register(self, key: str, item: Callable[..., Any]) -> None:
        self._items[key] = item

    def get(self, key: str) -> Callable[..., Any]:
        return self._items[key]

    def items(self) -> list[tuple[str, Callable[..., Any]]]:
        return list(self._items.items())

    @contextmanager
    def replaced(self, key: str, item: Callable[..., Any]) -> Iterator[None]:
        """``item`` under ``key`` for the block, then whatever was there before (a test's stand-in)."""
        missing = object()
        before = self._items.get(key, missing)
        self._items[key] = item
        try:
            yield
        finally:
            if before is missing:
                self._items.pop(key, None)
            else:
                self._items[key] = before  # type: ignore[assignment]


dashboard_providers = Registry("dashboard_providers")


@dataclass(frozen=True)
class DashboardPanel:
    """A grassroots loop's headline figures on the city dashboard, linking to its own figures page."""

    title: str | Promise
    figures: tuple[tuple[str | Promise, str], ...]  # (label, value as shown)
    url: str
    order: int = 100


# Grassroots loops register one per app: dashboard_panels.register(app, fn(actor) -> DashboardPanel | None);
# None where the actor may not see that loop's figures.
dashboard_panels = Registry("dashboard_panels")


class Hooks(Registry):
    """Optional extension points: a missing hook is simply not called."""

    def call(self, key: str, *args: Any, **kwargs: Any) -> Any:
        hook = self._items.get(key)
        return hook(*args, **kwargs) if hook is not None else None


# The appeal loop calls these without importing the app that fills them (huying.dispatch):
#   "suggest"(text, division) -> dict | None      category/unit suggestion for the workbench
#   "prepare"(text, division) -> object            CPU work for intake, before the write transaction opens
#   "submitted"(appeal, auto_dispatch, prepared)   indexing, suggestion, auto-dispatch (inside the intake transaction)
#   "dispatched"(appeal, user)                     the operator's final category, against the suggestion
#   "check_reply"(appeal, text) -> list[dict]      warnings on a reply that may not answer the appeal
appeal_hooks = Hooks("appeal_hooks")

# Roles on an appeal that an upper layer knows about (huying.grids: the grid's workers):
#   "roles"(actor, appeal) -> set[str]          extra roles the actor holds on this appeal
#   "visible_q"(actor) -> Q | None              extra appeals the actor may see
appeal_roles = Hooks("appeal_roles")


@dataclass(frozen=True)
class RatedAct:
    """An act of service that can be rated (好差评), as its owning loop describes it."""

    kind: str  # "application" (办件), "window_visit" (窗口服务), "appeal" (12345 工单)
    ref: str  # the act's public number
    title: str
    unit_id: int | None  # the unit that served: it verifies and rectifies a bad rating
    rater_user_id: int | None  # the person entitled to rate; None when they have no account
    rater_phone: str  # where the answer to a bad rating is sent
    occurred_at: dt.datetime
    # Users whose own act this is (the clerk who served, the reviewers who decided): never its rater.
    served_by: frozenset[int] = frozenset()


# Loops register a resolver per kind: rating_acts.get(kind)(ref) -> RatedAct | None (huying.ratings calls it).
rating_acts = Registry("rating_acts")

# huying.licences calls, without importing the apps that fill them:
#   "verified"(use)   a licence verified at a window for an application (use.application_ref set):
#                     huying.applications marks the matching material as provided by e-licence.
licence_hooks = Hooks("licence_hooks")

# Periodic idempotent checks (overdue marking, deemed acceptance, expiry...): each app registers
# sweeps.register(name, fn) with fn() -> str (a line for the log); `manage.py sweep` runs them all.
sweeps = Registry("sweeps")


# --- navigation ---------------------------------------------------------------------------------
# Who sees a menu entry or a home tile: role codes ("operator", ...) or one of these audiences.
EVERYONE = "@everyone"
STAFF = "@staff"  # anyone holding a role
PUBLIC = "@public"  # no role: a visitor or a signed-in citizen
CITIZEN = "@citizen"  # signed in, no role

MAIN_MENU = "main"
FOOTER_MENU = "footer"


@dataclass(frozen=True)
class MenuEntry:
    """A link in the page frame's main menu or footer."""

    url_name: str
    label: str | Promise
    audiences: tuple[str, ...]
    order: int
    menu: str = MAIN_MENU
    app: str = field(default="", compare=False)  # AppConfig.name of the app that provides the page


@dataclass(frozen=True)
class HomeRoute:
    """Where the home page sends a person holding ``role``; the lowest rank among their roles wins."""

    role: str
    url_name: str
    rank: int
    app: str = field(default="", compare=False)


@dataclass(frozen=True)
class HomeTile:
    """A tile on the portal home page (the page of visitors, citizens and roles without a work page)."""

    element_id: str
    url_name: str
    title: str | Promise
    text: str | Promise
    audiences: tuple[str, ...]
    order: int
    primary: bool = False
    app: str = field(default="", compare=False)


class Navigation:
    """Menus, role home pages and home tiles, each contributed by the app that owns the page.

    An app registers its entries in ``ready()``; the page frame shows only the entries of installed
    apps, so any feature app can be left out of INSTALLED_APPS. Registering the same entry again
    (``ready()`` runs again when the app registry is rebuilt) replaces it.
    """

    def __init__(self) -> None:
        self._menu: dict[tuple[str, str], MenuEntry] = {}
        self._homes: dict[str, HomeRoute] = {}
        self._tiles: dict[str, HomeTile] = {}

    def add_menu(self, app: str, *entries: MenuEntry) -> None:
        for entry in entries:
            self._menu[(entry.menu, entry.url_name)] = _owned(entry, app)

    def add_homes(self, app: str, *routes: HomeRoute) -> None:
        for route in routes:
            self._homes[route.role] = _owned(route, app)

    def add_tiles(self, app: str, *tiles: HomeTile) -> None:
        for tile in tiles:
            self._tiles[tile.element_id] = _owned(tile, app)

    def menu(self, menu: str, audiences: set[str] | frozenset[str]) -> list[MenuEntry]:
        """The entries of ``menu`` that someone in ``audiences`` sees, in order."""
        entries = [e for e in self._menu.values() if e.menu == menu and not audiences.isdisjoint(e.audiences)]
        return sorted((e for e in entries if _installed(e.app)), key=lambda e: e.order)

    def home_for(self, roles: set[str] | frozenset[str]) -> str | None:
        """The URL name of the work page of the highest-ranked role in ``roles``, if any has one."""
        routes = [r for r in self._homes.values() if r.role in roles and _installed(r.app)]
        return min(routes, key=lambda r: r.rank).url_name if routes else None

    def tiles(self, audiences: set[str] | frozenset[str]) -> list[HomeTile]:
        tiles = [t for t in self._tiles.values() if not audiences.isdisjoint(t.audiences) and _installed(t.app)]
        return sorted(tiles, key=lambda t: t.order)


_Item = TypeVar("_Item", MenuEntry, HomeRoute, HomeTile)


def _owned(item: _Item, app: str) -> _Item:
    return dataclasses.replace(item, app=app)


def _installed(app: str) -> bool:
    return not app or apps.is_installed(app)


navigation = Navigation()


@dataclass(frozen=True)
class PointClaim:
    """Something a loop says may earn points (积分), as that loop describes it. huying.points decides
    which scheme item it matches, applies caps and dedup, and reviews it before any credit."""

    source: str  # the loop: "appeal" (随手拍/web appeal closed as valid), "volunteer_hours", "opinion_adopted", ...
    ref: str  # the source record's public number; (source, ref, item) is the claim's idempotency key
    user_id: int  # the person who earns
    item: str  # the scheme item's code, e.g. "report_valid", "volunteer_hour"
    quantity: float = 1.0  # units of the item (hours, reports)
    occurred_at: dt.datetime | None = None
    place: str = ""  # for dedup keys (same place + same category + same day)
    category: str = ""
    evidence: str = ""


# Loops hand claims to huying.points without importing it: point_claims.call("submit", PointClaim(...)).
point_claims = Hooks("point_claims")

# Apps beside huying.community (deputies' receptions) hand it a shared matter as a topic (议题):
#   "raise"(actor=, unit_id=, title=, text=, source_ref=) -> str | None   the topic's number (source: deputy);
#   the actor is the deputy (DEPUTY role) or the community's staff; None when the unit has no self-governance set up.
community_topics = Hooks("community_topics")


@dataclass(frozen=True)
class PointFeed:
    """A place another loop runs (an elderly canteen) that the service-point register shows on its map."""

    source: str  # the loop: "canteens"
    ref: str  # the loop's key for the place; (source, ref) names one point
    name: str
    kind: str  # a huying.servicepoints kind, e.g. "canteen"
    address: str
    longitude: float
    latitude: float
    hours: str = ""
    contact_phone: str = ""
    unit_id: int | None = None
    active: bool = True


# Loops keep their places on the service-point map without importing it:
#   service_points.call("feed", PointFeed(...))    create, change or retire the place's point
service_points = Hooks("service_points")

# Figures read when /metrics is scraped (huying.core.metrics): apps register name -> fn() -> (help, number),
# e.g. the appeal loop's overdue orders. One failing figure is left out of that scrape, not the others.
metric_gauges = Registry("metric_gauges")
