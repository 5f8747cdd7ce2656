"""The merchant's cashier phone: scan (camera) or type the customer's code, enter points or pick goods
(the exchange day's stock on the day), redeem once even if the phone sends it twice; today's
redemptions with refunds, and the monthly settlement statement."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError, NotFound
from huying.core.params import month_param

from .. import selectors
from ..ledger_models import Redemption
from ..models import ExchangeDay, Goods
from ..permissions import merchant_of
from ..services import redeem


def _merchant(actor: Actor) -> Any:
    merchant = merchant_of(actor)
    if merchant is None:
        raise NotFound()
    return merchant


def _quantities(request: HttpRequest) -> dict[int, int]:
    picked: dict[int, int] = {}
    for name in request.POST:
        value = str(request.POST.get(name, "")).strip()
        if name.startswith("goods-") and name[6:].isdigit() and value.isdigit():
            picked[int(name[6:])] = min(int(value), 99)
    return picked


@role_required(Role.MERCHANT)
@require_http_methods(["GET", "POST"])
def merchant(request: HttpRequest, actor: Actor) -> HttpResponse:
    shop = _merchant(actor)
    today = timezone.localdate()
    day = ExchangeDay.objects.filter(merchant=shop, day=today).prefetch_related("stock").first()
    context: dict[str, Any] = {"merchant": shop, "day": day, "form": {}, "key": str(uuid.uuid4())}
    if request.method == "POST":
        try:
            done, created = redeem.redeem(
                actor=actor,
                token=request.POST.get("token", ""),
                merchant_id=int(request.POST["merchant"]) if request.POST.get("merchant", "").isdigit() else None,
                points=request.POST.get("points", ""),
                goods=_quantities(request),
                exchange_day=day,
                request_key=request.POST.get("request_key", ""),
            )
            context["done"], context["again"] = done, not created
        except HuyingError as exc:
            context.update(error=exc, form=request.POST, key=request.POST.get("request_key") or context["key"])
    context["goods"] = Goods.objects.filter(merchant=shop, is_active=True)
    context["today"] = Redemption.objects.filter(merchant=shop, created_at__date=today).select_related("refund")[:30]
    status = context["error"].status if "error" in context else 200
    return render(request, "points/merchant.html", context, status=status)


@role_required(Role.MERCHANT)
@require_POST
def refund(request: HttpRequest, actor: Actor, redemption_id: int) -> HttpResponse:
    try:
        redeem.refund(actor=actor, redemption_id=redemption_id, reason=request.POST.get("reason", ""))
        messages.success(request, _("已退还积分。"))
    except HuyingError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc.message))
    return redirect("points:merchant")


@role_required(Role.MERCHANT)
@require_GET
def statement(request: HttpRequest, actor: Actor) -> HttpResponse:
    shop = _merchant(actor)
    month = month_param(request.GET.get("month"), name="month") or timezone.localdate().replace(day=1)
    previous = month.replace(day=1) - dt.timedelta(days=1)
    context = {"merchant": shop, "m": selectors.merchant_month(shop, month), "previous": previous}
    return render(request, "points/merchant_statement.html", context)
