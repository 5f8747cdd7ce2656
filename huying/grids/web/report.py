"""随手拍 from a phone: an installable page (manifest and service worker) that queues reports while
offline and resends each with the key the phone made, so a retry never files a second appeal."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from huying.accounts.selectors import actor_for
from huying.appeals.models import Category
from huying.core.errors import HuyingError

from ..services.report import report_submit

KEY_HEADER = "HTTP_X_IDEMPOTENCY_KEY"


def _category(value: str) -> Category | None:
    return Category.objects.filter(pk=value, is_active=True).first() if value.isdigit() else None


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "categories": Category.objects.filter(is_active=True, parent__isnull=False).order_by("code"),
        "key": str(uuid.uuid4()),
        "form": request.POST if request.method == "POST" else {},
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "grids/report.html", _context(request))
    data = request.POST
    try:
        result = report_submit(
            actor=actor_for(request.user),
            key=request.META.get(KEY_HEADER) or data.get("idempotency_key", ""),
            photo=request.FILES.get("photo"),  # type: ignore[arg-type]
            latitude=data.get("latitude", ""),
            longitude=data.get("longitude", ""),
            text=data.get("text", ""),
            category=_category(data.get("category", "")),
        )
    except HuyingError as exc:
        if _wants_json(request):
            body = {"code": exc.code, "detail": str(exc.message), "errors": exc.data}
            return JsonResponse(body, status=exc.status, json_dumps_params={"ensure_ascii": False})
        return render(request, "grids/report.html", _context(request, error=exc), status=exc.status)
    number = result.appeal.number
    if _wants_json(request):
        return JsonResponse({"number": number, "created": result.created}, status=201 if result.created else 200)
    return render(request, "grids/report.html", _context(request, number=number))


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    body = {
        "name": _("随手拍 · 网格上报"),
        "short_name": _("随手拍"),
        "lang": "zh-CN",
        "start_url": reverse("grids:report"),
        "scope": reverse("grids:report"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b91c1c",
        "icons": [{"src": static("grids/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    text = json.dumps(body, ensure_ascii=False)
    return HttpResponse(text, content_type="application/manifest+json; charset=utf-8")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served at /grids/sw.js: its default scope (/grids/) covers the report page."""
    path = finders.find("grids/sw.js")
    with open(str(path), encoding="utf-8") as handle:
        response = HttpResponse(handle.read(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
