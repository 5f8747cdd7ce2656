"""Playwright against Debian's Chromium, driving the real pages served by live_server."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .a11y import Audit

# Playwright's sync API runs an event loop in this thread; the ORM calls the test makes between
# page actions are ordinary blocking calls, so tell Django they are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("HUYING_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh (make test-browser does)")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def _migration_data(transactional_db: Any) -> None:
    """live_server tests flush the database after each test, which also empties the rows the data
    migrations loaded; put back the ones the pages rely on."""
    from django.apps import apps

    from huying.licences.services import licence_types_load

    licence_types_load()
    if apps.is_installed("huying.grids"):
        from huying.grids.defaults import load_defaults
        from huying.grids.models import DutyType, Tag

        load_defaults(DutyType, Tag)
    if apps.is_installed("huying.community"):
        from huying.community.models import CatalogueItem
        from huying.community.rules import load_catalogue

        load_catalogue(CatalogueItem)


@pytest.fixture
def a11y_audit() -> Audit:
    """axe-core's findings on this test's pages; pytest_runtest_call below fails the test on them."""
    return Audit()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    result = yield  # a test that failed on its own keeps that failure
    audit = getattr(item, "funcargs", {}).get("a11y_audit")
    if isinstance(audit, Audit):
        during_test, started = audit.seconds, time.monotonic()
        audit.finish()  # the end states, then the English pages
        seconds = during_test + time.monotonic() - started
        pages = "\n".join(f"  {line}" for line in audit.log)
        item.add_report_section("call", "axe", f"{audit.runs} axe runs, {seconds:.2f}s (English included):\n{pages}\n")
        if audit.findings:
            pytest.fail(audit.report(), pytrace=False)
    return result


@pytest.fixture
def new_page(browser: Any, live_server: Any, a11y_audit: Audit) -> Iterator[Any]:
    """Open a fresh browser context (its own cookies) per role; all closed at the end. Every page
    is audited with axe-core (see a11y.py), and a page that breaks the Content-Security-Policy (an
    inline script or handler without the nonce) fails the test."""
    contexts: list[Any] = []
    violations: list[str] = []

    def factory(*, mobile: bool = False) -> Any:
        viewport = {"width": 390, "height": 844} if mobile else {"width": 1366, "height": 900}
        context = browser.new_context(viewport=viewport, locale="zh-CN", base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        return a11y_audit.watch(page)

    yield factory
    for context in contexts:
        context.close()
    assert not violations, f"Content-Security-Policy violations: {violations}"


def login(page: Any, username: str, password: str = "pass-1234-huying") -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def screenshot(page: Any, name: str) -> None:
    """Save the page for people to look at; what it shows is audited first."""
    audit = getattr(page, "a11y_audit", None)
    if audit is not None:
        audit.check(page, state=True)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
