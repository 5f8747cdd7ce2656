"""Assertions and URLs shared by the API tests."""

from __future__ import annotations

from typing import Any

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    """Assert an application/problem+json error with this status and code; return its body."""
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert body["status"] == status
    assert {"type", "title", "detail"} <= body.keys()
    return body


def url(path: str) -> str:
    return f"/api/v1/{path}"


def action_url(appeal: Any, action: str) -> str:
    pk = appeal if isinstance(appeal, int) else appeal.pk
    return url(f"appeals/{pk}/actions/{action}/")
