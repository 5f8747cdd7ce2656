"""Citizen pages: applying for an item or a bundle (一件事) online, and one's own applications."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.roles import Role
from huying.accounts.selectors import actor_for
from huying.catalogue.models import Bundle, ServiceItem
from huying.core.errors import HuyingError

from ... import selectors, services
from ...models import ProxyAuthorisation
from ...states import (
    ApplicantKind,
    Channel,
)
from .common import field_errors, form_data, int_or_none

# --- citizens ---------------------------------------------------------------------------------------


def _apply(request: HttpRequest, item: ServiceItem | None, bundle: Bundle | None) -> HttpResponse:
    actor = actor_for(request.user)
    plan = services.plan_for(item=item, bundle=bundle)
    proxies = (
        ProxyAuthorisation.objects.filter(
            agent=actor.user, revoked_at__isnull=True, valid_until__gte=timezone.localdate()
        )
        if actor.has_role(Role.AGENT)
        else ProxyAuthorisation.objects.none()
    )
    errors: dict[str, Any] = {}
    if request.method == "POST":
        proxy = None
        if request.POST.get("proxy"):
            proxy = proxies.filter(pk=int_or_none(request.POST.get("proxy")) or 0).first()
            if proxy is None:
                errors["proxy"] = _("请选择有效的授权委托。")
        if not errors:
            try:
                app = services.application_receive(
                    actor=actor,
                    item=item,
                    bundle=bundle,
                    channel=Channel.ONLINE,
                    applicant_kind=request.POST.get("applicant_kind", ""),
                    applicant_name=request.POST.get("applicant_name", ""),
                    applicant_code=request.POST.get("applicant_code", ""),
                    applicant_phone=request.POST.get("applicant_phone", ""),
                    form_data=form_data(request.POST),
                    proxy=proxy,
                )
            except HuyingError as exc:
                messages.error(request, str(exc.message))
                errors = field_errors(exc)
            else:
                messages.success(request, _("申请已提交，办件编号 %(number)s。") % {"number": app.number})
                return redirect("applications:detail", number=app.number)
        else:
            messages.error(request, errors["proxy"])
    user = request.user
    initial = {
        "applicant_kind": "person",
        "applicant_name": getattr(user, "display_name", ""),
        "applicant_code": getattr(user, "id_number", ""),
        "applicant_phone": getattr(user, "phone", ""),
    }
    return render(
        request,
        "applications/apply.html",
        {
            "plan": plan,
            "item": item,
            "bundle": bundle,
            "post": request.POST if request.method == "POST" else initial,
            "errors": errors,
            "form_errors": errors.get("form_data", {}) if isinstance(errors.get("form_data"), dict) else {},
            "kinds": ApplicantKind.choices,
            "proxies": proxies,
        },
        status=400 if errors else 200,
    )


@login_required
def apply_item(request: HttpRequest, code: str) -> HttpResponse:
    item = ServiceItem.objects.filter(code=code, is_active=True, online=True).first()
    if item is None:
        raise Http404()
    return _apply(request, item, None)


@login_required
def apply_bundle(request: HttpRequest, code: str) -> HttpResponse:
    bundle = Bundle.objects.filter(code=code, is_active=True).first()
    if bundle is None:
        raise Http404()
    return _apply(request, None, bundle)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.applications_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "applications/mine.html", {"page": page, "rows": page.object_list})
