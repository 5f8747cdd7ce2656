"""The village clerk's pages: their centres and cases, filing a proxy item for a resident, and handing
the window's result back (collected at the centre or delivered)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.applications.services import plan_for
from huying.core.errors import HuyingError, NotFound

from .. import selectors, services
from ..models import PointItem, ProxyCase, ServicePoint
from ..permissions import centres_of, posted_at
from ..states import CASE_TRANSITIONS, CLERK, IdentityCheck


@role_required(Role.VILLAGE_CLERK)
@require_GET
def workbench(request: HttpRequest, actor: Actor) -> HttpResponse:
    centres = centres_of(actor)
    cases = ProxyCase.objects.filter(point__in=centres).select_related("point", "application")[:200]
    return render(request, "servicepoints/proxy.html", {"centres": centres, "cases": cases})


def _centre(actor: Actor, code: str) -> ServicePoint:
    point = ServicePoint.objects.filter(code=code[:40], is_active=True).first()
    if point is None or not posted_at(actor, point):
        raise NotFound()
    return point


@role_required(Role.VILLAGE_CLERK)
@require_http_methods(["GET", "POST"])
def file_case(request: HttpRequest, actor: Actor, code: str) -> HttpResponse:
    point = _centre(actor, code)
    entries = list(
        PointItem.objects.filter(point=point, proxies=True, item__is_active=True)
        .select_related("item")
        .order_by("item__name")
    )
    chosen = (request.POST.get("item_code") or request.GET.get("item") or "")[:40]
    entry = next((e for e in entries if e.item.code == chosen), None)
    plan = plan_for(item=entry.item) if entry else None
    context: dict[str, Any] = {
        "point": point,
        "entries": entries,
        "entry": entry,
        "plan": plan,
        "checks": IdentityCheck.choices,
        "values": {k: request.POST.get(k, "")[:100] for k in request.POST},
    }
    if request.method == "GET" or request.POST.get("step") == "choose":
        return render(request, "servicepoints/file.html", context)
    materials = {m.key: request.POST.get(f"m_{m.key}", "missing") for m in plan.materials} if plan else None
    # The form's own copies of the resident's details are taken from the resident block when left blank.
    known = {
        "applicant_name": request.POST.get("resident_name", ""),
        "id_number": request.POST.get("resident_id_number", ""),
        "phone": request.POST.get("resident_phone", ""),
        "address": request.POST.get("home", ""),
    }
    form_data = (
        {f.key: request.POST.get(f"f_{f.key}", "")[:500] or known.get(f.key, "")[:100] for f in plan.fields}
        if plan
        else None
    )
    try:
        case = services.case_file(
            actor=actor,
            point=point,
            item_code=chosen,
            resident_name=request.POST.get("resident_name", "")[:100],
            resident_id_number=request.POST.get("resident_id_number", "")[:30],
            resident_phone=request.POST.get("resident_phone", "")[:20],
            identity_check=request.POST.get("identity_check", ""),
            authorised=request.POST.get("authorised") == "1",
            home=request.POST.get("home", "")[:100],
            materials=materials,
            form_data=form_data,
        )
    except HuyingError as exc:
        context.update(error=exc.message, errors=exc.data)
        return render(request, "servicepoints/file.html", context, status=exc.status)
    messages.success(request, _("已提交，代办编号 %(number)s，已短信告知居民。") % {"number": case.number})
    return redirect("servicepoints:case", number=case.number)


def _case(actor: Actor, number: str) -> ProxyCase:
    case = ProxyCase.objects.filter(number=number[:24]).select_related("point", "application", "hall").first()
    if case is None or not posted_at(actor, case.point):
        raise NotFound()
    return case


@role_required(Role.VILLAGE_CLERK)
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, actor: Actor, number: str) -> HttpResponse:
    case = _case(actor, number)
    context: dict[str, Any] = {
        "case": case,
        "actions": CASE_TRANSITIONS.allowed(case.status, {CLERK}),
        "steps": selectors.case_timeline(case, public=False),
    }
    if request.method == "POST":
        return _act(request, actor, case, context)
    return render(request, "servicepoints/case.html", context)


def _act(request: HttpRequest, actor: Actor, case: ProxyCase, context: dict[str, Any]) -> HttpResponse:
    try:
        version = int(request.POST.get("version", case.version))
    except ValueError:
        version = -1
    try:
        services.case_act(
            actor=actor,
            case=case,
            action=request.POST.get("action", "")[:20],
            note=request.POST.get("note", "")[:300],
            expected_version=version,
        )
    except HuyingError as exc:
        context["error"] = exc.message
        return render(request, "servicepoints/case.html", context, status=exc.status)
    messages.success(request, _("已记录。"))
    return redirect("servicepoints:case", number=case.number)
