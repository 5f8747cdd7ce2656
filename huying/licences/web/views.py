"""Pages of the e-licence wallet (亮证), the window scanner (扫码核验), use records, authorisations
and the admin import. Views parse, call a service or selector, render; they never save a model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError, NotFound
from huying.core.forms import apply_errors
from huying.core.services import client_ip

from .. import selectors, services
from ..models import Authorisation
from . import forms as f
from .presenters import licence_fields, validity

View = Callable[..., HttpResponse]
SCANNER_ROLES = (Role.CLERK, Role.REVIEWER, Role.HALL_MANAGER, Role.ADMIN)
PAGE_SIZE = 50


def login_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def _qr_svg(token: str) -> str:
    return str(segno.make(token, error="m").svg_inline(scale=5, border=2, title=_("亮证二维码")))


# --- holder ---------------------------------------------------------------------------------


@require_GET
@login_required
def wallet(request: HttpRequest) -> HttpResponse:
    licences = list(selectors.licences_of_holder(request.user))
    authorised = list(selectors.authorisations_to(request.user))
    rows = [{"licence": lic, "validity": validity(lic), "usable": lic.is_usable()} for lic in licences]
    return render(
        request,
        "licences/wallet.html",
        {"rows": rows, "authorised": authorised, "verified_id": bool(getattr(request.user, "id_number", ""))},
    )


@never_cache
@require_GET
@login_required
def show(request: HttpRequest, pk: int) -> HttpResponse:
    licence, authorisation = selectors.licence_for_shower(user=request.user, pk=pk)
    context: dict[str, Any] = {
        "licence": licence,
        "authorisation": authorisation,
        "validity": validity(licence),
        "ttl": services.SHOW_TTL_SECONDS,
    }
    try:
        token = services.show_token_issue(licence=licence, user=request.user)
    except HuyingError as exc:
        context["error"] = exc
        return render(request, "licences/show.html", context, status=exc.status)
    context.update(token=token, qr=mark_safe(_qr_svg(token)))
    return render(request, "licences/show.html", context)


@never_cache
@require_GET
def token(request: HttpRequest, pk: int) -> JsonResponse:
    """A fresh code for the show page (it refreshes itself before the current one expires)."""
    if not request.user.is_authenticated:
        return JsonResponse({"code": "not_authenticated", "detail": _("请先登录。")}, status=401)
    try:
        licence, _authorisation = selectors.licence_for_shower(user=request.user, pk=pk)
        value = services.show_token_issue(licence=licence, user=request.user)
    except HuyingError as exc:
        return JsonResponse({"code": exc.code, "detail": str(exc.message)}, status=exc.status)
    return JsonResponse({"token": value, "svg": _qr_svg(value), "expires_in": services.SHOW_TTL_SECONDS})


@require_GET
@login_required
def uses(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.uses_for_holder(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "licences/uses.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
def authorisations(request: HttpRequest, pk: int) -> HttpResponse:
    licence = selectors.licence_for_holder(user=request.user, pk=pk)
    form = f.GrantForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            raw = request.POST.get("authorisation", "")
            item = Authorisation.objects.filter(pk=int(raw), licence=licence).first() if raw.isdigit() else None
            try:
                if item is None:
                    raise NotFound()
                services.authorisation_revoke(authorisation=item, actor=request.user)
            except HuyingError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("已撤销授权。"))
            return redirect("licences:authorisations", pk=licence.pk)
        form = f.GrantForm(request.POST)
        if form.is_valid():
            grantee = selectors.user_by_handle(form.cleaned_data["grantee"])
            day: dt.date = form.cleaned_data["valid_until"]
            until = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))
            try:
                services.authorisation_grant(
                    licence=licence,
                    grantee=grantee,
                    purpose=form.cleaned_data["purpose"],
                    valid_until=until,
                    actor=request.user,
                )
            except HuyingError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已授权 %(name)s 使用该证照。") % {"name": grantee})
                return redirect("licences:authorisations", pk=licence.pk)
        status = 400
    items = list(licence.authorisations.select_related("grantee").order_by("-created_at", "-pk"))
    now = timezone.now()
    rows = [{"item": a, "active": a.is_active(now)} for a in items]
    return render(
        request, "licences/authorisations.html", {"licence": licence, "form": form, "rows": rows}, status=status
    )


# --- window scanner -------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(*SCANNER_ROLES)
def verify(request: HttpRequest, actor: Actor) -> HttpResponse:
    initial = {"application": request.GET.get("application", "")[:40], "item": request.GET.get("item", "")[:40]}
    context: dict[str, Any] = {"may_view_full": selectors.may_view_full(request.user)}
    status = 200
    if request.method == "POST":
        form = f.VerifyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                use = services.token_verify(
                    token=data["token"],
                    verifier=request.user,
                    place=data["place"],
                    purpose=data["purpose"],
                    item_code=data["item"],
                    application_ref=data["application"],
                    via="scan",
                )
            except HuyingError as exc:
                apply_errors(form, exc)
                context["error"] = str(exc.message)
                status = exc.status
            else:
                context.update(use=use, fields=licence_fields(use.licence, full=False))
                keep = {k: data[k] for k in ("purpose", "place", "application", "item")}
                form = f.VerifyForm(initial=keep)  # ready for the next scan
        else:
            status = 400
    else:
        form = f.VerifyForm(initial=initial)
    context["form"] = form
    return render(request, "licences/verify.html", context, status=status)


@never_cache
@require_POST
@role_required(*SCANNER_ROLES)
def full_view(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    use = selectors.use_for_verifier(user=request.user, pk=pk)
    licence = services.licence_full_view(use=use, user=request.user, ip_address=client_ip(request))
    form = f.VerifyForm(initial={"purpose": use.purpose, "place": use.place})
    response = render(
        request,
        "licences/verify.html",
        {"form": form, "use": use, "fields": licence_fields(licence, full=True), "full": True},
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- admin ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def import_licences(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = f.ImportForm()
    report = None
    status = 200
    if request.method == "POST":
        form = f.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = services.licence_import(form.cleaned_data["file"], actor=request.user)
            except HuyingError as exc:
                apply_errors(form, exc)
                status = exc.status
            else:
                if report.ok:
                    messages.success(request, _("已导入 %(n)d 份电子证照。") % {"n": report.created})
                else:
                    status = 400
        else:
            status = 400
    return render(
        request,
        "licences/import.html",
        {"form": form, "report": report, "columns": services.IMPORT_COLUMNS},
        status=status,
    )


@require_GET
def types_list(request: HttpRequest) -> HttpResponse:
    return render(request, "licences/types.html", {"types": selectors.licence_types(active_only=False)})
