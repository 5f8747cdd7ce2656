"""Every query parameter a page or an API reads, with hostile values, as a staff user and anonymously:
never a server error (a clear 400, or the parameter ignored)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from django.conf import settings
from django.test import Client

from huying.halls.models import Hall

from .walk import urls

pytestmark = pytest.mark.django_db

HOSTILE = [
    "99999999999999999999999",
    "2147483648",
    "-1",
    "0",
    "9999-12",
    "0000-00",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "abc",
    "1e400",
    "x" * 10_000,
    "a\x00b",
]

# Query parameters of pages (route → names): every request.GET read in the views.
PAGE_PARAMS = {
    "/dashboard/": ["from", "to"],
    "/dashboard/export.xlsx": ["from", "to"],
    "/dispatch/hot/": ["days"],
    "/dispatch/key-problems/new/": ["phone", "appeal"],
    "/hall/{hall}/take/": ["q", "channel"],
    "/hall/{hall}/figures/": ["start", "end"],
    "/hall/planner/": ["windows", "name_0", "arrivals_0"],
    "/appeals/inbox/": ["page"],
    "/appeals/board/": ["page"],
    "/appeals/mine/": ["page"],
    "/appeals/track/": ["number"],
    "/appeals/suggest-unit/": ["category", "division", "urgency"],
    "/ratings/rate/": ["kind", "ref", "channel"],
    "/ratings/cases/": ["status", "page"],
    "/ratings/complaints/": ["status", "page"],
    "/ratings/figures/": ["month", "kind"],
    "/services/": ["q", "unit", "level", "kind", "page"],
    "/services/bundles/": ["q"],
    "/accounts/login/": ["next"],
    "/applications/mine/": ["page"],
    "/applications/accept/": ["q", "item", "bundle"],
    "/applications/figures/": ["start", "end"],
    "/licences/uses/": ["page"],
    "/licences/verify/": ["application", "item"],
}
API_EXTRA = {"/api/v1/dispatch/hot-issues/": ["days"], "/api/v1/applications/": ["page"]}


def api_params() -> dict[str, list[str]]:
    with open(settings.BASE_DIR / "docs" / "openapi.yaml", encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    found: dict[str, list[str]] = {}
    for path, ops in doc["paths"].items():
        names = [p["name"] for p in (ops.get("get") or {}).get("parameters", []) if p.get("in") == "query"]
        if names:
            found[path.replace("{hall_id}", "{hall}")] = names
    for path, names in API_EXTRA.items():
        found[path] = sorted(set(found.get(path, [])) | set(names))
    return found


def test_hostile_query_parameters_never_give_a_server_error(everyone: Any) -> None:
    hall = str(Hall.objects.order_by("pk").values_list("pk", flat=True).first())
    targets = {**PAGE_PARAMS, **api_params()}
    assert len(targets) >= 30
    failures: list[str] = []
    staff = Client(raise_request_exception=False)
    staff.force_login(everyone)
    for who, client in (("staff", staff), ("anonymous", Client(raise_request_exception=False))):
        for path, names in targets.items():
            path = path.replace("{hall}", hall)
            for name in names:
                for value in HOSTILE:
                    response = client.get(f"{path}?{urlencode({name: value})}")
                    if response.status_code >= 500:
                        failures.append(f"{who} {path}?{name}={value[:20]!r}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_every_page_and_endpoint_answers_without_a_server_error(everyone: Any) -> None:
    """The same walk with a page number and a stray parameter on every URL the configuration has."""
    staff = Client(raise_request_exception=False)
    staff.force_login(everyone)
    failures = []
    for url in urls():
        for client in (staff, Client(raise_request_exception=False)):
            response = client.get(f"{url}?page=99999999999999999999&x=%00")
            if response.status_code >= 500:
                failures.append(f"{url}: {response.status_code}")
    assert not failures, "\n".join(failures)
