"""The page frame's menus and the home page, read from ``core.registry.navigation``.

Every app registers its own entries in ``AppConfig.ready()``: the frame names no app's pages, so an
app left out of INSTALLED_APPS simply has no entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise

from huying.core.registry import CITIZEN, EVERYONE, PUBLIC, STAFF, navigation

from ..roles import Role
from ..selectors import Actor


@dataclass(frozen=True)
class Link:
    label: str | Promise
    href: str
    current: bool  # the page being shown: aria-current="page"


@dataclass(frozen=True)
class Tile:
    element_id: str
    href: str
    title: str | Promise
    text: str | Promise
    primary: bool


def role_names(actor: Actor) -> set[str]:
    """The actor's roles; a superuser holding none is the system's administrator (not a citizen)."""
    roles = actor.role_names()
    if not roles and getattr(actor.user, "is_superuser", False):
        roles = {str(Role.ADMIN)}
    return roles


def audiences(actor: Actor) -> frozenset[str]:
    """The actor's roles and the audiences they belong to (core.registry: EVERYONE, STAFF, PUBLIC, CITIZEN)."""
    roles = role_names(actor)
    extra = {EVERYONE, STAFF if roles else PUBLIC}
    if actor.is_authenticated and not roles:
        extra.add(CITIZEN)
    return frozenset(roles | extra)


def menu_links(request: HttpRequest, actor: Actor, menu: str) -> list[Link]:
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match is not None else None
    return [
        Link(label=entry.label, href=reverse(entry.url_name), current=entry.url_name == current)
        for entry in navigation.menu(menu, audiences(actor))
    ]


def home_tiles(actor: Actor) -> list[Tile]:
    return [
        Tile(element_id=t.element_id, href=reverse(t.url_name), title=t.title, text=t.text, primary=t.primary)
        for t in navigation.tiles(audiences(actor))
    ]


def home_url_name(actor: Actor) -> str | None:
    """The work page the home page sends this actor to; None for the portal page."""
    return navigation.home_for(role_names(actor))
