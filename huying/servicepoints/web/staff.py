"""Staff pages: the points a person keeps (edit, items, Excel import) and the figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError, NotFound

from .. import selectors, services
from ..importing import COLUMNS, codes, import_points
from ..models import ServicePoint
from ..permissions import FIGURES, KEEPERS, editable_points_q, may_edit, may_import
from ..services.proxy import proxy_figures
from ..states import Kind


@role_required(*KEEPERS)
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, actor: Actor) -> HttpResponse:
    points = ServicePoint.objects.filter(editable_points_q(actor)).distinct().order_by("kind", "code")[:500]
    context: dict[str, Any] = {"points": points, "may_import": may_import(actor), "columns": [h for h, _f in COLUMNS]}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("请选择要导入的 Excel 文件。")
            status = 400
        else:
            try:
                report = import_points(actor=actor, file=upload)
            except HuyingError as exc:
                context["error"] = exc.message
                status = exc.status
            else:
                context["report"] = report
                status = 200 if report.ok else 400
    return render(request, "servicepoints/manage.html", context, status=status)


def _items_text(point: ServicePoint, mode: str) -> str:
    return "、".join(e.item.code for e in selectors.point_items(point) if getattr(e, mode))


@role_required(*KEEPERS)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, actor: Actor, code: str) -> HttpResponse:
    point = ServicePoint.objects.filter(code=code[:40]).first()
    if point is None or not may_edit(actor, point):
        raise NotFound()
    context: dict[str, Any] = {"point": point, "kinds": Kind.choices}
    values = {
        "code": point.code,
        "name": point.name,
        "kind": point.kind,
        "address": point.address,
        "longitude": point.longitude,
        "latitude": point.latitude,
        "hours": point.hours,
        "windows": point.windows,
        "contact_phone": point.contact_phone,
        **{mode: _items_text(point, mode) for mode in ("accepts", "guides", "proxies")},
    }
    if request.method == "POST":
        values = {k: request.POST.get(k, "")[:2000] for k in values}
        try:
            services.point_save(actor=actor, data=values, point=point)
            services.point_set_items(
                actor=actor, point=point, **{m: codes(values[m]) for m in ("accepts", "guides", "proxies")}
            )
            photo = request.FILES.get("photo")
            if photo is not None:
                point.photo.save((photo.name or "photo.jpg")[-80:], photo, save=True)
        except HuyingError as exc:
            point.refresh_from_db()
            context.update(values=values, error=exc.message, errors=exc.data)
            return render(request, "servicepoints/edit.html", context, status=exc.status)
        messages.success(request, _("服务点信息已保存。"))
        return redirect("servicepoints:edit", code=point.code)
    context["values"] = values
    return render(request, "servicepoints/edit.html", context)


@role_required(*FIGURES)
@require_GET
def figures(request: HttpRequest, actor: Actor) -> HttpResponse:
    context = {"coverage": selectors.coverage(), "proxy": proxy_figures(), "band_km": selectors.BAND_KM}
    return render(request, "servicepoints/figures.html", context)
