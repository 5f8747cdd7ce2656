"""The public pages: the 百事通 map (phone first, no internet needed by default), a point's page with
its items and their guides, and a resident following a proxy case by number and SMS code."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from huying.core.errors import HuyingError, NotFound
from huying.core.params import choice_param, text_param
from huying.core.ratelimit import limit, with_headers

from .. import selectors, services
from ..models import ProxyCase, ServicePoint
from ..states import CaseStatus, Kind

TRACKED_KEY = "servicepoints_tracked"


def _filters(request: HttpRequest) -> dict[str, Any]:
    params = request.GET
    return {
        "kind": choice_param(params.get("kind"), name="kind", choices=Kind.values),
        "item": text_param(params.get("item"), name="item", max_length=40),
        "address": text_param(params.get("address"), name="address", max_length=100),
        "lon": text_param(params.get("lon"), name="lon", max_length=20),
        "lat": text_param(params.get("lat"), name="lat", max_length=20),
    }


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    """The map and, when a place is given, the nearest points (of the kind, handling the item)."""
    f = _filters(request)
    context: dict[str, Any] = {
        "f": f,
        "kinds": Kind.choices,
        "items": selectors.items_offered(),
        "tile_url": getattr(settings, "HUYING_MAP_TILE_URL", ""),
        "tile_attribution": getattr(settings, "HUYING_MAP_TILE_ATTRIBUTION", ""),
        "band_km": selectors.BAND_KM,
    }
    status = 200
    try:
        item = selectors.item_for(f["item"])
        context["item"] = item
        origin = selectors.origin_from(lon=f["lon"], lat=f["lat"], address=f["address"])
        if origin is not None:
            context["origin"] = origin
            context["results"] = selectors.nearest(origin, kind=f["kind"], item=item)
    except HuyingError as exc:
        context["error"] = exc.message
        status = exc.status
    return render(request, "servicepoints/map.html", context, status=status)


@require_GET
def points_layer(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    data = selectors.layer(kind=f["kind"], item=selectors.item_for(f["item"]))
    response = JsonResponse(data, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def outlines_layer(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(selectors.outlines(), content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def point_detail(request: HttpRequest, code: str) -> HttpResponse:
    point = ServicePoint.objects.filter(code=code[:40], is_active=True).select_related("unit").first()
    if point is None:
        raise NotFound()
    context = {"point": point, "entries": selectors.point_items(point)}
    return render(request, "servicepoints/point.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Number and phone → a code by SMS → the case's progress (same limits as appeal tracking)."""
    context: dict[str, Any] = {"number": request.GET.get("number", "")[:24]}
    if request.method == "GET":
        return render(request, "servicepoints/track.html", context)
    number = request.POST.get("number", "")[:24].strip()
    context["number"] = number
    try:
        if request.POST.get("step") == "verify":
            limit(request, "track_verify")
            case = services.case_tracking_verify(number=number, code=request.POST.get("code", ""))
            tracked = [i for i in request.session.get(TRACKED_KEY, []) if i != case.pk][-9:]
            request.session[TRACKED_KEY] = [*tracked, case.pk]
            request.session.cycle_key()
            return redirect(f"{request.path}case/?number={case.number}")
        phone = request.POST.get("phone", "")[:20]
        limit(request, "track_send", phone=phone)
        services.case_tracking_send(number=number, phone=phone)
        context["sent"] = True
    except HuyingError as exc:
        context["error"] = exc.message
        context["sent"] = request.POST.get("step") == "verify"
        return with_headers(render(request, "servicepoints/track.html", context, status=exc.status), exc)
    return render(request, "servicepoints/track.html", context)


@never_cache
@require_GET
def tracked_case(request: HttpRequest) -> HttpResponse:
    number = text_param(request.GET.get("number"), name="number", max_length=24)
    ids = [int(i) for i in request.session.get(TRACKED_KEY, [])]
    case = ProxyCase.objects.filter(pk__in=ids, number=number).select_related("point", "application", "hall").first()
    if case is None:
        raise NotFound(_("请先凭代办编号和手机验证码查询。"))
    context = {
        "case": case,
        "steps": selectors.case_timeline(case, public=True),
        "done": case.status in (CaseStatus.COLLECTED, CaseStatus.DELIVERED),
    }
    return render(request, "servicepoints/tracked_case.html", context)
