"""Open311 GeoReport v2 at /open311/v2/: services, service definitions, requests (list, one, submit).

Plain Django views (the specification fixes the field names, the XML shape and the error list, which
DRF's problem+json does not speak). POST takes the specification's form fields (or the same as JSON)
and ``api_key``; ``Idempotency-Key`` (a UUID header) makes a retried submission answer with the first.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from huying.core.errors import HuyingError, ValidationFailed

from .. import services
from .formats import error, respond


def answers_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A HuyingError becomes the specification's error list, in the asked format, with its status."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except HuyingError as exc:
            fields = [f"{name}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for name, v in exc.data.items()]
            return error(fmt, exc.status, *(fields or [str(exc.message)]))

    return wrapper


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The page other cities' developers read: the endpoints and how to get a key."""
    return render(request, "open311/index.html", {"services": services.services_list()[:200]})


@require_GET
@answers_errors
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    data = [services.service_fields(c) for c in services.services_list()]
    return respond(fmt, data, root="services", item="service")


@require_GET
@answers_errors
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = services.service_get(code)
    return respond(fmt, {"service_code": category.code, "attributes": []}, root="service_definition", item=None)


def _params(request: HttpRequest) -> dict[str, str]:
    if (request.content_type or "").startswith("application/json"):
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            raise ValidationFailed(_("请求体不是有效的 JSON。")) from None
        if not isinstance(body, dict):
            raise ValidationFailed(_("请求体应为 JSON 对象。"))
        return {str(k): str(v) for k, v in body.items() if v is not None}
    return {k: request.POST.get(k, "") for k in request.POST}


@csrf_exempt  # third-party clients authenticate with api_key, not a browser session
@require_http_methods(["GET", "POST"])
@answers_errors
def request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        params = _params(request)
        client = services.client_for_key(params.get("api_key"))
        done = services.request_submit(client, params, request.headers.get("Idempotency-Key"))
        notice = _("已受理登记，工单编号 %(number)s。") % {"number": done.appeal.number}
        body = [{"service_request_id": done.appeal.number, "service_notice": notice, "account_id": None}]
        return respond(fmt, body, root="service_requests", item="request", status=201 if done.created else 200)
    found = services.requests_find({k: request.GET.get(k, "") for k in request.GET})
    return respond(fmt, [services.request_fields(a) for a in found], root="service_requests", item="request")


@require_GET
@answers_errors
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    appeal = services.request_get(request_id)
    return respond(fmt, [services.request_fields(appeal)], root="service_requests", item="request")
