"""The points reviewer's management pages: the schemes of their units (each with its resolutions and
item versions), the partner merchants (goods, cashiers) and the exchange days. Forms parse; the
services in ``services.schemes`` decide and refuse."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError, NotFound
from huying.core.forms import apply_errors
from huying.organisations.models import OrgUnit

from ..models import ExchangeDay, Goods, Merchant, Scheme, SchemeItem
from ..permissions import managed_units_q, may_manage
from ..services import schemes as services
from . import forms as f


def _scoped(actor: Actor, queryset: QuerySet[Any], prefix: str) -> QuerySet[Any]:
    scope = managed_units_q(actor, prefix)
    return queryset if scope is None else queryset.filter(scope)


def _units(actor: Actor) -> QuerySet[OrgUnit]:
    return _scoped(actor, OrgUnit.objects.filter(is_active=True), "path").order_by("path")


def _scheme(actor: Actor, pk: int) -> Scheme:
    scheme = Scheme.objects.select_related("unit").filter(pk=pk).first()
    if scheme is None or not may_manage(actor, scheme.unit):
        raise NotFound()
    return scheme


def _merchant(actor: Actor, pk: int) -> Merchant:
    merchant = Merchant.objects.select_related("unit").filter(pk=pk).first()
    if merchant is None or not may_manage(actor, merchant.unit):
        raise NotFound()
    return merchant


@role_required(Role.POINTS_REVIEWER)
@require_GET
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    context = {
        "schemes": _scoped(actor, Scheme.objects.select_related("unit"), "unit__path"),
        "merchants": _scoped(actor, Merchant.objects.select_related("unit"), "unit__path"),
        "days": _scoped(actor, ExchangeDay.objects.select_related("merchant"), "unit__path")[:20],
    }
    return render(request, "points/manage.html", context)


@role_required(Role.POINTS_REVIEWER)
@require_http_methods(["GET", "POST"])
def scheme_new(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = f.SchemeForm(request.POST or None, units=_units(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scheme = services.scheme_create(
                actor=actor, code=data["code"], name=data["name"], kind=data["kind"], unit=data["unit"],
                counts_households=data["counts_households"], expiry_months=data["expiry_months"],
                publicity_days=data["publicity_days"], masking=data["masking"],
                resolution={k: data[k] for k in ("body", "number", "adopted_on", "summary")},
            )  # fmt: skip
        except HuyingError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("积分方案“%(name)s”已建立，请添加积分事项。") % {"name": scheme.name})
            return redirect("points:manage_scheme", scheme.pk)
    return render(request, "points/manage_scheme_new.html", {"form": form}, status=400 if form.errors else 200)


@role_required(Role.POINTS_REVIEWER)
@require_http_methods(["GET", "POST"])
def scheme(request: HttpRequest, actor: Actor, scheme_id: int) -> HttpResponse:
    """A scheme's page; its forms post here with ``form`` naming which one (resolution, item, revise, expiry)."""
    found = _scheme(actor, scheme_id)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    resolution_form = f.ResolutionFields(request.POST if which == "resolution" else None, prefix="res")
    item_form = f.ItemForm(request.POST if which == "item" else None, scheme=found, prefix="item")
    expiry_form = f.ExpiryForm(
        request.POST if which == "expiry" else None, initial={"expiry_months": found.expiry_months}, prefix="exp"
    )
    forms_by_name: dict[str, Any] = {"resolution": resolution_form, "item": item_form, "expiry": expiry_form}
    form = forms_by_name.get(which)
    if form is not None and form.is_valid():
        try:
            done = _scheme_change(actor, found, which, form.cleaned_data)
        except HuyingError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("points:manage_scheme", found.pk)
    items = list(SchemeItem.objects.filter(scheme=found).select_related("resolution"))
    context = {
        "scheme": found,
        "items": items,
        "resolutions": found.resolutions.all(),
        "resolution_form": resolution_form,
        "item_form": item_form,
        "expiry_form": expiry_form,
        "open_form": which,
    }
    return render(request, "points/manage_scheme.html", context, status=400 if form is not None else 200)


def _scheme_change(actor: Actor, scheme: Scheme, which: str, data: dict[str, Any]) -> str:
    if which == "resolution":
        res = services.resolution_add(actor=actor, scheme=scheme, **data)
        return _("决议 %(number)s 已登记。") % {"number": res.number}
    if which == "item":
        fields = {k: data[k] for k in ("name", "points", "unit_label", "evidence_required", "dedup", "wallet")}
        fields |= {k: data[k] for k in ("per_event_cap", "daily_cap", "monthly_cap")}
        item = services.item_add(
            actor=actor, scheme=scheme, resolution=data["resolution"], code=data["code"],
            valid_from=data["valid_from"], **fields,
        )  # fmt: skip
        return _("积分事项“%(name)s”已添加，%(day)s 起施行。") % {"name": item.name, "day": item.valid_from}
    services.scheme_set_expiry_by(actor=actor, scheme=scheme, months=data["expiry_months"])
    return _("有效期已更新；已入账的积分保持原有效期。")


