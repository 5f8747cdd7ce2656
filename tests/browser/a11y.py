"""axe-core on every page the browser tests see (GB/T 37668-2019 follows WCAG 2.x A/AA).

Each page a test drives is audited the first time the test touches it after a load, at every
screenshot and when the test ends; then each distinct GET page is opened once more in English
(language cookie) and audited there too. Violations of impact serious or critical fail the test.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = frozenset({"serious", "critical"})
# Calls on a page before and after which a freshly loaded document gets its audit.
WATCHED = [
    "goto",
    "reload",
    "go_back",
    "go_forward",
    "wait_for_load_state",
    "wait_for_url",
    "wait_for_function",
    "wait_for_selector",
    "wait_for_timeout",
    "click",
    "dblclick",
    "fill",
    "type",
    "press",
    "check",
    "uncheck",
    "select_option",
    "set_input_files",
    "hover",
    "focus",
    "tap",
    "dispatch_event",
    "locator",
    "get_by_role",
    "get_by_text",
    "get_by_label",
    "get_by_placeholder",
    "get_by_test_id",
    "inner_text",
    "text_content",
    "input_value",
    "get_attribute",
    "is_visible",
    "title",
    "content",
    "query_selector",
    "query_selector_all",
    "evaluate",
    "screenshot",
]
# Third-party screens for administrators and integrators, not pages of ours: Django's admin and the
# Swagger UI of the API (developer tooling, shown as its authors ship it).
NOT_AUDITED = ("/admin/", "/api/docs/")
DIGEST_JS = "() => [document.documentElement.lang, document.documentElement.outerHTML]"
# CSRF and QR tokens differ per context and per load; the same page with other tokens needs no second run.
TOKENS = re.compile(r"[A-Za-z0-9_\-:.]{32,}")
RUN_JS = "async (options) => { const r = await axe.run(document, options); return r.violations; }"


@dataclass(frozen=True)
class Finding:
    rule: str
    impact: str
    help: str
    target: str
    url: str
    lang: str
    detail: str = ""

    def __str__(self) -> str:
        detail = f" [{self.detail}]" if self.detail else ""
        return f"[{self.impact}] {self.rule} on {self.url} ({self.lang}): {self.target} — {self.help}{detail}"


@dataclass
class Audit:
    """What one test's pages got from axe."""

    findings: list[Finding] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)  # (lang, digest of a document, less its tokens)
    audited: set[tuple[int, str, str]] = field(default_factory=set)
    runs: int = 0
    log: list[str] = field(default_factory=list)  # "lang path" of every axe run, in order
    seconds: float = 0.0
    get_urls: dict[int, list[str]] = field(default_factory=dict)
    contexts: list[Any] = field(default_factory=list)

    # -- watching pages ---------------------------------------------------------------------------
    def watch(self, page: Any) -> Any:
        """Audit `page` lazily: its load flags it, the test's next call on it runs axe."""
        context = page.context
        if context not in self.contexts:
            self.contexts.append(context)
            self.get_urls[id(context)] = []
        state = {"dirty": False}
        urls = self.get_urls[id(context)]

        def on_load(_page: Any) -> None:
            state["dirty"] = True

        def on_response(response: Any) -> None:
            request = response.request
            if (
                request.method == "GET"
                and request.is_navigation_request()
                and response.status == 200
                and response.headers.get("content-type", "").startswith("text/html")
                and response.url not in urls
            ):
                urls.append(response.url)

        def flush() -> None:
            if state["dirty"] and not page.is_closed():
                state["dirty"] = False
                self.check(page)

        page.on("load", on_load)
        page.on("response", on_response)
        for name in WATCHED:
            setattr(page, name, _around(getattr(page, name), flush))
        page.a11y_flush = flush
        page.a11y_audit = self
        return page

    # -- running axe ------------------------------------------------------------------------------
    def check(self, page: Any, *, state: bool = False) -> None:
        """Run axe on the document as it is now. A freshly loaded page is audited once per context,
        language and URL; a `state` the test points at (a screenshot, the end) whenever it differs
        from every document audited so far."""
        url = page.url
        if not url.startswith("http") or urlsplit(url).path.startswith(NOT_AUDITED):
            return
        started = time.monotonic()
        try:
            lang, html = _evaluate(page, DIGEST_JS)
            where = (id(page.context), lang, url)
            digest = (lang, hashlib.sha1(TOKENS.sub("", html).encode()).hexdigest())
            if digest in self.seen or (where in self.audited and not state):
                self.audited.add(where)
                return
            if not _evaluate(page, "() => typeof window.axe === 'object'"):
                _evaluate(page, AXE_SCRIPT)
            violations = _evaluate(page, RUN_JS, AXE_OPTIONS)
        except Exception as exc:
            # The page moved on meanwhile (its document may be gone, or not there yet): its next
            # load is audited instead.
            if any(m in str(exc) for m in ("context was destroyed", "navigat", "of null")):
                return
            raise
        finally:
            self.seconds += time.monotonic() - started
        self.seen.add(digest)
        self.audited.add(where)
        self.runs += 1
        path = _path(url)
        self.log.append(f"{lang} {path}")
        for violation in violations:
            if violation["impact"] not in FAILING_IMPACTS:
                continue
            for node in violation["nodes"]:
                target = " ".join(str(t) for t in node["target"])
                finding = Finding(
                    violation["id"], violation["impact"], violation["help"], target, path, lang, _detail(node)
                )
                if finding not in self.findings:
                    self.findings.append(finding)

    def finish(self) -> None:
        """Audit what every page shows now, then each GET page again in English."""
        for context in self.contexts:
            for page in list(context.pages):
                if getattr(page, "a11y_audit", None) is self:
                    self.check(page, state=True)
        for context in self.contexts:
            urls = self.get_urls[id(context)]
            if not urls:
                continue
            page = context.new_page()
            # A page that moved on before its audit (a redirect straight after a click) is opened again.
            for url in urls:
                if not any(seen[0] == id(context) and seen[2] == url for seen in self.audited):
                    page.goto(url)
                    self.check(page)
            site = urlsplit(urls[0])  # a cookie set for a page's URL would be limited to that page's path
            cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": f"{site.scheme}://{site.netloc}/"}
            context.add_cookies([cookie])
            for url in urls:
                page.goto(url)
                self.check(page)
            page.close()

    def report(self) -> str:
        lines = [f"{len(self.findings)} serious/critical accessibility violation(s) (axe-core, WCAG 2.x A/AA):"]
        lines += [f"  {finding}" for finding in self.findings]
        return "\n".join(lines)


def _around(method: Callable[..., Any], flush: Callable[[], None]) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        flush()
        result = method(*args, **kwargs)
        flush()
        return result

    return wrapped


def _evaluate(page: Any, script: str, arg: Any = None) -> Any:
    """The page's own evaluate, past the watch wrapper."""
    return type(page).evaluate(page, script, arg)


def _detail(node: dict[str, Any]) -> str:
    """Colours and ratio for a contrast failure; nothing for the other rules."""
    for check in node.get("any", []):
        data = check.get("data")
        if isinstance(data, dict) and "contrastRatio" in data:
            return (
                f"{data.get('fgColor')} on {data.get('bgColor')} = {data.get('contrastRatio')}:1, "
                f"needs {data.get('expectedContrastRatio')}"
            )
    return ""


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
