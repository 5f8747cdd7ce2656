"""Every request has an id (X-Request-ID); a server error is logged with it and the 500 page shows it;
production logging writes errors to stderr with the id."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings

from huying.core import request_id
from huying.core.request_id import RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(caplog: pytest.LogCaptureFixture) -> Any:
    caplog.handler.addFilter(RequestIdFilter())
    caplog.set_level(logging.ERROR, logger="django.request")
    return caplog


@override_settings(ROOT_URLCONF="tests.security.boom_urls", DEBUG=False)
def test_a_failing_view_is_logged_with_the_request_id_and_the_page_shows_it(records: Any) -> None:
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    rid = response[request_id.HEADER]
    assert len(rid) >= 8
    html = response.content.decode()
    assert "错误编号" in html and rid in html
    logged = [r for r in records.records if r.name == "django.request" and r.levelno >= logging.ERROR]
    assert logged, "the server error was not logged"
    assert logged[-1].request_id == rid and logged[-1].exc_info is not None


@override_settings(ROOT_URLCONF="tests.security.boom_urls", DEBUG=False)
def test_a_sane_incoming_request_id_is_kept_and_an_insane_one_replaced(records: Any) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_X_REQUEST_ID="edge-4f2a9c01-77")
    assert response[request_id.HEADER] == "edge-4f2a9c01-77" and "edge-4f2a9c01-77" in response.content.decode()
    for hostile in ("x", "<script>alert(1)</script>", "a" * 200, "id with spaces\nforged log line"):
        response = client.get("/", HTTP_X_REQUEST_ID=hostile)
        assert response[request_id.HEADER] != hostile and request_id.accepted_or_new(hostile) != hostile
    assert Client().get("/")[request_id.HEADER] != Client().get("/")[request_id.HEADER]


def test_query_strings_with_nul_bytes_or_huge_values_are_a_400() -> None:
    client = Client()
    assert client.get("/services/?q=a%00b").status_code == 400
    response = client.get("/api/v1/services/items/?q=a%00b")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert client.get("/services/?q=" + "x" * 5000).status_code == 400
    assert client.get("/services/?q=ok").status_code == 200


def test_production_logging_writes_errors_with_the_request_id_to_stderr() -> None:
    """config.settings.prod, in a process of its own: a failing view's traceback reaches stderr with the id."""
    script = """
import django
from unittest import mock
django.setup()
import huying.accounts.web.views as views
from django.test import Client
with mock.patch.object(views, "home", side_effect=RuntimeError("boom in production")):
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="localhost", secure=True)
print("STATUS", response.status_code, response["X-Request-ID"])
"""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "test-only-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": "localhost",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert "STATUS 500" in done.stdout, done.stdout + done.stderr
    rid = done.stdout.split("STATUS 500", 1)[1].split()[0]
    # One JSON object per line (HUYING_LOG_FORMAT=json, the default): the error's line carries the id.
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    errors = [line for line in lines if line.get("request_id") == rid and line["level"] == "ERROR"]
    assert errors and "RuntimeError: boom in production" in errors[0]["exc_info"], done.stderr
