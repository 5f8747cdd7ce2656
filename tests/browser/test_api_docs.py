"""The API documentation page works offline and within the Content-Security-Policy: Swagger UI comes
from our static files (drf-spectacular-sidecar) and its start-up script is a separate request."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_from_our_own_files(new_page: Any, live_server: Any) -> None:
    page = new_page()
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "huying" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag")  # the operations, from /api/schema/
    assert hosts == {live_server.url.split("/")[2]}
