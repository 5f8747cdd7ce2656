"""Every response carries a Content-Security-Policy; the API docs load nothing from another host."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def directives(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/appeals/track/", "/api/v1/appeals/", "/no-such-page/"])
def test_every_response_has_the_policy(client: Any, path: str) -> None:
    policy = directives(client.get(path))
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]


def test_an_inline_script_runs_only_with_the_nonce_of_its_response(client: Any, world: Any) -> None:
    client.force_login(world.operator)
    response = client.get("/appeals/workbench/")
    assert response.status_code == 200
    nonces = [s.removeprefix("'nonce-").removesuffix("'") for s in directives(response)["script-src"] if "nonce-" in s]
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and nonces
    assert all(f'nonce="{nonces[0]}"' in attrs for attrs in inline)


def test_the_api_docs_load_nothing_from_another_host(client: Any) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(src|href)=\"(https?:)?//", html), html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None  # its own script is a separate request
    script = client.get("/api/docs/?script")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_templates_have_no_inline_handlers_or_script_urls() -> None:
    """An ``on…=`` attribute or a ``javascript:`` link is inline script: the policy blocks it."""
    found = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("huying/*/templates/**/*.html")]:
        text = path.read_text(encoding="utf-8")
        for pattern in (r"\son[a-z]+\s*=\s*[\"']", r"javascript:", r"<script(?![^>]*\b(src|nonce)=)[^>]*>"):
            if re.search(pattern, text):
                found.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert found == []
