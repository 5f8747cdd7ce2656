"""Public pages of the service catalogue (no login): the 办事指南 list and search, an item's
guide, the 一件事 bundles with what they save, the catalogue figures; and the staff pages that
import and export the catalogue as an Excel workbook (管理员 and 政务大厅管理人员; others 404).

Views parse a form, call a selector or a service and render; they never save a model.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError
from huying.core.services import client_ip

from .. import selectors, services
from ..models import ServiceItem
from . import forms as f

PAGE_SIZE = 20
MANAGER_ROLES = (Role.ADMIN, Role.HALL_MANAGER)
APPLY_ITEM_URL = "/applications/apply/item/{code}/"
APPLY_BUNDLE_URL = "/applications/apply/bundle/{code}/"


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    form = f.SearchForm(request.GET or None)
    filters: dict[str, Any] = {}
    query = ""
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"] or ""
        filters = {
            "unit_id": form.cleaned_data["unit"],
            "level": form.cleaned_data["level"] or None,
            "applicant_kind": form.cleaned_data["kind"] or None,
        }
    items = selectors.item_search(query, **filters) if not form.errors else ServiceItem.objects.none()
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "services/item_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "bundles": selectors.bundle_search(query)[:6] if query else selectors.bundle_search()[:6],
            "qs": _query_without_page(request),
        },
    )


@require_GET
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = selectors.item_get(code)
    materials = [
        {"m": m, "licence_name": selectors.licence_type_name(m.licence_type_code) if m.licence_type_code else ""}
        for m in item.materials.all()
    ]
    return render(
        request,
        "services/item_detail.html",
        {
            "item": item,
            "materials": materials,
            "fields": list(item.form_fields.all()),
            "stages": selectors.item_review_stages(item),
            "has_steps": bool(item.review_steps.all()),
            "result_licence": selectors.licence_type_name(item.result_licence_type_code)
            if item.result_licence_type_code
            else "",
            "bundles": item.bundles.filter(is_active=True),
            "apply_url": APPLY_ITEM_URL.format(code=item.code),
        },
    )


@require_GET
def bundle_list(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:100]
    plans = [selectors.bundle_plan(b) for b in selectors.bundle_search(query)]
    return render(request, "services/bundle_list.html", {"plans": plans, "query": query})


@require_GET
def bundle_detail(request: HttpRequest, code: str) -> HttpResponse:
    bundle = selectors.bundle_get(code)
    plan = selectors.bundle_plan(bundle)
    materials = [
        {
            "m": m,
            "licence_name": selectors.licence_type_name(m.licence_type_code) if m.licence_type_code else "",
            "items": [i for i in plan.items if i.code in plan.material_items[m.key]],
        }
        for m in plan.materials
    ]
    return render(
        request,
        "services/bundle_detail.html",
        {
            "bundle": bundle,
            "plan": plan,
            "materials": materials,
            "apply_url": APPLY_BUNDLE_URL.format(code=bundle.code),
        },
    )


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "services/figures.html",
        {
            "cat": selectors.catalogue_figures(),
            "paperless": selectors.paperless_figures(),
            "plans": selectors.bundle_plans(),
        },
    )


# --- staff: Excel import and export ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*MANAGER_ROLES)
def manage_import(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = f.ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            report = services.catalogue_import(
                form.cleaned_data["file"], actor=request.user, ip_address=client_ip(request)
            )
        except HuyingError as exc:
            form.add_error("file", str(exc.message))
            status = exc.status
        else:
            if report.ok:
                messages.success(
                    request,
                    _("导入成功：新增 %(created)d 项、更新 %(updated)d 项事项。")
                    % {"created": report.created, "updated": report.updated},
                )
            else:
                status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "services/manage_import.html", {"form": form, "report": report}, status=status)


@require_GET
@role_required(*MANAGER_ROLES)
def manage_export(request: HttpRequest, actor: Actor) -> HttpResponse:
    content = services.catalogue_export()
    name = f"service-catalogue-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