@role_required(Role.POINTS_REVIEWER)
@require_http_methods(["GET", "POST"])
def item_revise(request: HttpRequest, actor: Actor, item_id: int) -> HttpResponse:
    item = SchemeItem.objects.select_related("scheme__unit", "resolution").filter(pk=item_id).first()
    if item is None or not may_manage(actor, item.scheme.unit):
        raise NotFound()
    initial = {n: getattr(item, n) for n in services.REVISABLE} | {"resolution": item.resolution_id}
    form = f.ItemFields(request.POST or None, scheme=item.scheme, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.item_revise_by(
                actor=actor, item=item, valid_from=form.cleaned_data["valid_from"],
                resolution=form.cleaned_data["resolution"], **form.item_fields(),
            )  # fmt: skip
        except HuyingError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已生成第 %(version)s 版，%(day)s 起施行。") % {"version": new.version, "day": new.valid_from},
            )
            return redirect("points:manage_scheme", item.scheme_id)
    context = {"item": item, "form": form}
    return render(request, "points/manage_item_revise.html", context, status=400 if form.errors else 200)


@role_required(Role.POINTS_REVIEWER)
@require_http_methods(["GET", "POST"])
def merchant_new(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = f.MerchantForm(request.POST or None, units=_units(actor))
    if request.method == "POST" and form.is_valid():
        try:
            merchant = services.merchant_register_by(actor=actor, **form.cleaned_data)
        except HuyingError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("商户“%(name)s”已登记，请添加兑换物品和收银人员。") % {"name": merchant.name})
            return redirect("points:manage_merchant", merchant.pk)
    return render(request, "points/manage_merchant_new.html", {"form": form}, status=400 if form.errors else 200)


@role_required(Role.POINTS_REVIEWER)
@require_http_methods(["GET", "POST"])
def merchant(request: HttpRequest, actor: Actor, merchant_id: int) -> HttpResponse:
    found = _merchant(actor, merchant_id)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    goods_form = f.GoodsForm(request.POST if which == "goods" else None, prefix="goods")
    cashier_form = f.CashierForm(request.POST if which == "cashier" else None, prefix="cashier")
    form = {"goods": goods_form, "cashier": cashier_form}.get(which)
    if form is not None and form.is_valid():
        try:
            if which == "goods":
                goods = services.goods_add(actor=actor, merchant=found, **form.cleaned_data)
                done = _("已上架“%(name)s”。") % {"name": goods.name}
            else:
                staff = services.cashier_add(actor=actor, merchant=found, **form.cleaned_data)
                done = _("已登记收银人员 %(name)s。") % {"name": staff.user.username}
        except HuyingError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("points:manage_merchant", found.pk)
    context = {
        "merchant": found,
        "goods": found.goods.order_by("-is_active", "points"),
        "cashiers": found.staff.select_related("user"),
        "goods_form": goods_form,
        "cashier_form": cashier_form,
    }
    return render(request, "points/manage_merchant.html", context, status=400 if form is not None else 200)


@role_required(Role.POINTS_REVIEWER)
@require_POST
def goods_toggle(request: HttpRequest, actor: Actor, goods_id: int) -> HttpResponse:
    goods = Goods.objects.select_related("merchant__unit").filter(pk=goods_id).first()
    if goods is None or not may_manage(actor, goods.merchant.unit):
        raise NotFound()
    goods = services.goods_toggle(actor=actor, goods=goods)
    messages.success(
        request, (_("已上架“%(name)s”。") if goods.is_active else _("已下架“%(name)s”。")) % {"name": goods.name}
    )
    return redirect("points:manage_merchant", goods.merchant_id)


@role_required(Role.POINTS_REVIEWER)
@require_http_methods(["GET", "POST"])
def exchange_day_new(request: HttpRequest, actor: Actor) -> HttpResponse:
    merchants = _scoped(actor, Merchant.objects.filter(is_active=True), "unit__path")
    form = f.ExchangeDayForm(request.POST or None, merchants=merchants)
    stock = f.StockFormSet(request.POST or None, prefix="stock")
    if request.method == "POST" and form.is_valid() and stock.is_valid():
        lines = [services.StockLine(s["name"], s["points"], s["quantity"]) for s in stock.cleaned_data if s.get("name")]
        try:
            day = services.exchange_day_create(actor=actor, stock=lines, **form.cleaned_data)
        except HuyingError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("积分兑换活动“%(title)s”已发布。") % {"title": day.title})
            return redirect("points:manage")
    failed = request.method == "POST"
    return render(
        request, "points/manage_exchange_day.html", {"form": form, "stock": stock}, status=400 if failed else 200
    )
