"""The accessibility gate itself: a page with known faults is reported with rule, element and page."""

from __future__ import annotations

from typing import Any

import pytest

from .a11y import Audit

pytestmark = [pytest.mark.browser]

FAULTY = """<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>有问题的页面</title></head>
<body><main><h1>有问题的页面</h1>
<p id="grey" style="color:#6b7280;background:#f1f3f5">灰色小字 4.3:1</p>
<input id="nameless" name="q">
<div id="narrow" style="overflow:auto;width:80px"><p style="width:300px">比区域宽的表格内容</p></div>
</main></body></html>"""


def test_the_gate_reports_what_axe_finds(browser: Any) -> None:
    audit = Audit()
    context = browser.new_context()
    try:
        page = audit.watch(context.new_page())
        page.route(
            "http://gate.test/**",
            lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=FAULTY),
        )
        page.goto("http://gate.test/faulty/")
        page.title()  # the test's next call on a freshly loaded page audits it
        assert audit.runs == 1
        found = {(f.rule, f.target) for f in audit.findings}
        assert ("color-contrast", "#grey") in found
        assert ("label", "#nameless") in found
        assert ("scrollable-region-focusable", "#narrow") in found
        report = audit.report()
        assert "color-contrast on /faulty/ (zh-hans): #grey" in report and "4.3" in report
        page.title()  # nothing new loaded: no second run
        assert audit.runs == 1
    finally:
        context.close()
