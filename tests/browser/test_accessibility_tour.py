"""Every page a role reaches from the menu, with the demo data behind it, passes axe-core (WCAG 2.x A/AA,
as GB/T 37668-2019 asks of government sites) in Chinese and in English: the conftest audits each page
this tour opens. Besides the menu pages, the first record a list links to is opened too."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from huying.demo.builders.appeals_structure import DEMO_ACCOUNTS, DEMO_PASSWORD, HALL_ACCOUNTS

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = (
    "demo",
    "--appeals",
    "40",
    "--licences",
    "5",
    "--hall-days",
    "2",
    "--applications",
    "12",
    "--ratings-per-kind",
    "3",
)
PUBLIC = [
    "/",
    "/services/",
    "/services/bundles/",
    "/appeals/new/",
    "/appeals/track/",
    "/ratings/figures/",
    "/no-such-page/",
]
# Menu links this tour leaves alone: downloads, and pages another browser test drives step by step.
SKIP = ("/dashboard/export/", "/admin/")


def _first_record(page: Any) -> str | None:
    """The first link into a record from the list on this page, if any."""
    links = page.locator("main table a[href^='/'], main ul a[href^='/']")
    for i in range(min(links.count(), 5)):
        href = links.nth(i).get_attribute("href") or ""
        if href and not href.startswith(SKIP) and "?" not in href and href != page.url:
            return href
    return None


def test_every_menu_page_passes_axe(new_page: Any) -> None:
    with open("/dev/null", "w") as quiet:
        call_command(*DEMO, stdout=quiet)

    anonymous = new_page(mobile=True)
    for path in PUBLIC:
        anonymous.goto(path)

    # One account per role; a menu page two roles share is toured by the first of them only.
    roles: dict[str, str] = {a.role: a.username for a in reversed(DEMO_ACCOUNTS) if a.role != "superuser"}
    usernames = [*roles.values(), *(username for username, _pages in HALL_ACCOUNTS if username != "shenpi_renshe")]
    toured: set[str] = set(PUBLIC)
    for username in usernames:
        page = new_page(mobile=username == "citizen")
        login(page, username, DEMO_PASSWORD)
        menu = page.locator(".mainnav a")
        paths = [menu.nth(i).get_attribute("href") or "" for i in range(menu.count())]
        for path in dict.fromkeys(p for p in paths if p and not p.startswith(SKIP) and p not in toured):
            toured.add(path)
            page.goto(path)
            record = _first_record(page)
            if record:
                page.goto(record)
