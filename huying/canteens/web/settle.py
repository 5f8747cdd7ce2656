"""Monthly settlement pages and the canteen figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError, NotFound
from huying.core.params import month_param

from .. import services
from ..models import Canteen, Meal, Settlement
from ..permissions import roles_on, visible_canteens_q
from ..states import SETTLEMENT_TRANSITIONS, SettlementAction
from .views import ROLES, canteen_for


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def settlements(request: HttpRequest, actor: Actor, code: str) -> HttpResponse:
    canteen, _roles = canteen_for(actor, code)
    context: dict[str, Any] = {"canteen": canteen, "this_month": timezone.localdate().strftime("%Y-%m")}
    if request.method == "POST":
        try:
            month = month_param(request.POST.get("month"), name="month")
            if month is None:
                raise NotFound()
            s = services.settlement_generate(actor=actor, canteen=canteen, month=month)
            return redirect("canteens:settlement", pk=s.pk)
        except HuyingError as exc:
            context["error"] = exc.message
            context["items"] = canteen.settlements.all()
            return render(request, "canteens/settlements.html", context, status=exc.status)
    context["items"] = canteen.settlements.all()
    return render(request, "canteens/settlements.html", context)


def _month_meals(s: Settlement) -> Any:
    first = s.month
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return (
        Meal.objects.filter(canteen=s.canteen, served_on__gte=first, served_on__lt=nxt)
        .select_related("elder")
        .order_by("served_on", "slot", "pk")
    )


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def settlement(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    s = Settlement.objects.filter(pk=pk).select_related("canteen__unit").first()
    roles = roles_on(actor, s.canteen) if s else set()
    if s is None or not roles:
        raise NotFound()
    context: dict[str, Any] = {"s": s}
    status = 200
    if request.method == "POST":
        try:
            version = int(request.POST.get("version") or 0)
            services.settlement_act(
                actor=actor,
                settlement=s,
                action=request.POST.get("action", "")[:20],
                note=request.POST.get("note", "")[:300],
                expected_version=version,
            )
            messages.success(request, _("已记录。"))
            return redirect("canteens:settlement", pk=s.pk)
        except (HuyingError, ValueError) as exc:
            context["error"] = getattr(exc, "message", _("输入有误。"))
            status = getattr(exc, "status", 400)
    context["actions"] = [
        (t, SettlementAction(t.action).label) for t in SETTLEMENT_TRANSITIONS.allowed(s.status, roles)
    ]
    context["meals"] = _month_meals(s)[:2000]
    return render(request, "canteens/settlement.html", context, status=status)


@role_required(Role.CIVIL_AFFAIRS, Role.SUPERVISOR, Role.ADMIN)
@require_GET
def figures(request: HttpRequest, actor: Actor) -> HttpResponse:
    canteens = (
        Canteen.objects.filter(visible_canteens_q(actor))
        if not actor.has_role(Role.SUPERVISOR)
        else Canteen.objects.all()
    )
    return render(
        request, "canteens/figures.html", {"f": services.canteen_figures(canteens=canteens.filter(is_active=True))}
    )
