"""Canteen pages: the canteens in one's scope, the counter (meals by card or code, deliveries
confirmed), enrolment and approval of older people, and the purchase-inspection records."""

from __future__ import annotations

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

from .. import services
from ..models import Canteen, Elder, Meal, PurchaseRecord
from ..permissions import roles_on, visible_canteens_q
from ..states import CIVIL, STAFF, CareLevel, Category, ElderAction, ElderStatus, Method, Mode, Slot, Source

ROLES = (Role.CANTEEN_STAFF, Role.CIVIL_AFFAIRS, Role.ADMIN)


def canteen_for(actor: Actor, code: str) -> tuple[Canteen, set[str]]:
    canteen = Canteen.objects.filter(code=code[:30]).select_related("unit").first()
    roles = roles_on(actor, canteen) if canteen else set()
    if canteen is None or not roles:
        raise NotFound()
    return canteen, roles


@role_required(*ROLES)
@require_GET
def home(request: HttpRequest, actor: Actor) -> HttpResponse:
    canteens = Canteen.objects.filter(visible_canteens_q(actor)).order_by("code")[:300]
    return render(request, "canteens/home.html", {"canteens": canteens})


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def counter(request: HttpRequest, actor: Actor, code: str) -> HttpResponse:
    canteen, roles = canteen_for(actor, code)
    context: dict[str, Any] = {
        "canteen": canteen,
        "roles": roles,
        "slots": [(s, Slot(s).label) for s in canteen.slot_list],
    }
    context.update(modes=Mode.choices, methods=Method.choices)
    status = 200
    if request.method == "POST":
        try:
            recorded = services.meal_record(
                actor=actor,
                canteen=canteen,
                identifier=request.POST.get("identifier", "")[:20],
                slot=request.POST.get("slot", ""),
                mode=request.POST.get("mode", Mode.DINE_IN),
                method=request.POST.get("method", Method.CARD),
            )
        except HuyingError as exc:
            context["error"] = exc.message
            status = exc.status
        else:
            context["recorded"] = recorded
    today = timezone.localdate()
    context["meals"] = (
        Meal.objects.filter(canteen=canteen, served_on=today).select_related("elder").order_by("-recorded_at")[:200]
    )
    context["menu"] = canteen.menus.filter(week_start__lte=today).first()
    return render(request, "canteens/counter.html", context, status=status)


@role_required(*ROLES)
@require_POST
def deliver(request: HttpRequest, actor: Actor, code: str, meal_id: int) -> HttpResponse:
    canteen, _roles = canteen_for(actor, code)
    meal = Meal.objects.filter(pk=meal_id, canteen=canteen).first()
    if meal is None:
        raise NotFound()
    try:
        services.delivery_confirm(actor=actor, meal=meal, note=request.POST.get("note", "")[:200])
        messages.success(request, _("已确认送达。"))
    except HuyingError as exc:
        messages.error(request, str(exc.message))
    return redirect("canteens:counter", code=canteen.code)


def _enrol(request: HttpRequest, actor: Actor, canteen: Canteen) -> Elder:
    post = request.POST
    categories = []
    if post.get("category"):
        categories.append(
            {
                "category": post.get("category"),
                "care_level": post.get("care_level", ""),
                "source": post.get("source", ""),
                "source_date": post.get("source_date", ""),
                "proof": post.get("proof", "")[:200],
            }
        )
    return services.elder_enrol(
        actor=actor,
        canteen=canteen,
        name=post.get("name", "")[:60],
        id_number=post.get("id_number", "")[:30],
        phone=post.get("phone", "")[:20],
        address=post.get("address", "")[:200],
        card_number=post.get("card_number", "")[:20],
        categories=categories,
        delivery_needed=post.get("delivery_needed") == "1",
    )


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def elders(request: HttpRequest, actor: Actor, code: str) -> HttpResponse:
    canteen, roles = canteen_for(actor, code)
    context: dict[str, Any] = {
        "canteen": canteen,
        "may_approve": CIVIL in roles,
        "categories": Category.choices,
        "levels": CareLevel.choices,
        "sources": Source.choices,
        "values": {k: request.POST.get(k, "")[:100] for k in request.POST},
    }
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action"):
                elder = Elder.objects.filter(pk=int(request.POST.get("elder") or 0), canteen=canteen).first()
                if elder is None:
                    raise NotFound()
                services.elder_transition(
                    actor=actor,
                    elder=elder,
                    action=request.POST["action"][:20],
                    note=request.POST.get("note", "")[:300],
                )
            else:
                elder = _enrol(request, actor, canteen)
            messages.success(
                request,
                _("已保存：%(name)s（%(status)s）")
                % {"name": elder.name, "status": Elder.objects.get(pk=elder.pk).get_status_display()},
            )
            return redirect("canteens:elders", code=canteen.code)
        except HuyingError as exc:
            context.update(error=exc.message, errors=exc.data)
            status = exc.status
    context["elders"] = canteen.elders.prefetch_related("categories").order_by("status", "name")[:500]
    context["approve"] = ElderAction.APPROVE
    context["applied"] = ElderStatus.APPLIED
    return render(request, "canteens/elders.html", context, status=status)


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def purchases(request: HttpRequest, actor: Actor, code: str) -> HttpResponse:
    canteen, roles = canteen_for(actor, code)
    context: dict[str, Any] = {
        "canteen": canteen,
        "may_record": STAFF in roles,
        "values": {k: request.POST.get(k, "")[:200] for k in request.POST},
    }
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("delete"):
                record = PurchaseRecord.objects.filter(pk=int(request.POST["delete"] or 0), canteen=canteen).first()
                if record is None:
                    raise NotFound()
                services.purchase_delete(actor=actor, record=record)
            else:
                services.purchase_record(actor=actor, canteen=canteen, data=dict(request.POST.items()))
            return redirect("canteens:purchases", code=canteen.code)
        except (HuyingError, ValueError) as exc:
            context.update(error=getattr(exc, "message", _("输入有误。")), errors=getattr(exc, "data", {}))
            status = getattr(exc, "status", 400)
    context["records"] = canteen.purchases.all()[:300]
    return render(request, "canteens/purchases.html", context, status=status)
