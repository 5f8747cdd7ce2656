"""Pages of the service hall: the kiosk (and 手机取号), the ticket page, the window console, the hall
display, the manager's figures and the staffing planner.

Views parse a form, call a service or a selector and render; they never save a model. A HuyingError
from a service is shown on the page with its message and the HTTP status it names.
"""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.accounts.web.access import role_required
from huying.catalogue.models import Bundle, ServiceItem
from huying.core.errors import HuyingError, NotFound, ValidationFailed
from huying.core.forms import apply_errors
from huying.core.masking import mask_phone
from huying.core.ratelimit import limit, with_headers
from huying.ratings.models import Rating
from huying.ratings.services import rating_link_token
from huying.ratings.states import Source
from huying.ratings.web.views import link_form_context

from .. import errors, planner, selectors, services
from ..models import Ticket, Window
from ..states import OPEN_STATUSES, Action, Channel, Status
from . import forms as f

STAFF_FIGURE_ROLES = (Role.HALL_MANAGER, Role.SUPERVISOR, Role.ADMIN)


# --- kiosk / 手机取号 --------------------------------------------------------------------------------


def _kiosk_context(request: HttpRequest, hall: Any, form: f.TakeForm, channel: str) -> dict[str, Any]:
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()[: selectors.MAX_QUERY]
    return {
        "hall": hall,
        "form": form,
        "query": query,
        "items": selectors.kiosk_items(hall, query),
        "bundles": [] if query else selectors.kiosk_bundles(),
        "channel": channel,
        "mobile": channel == Channel.MOBILE,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def take(request: HttpRequest, hall_id: int) -> HttpResponse:
    hall = selectors.hall_get(hall_id)
    channel = (
        Channel.MOBILE if (request.GET.get("channel") or request.POST.get("channel")) == "mobile" else Channel.KIOSK
    )
    if request.method == "GET":
        return render(request, "halls/take.html", _kiosk_context(request, hall, f.TakeForm(), channel))
    form = f.TakeForm(request.POST)
    if form.is_valid():
        kind, pk = form.cleaned_data["choice"]
        try:
            item = bundle = None
            if kind == "item":
                item = ServiceItem.objects.filter(pk=pk).first()
                if item is None:
                    raise ValidationFailed(data={"choice": _("该事项不存在，请重新选择。")})
            elif kind == "bundle":
                bundle = Bundle.objects.filter(pk=pk).first()
                if bundle is None:
                    raise ValidationFailed(data={"choice": _("该一件事不存在，请重新选择。")})
            user = request.user if actor_for(request.user).is_citizen else None
            limit(request, "ticket_take", phone=form.cleaned_data["phone"])
            ticket = services.ticket_take(
                hall=hall, item=item, bundle=bundle, phone=form.cleaned_data["phone"], user=user, channel=channel
            )
        except HuyingError as exc:
            apply_errors(form, exc)
            page = render(request, "halls/take.html", _kiosk_context(request, hall, form, channel), status=exc.status)
            return with_headers(page, exc)
        url = reverse("halls:ticket", args=[ticket.public_id])
        return redirect(f"{url}?{urlencode({'new': 1})}" if channel == Channel.KIOSK else url)
    return render(request, "halls/take.html", _kiosk_context(request, hall, form, channel), status=400)


# --- the ticket page ------------------------------------------------------------------------------


def _qr_svg(request: HttpRequest, ticket: Ticket) -> str:
    url = request.build_absolute_uri(reverse("halls:ticket", args=[ticket.public_id]))
    return str(segno.make(url, error="m").svg_inline(scale=4, dark="#1f2937"))


@never_cache
@require_GET
def ticket(request: HttpRequest, public_id: str) -> HttpResponse:
    t = selectors.ticket_by_public_id(public_id)
    progress = selectors.ticket_progress(t)
    rate_url = None
    rated = t.status == Status.DONE and Rating.objects.filter(kind="window_visit", ref=t.public_id).exists()
    if t.status == Status.DONE and not rated and t.user_id is not None and t.user_id == request.user.pk:
        rate_url = f"/ratings/rate/?{urlencode({'kind': 'window_visit', 'ref': t.public_id})}"
    return render(
        request,
        "halls/ticket.html",
        {
            "ticket": t,
            "progress": progress,
            "is_open": t.status in OPEN_STATUSES,
            "can_cancel": t.status in (Status.WAITING, Status.CALLED),
            "rate_url": rate_url,
            "rated": rated,
            "rate_phone": mask_phone(t.phone) if t.status == Status.DONE and not rated else "",
            "qr": _qr_svg(request, t) if request.GET.get("new") else "",
        },
    )


@require_POST
def ticket_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    t = selectors.ticket_by_public_id(public_id)
    try:
        # Whoever holds the public number (the slip, the SMS link) holds the ticket.
        services.ticket_cancel(
            ticket=t, actor=request.user, holder=True, expected_version=_int(request.POST, "version")
        )
    except HuyingError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已取消排队号 %(number)s。") % {"number": t.number})
    return redirect("halls:ticket", public_id=t.public_id)


def _int(data: Any, key: str) -> int | None:
    value = str(data.get(key) or "").strip()
    return int(value) if value.isdigit() else None


# --- the window console ---------------------------------------------------------------------------


@role_required(Role.CLERK)
@require_GET
def windows(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "halls/windows.html", {"windows": selectors.windows_for_clerk(actor)})


def _accept_url(t: Ticket | None) -> str | None:
    """The one-window acceptance page (huying.applications) for the ticket's matter."""
    if t is None or t.status not in (Status.CALLED, Status.SERVING):
        return None
    if t.item_id and t.item:
        return f"/applications/accept/?{urlencode({'item': t.item.code, 'ticket': t.number})}"
    if t.bundle_id and t.bundle:
        return f"/applications/accept/?{urlencode({'bundle': t.bundle.code, 'ticket': t.number})}"
    return None


def _console(request: HttpRequest, window: Window, *, error: str = "", status: int = 200) -> HttpResponse:
    current = services.window_current_ticket(window)
    waiting = services.callable_tickets(window, day=selectors.today()).count()
    return render(
        request,
        "halls/console.html",
        {
            "window": window,
            "current": current,
            "accept_url": _accept_url(current),
            "waiting": waiting,
            "device_url": reverse("halls:rating_device", args=[window.pk, selectors.rating_device_key(window)]),
            "error": error,
            "recent": Ticket.objects.filter(window=window, day=selectors.today())
            .exclude(status__in=OPEN_STATUSES)
            .select_related("item", "bundle")
            .order_by("-finished_at")[:10],
        },
        status=status,
    )


@never_cache
@role_required(Role.CLERK)
@require_GET
def console(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    return _console(request, selectors.window_for_clerk(actor, pk))


CONSOLE_ACTIONS = {
    Action.RECALL: services.ticket_recall,
    Action.START: services.ticket_start,
    Action.FINISH: services.ticket_finish,
    Action.NO_SHOW: services.ticket_no_show,
}


@role_required(Role.CLERK)
@require_POST
def console_act(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    window = selectors.window_for_clerk(actor, pk)
    action = str(request.POST.get("action") or "")
    try:
        if action == "call_next":
            called = services.window_call_next(window=window, clerk=request.user)
            if called is None:
                messages.info(request, _("当前没有本窗口可以办理的排队号。"))
            else:
                messages.success(
                    request,
                    _("已叫号：请 %(number)s 号到 %(window)s 号窗口。")
                    % {"number": called.number, "window": window.number},
                )
        elif action in ("open", "close"):
            services.window_set_open(window=window, actor=request.user, is_open=action == "open")
        elif action in CONSOLE_ACTIONS:
            current = services.window_current_ticket(window)
            if current is None:
                raise NotFound(_("本窗口当前没有排队号。"), code=errors.NO_CURRENT_TICKET)
            if request.POST.get("ticket") and request.POST.get("ticket") != current.public_id:
                raise NotFound(_("该排队号已不在本窗口，请刷新页面。"), code=errors.NO_CURRENT_TICKET)
            CONSOLE_ACTIONS[Action(action)](
                ticket=current, clerk=request.user, expected_version=_int(request.POST, "version")
            )
        else:
            raise ValidationFailed(_("未知的操作。"), code=errors.UNKNOWN_ACTION)
    except HuyingError as exc:
        window.refresh_from_db()
        return _console(request, window, error=str(exc.message), status=exc.status)
    return redirect("halls:console", pk=window.pk)


# --- the window's rating device (好差评 "一次一评") ---------------------------------------------------


@never_cache
@require_GET
def rating_device(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The tablet facing the person at the window: after the clerk finishes, the person taps the
    stars here, without an account. The address's key binds the device to the window."""
    window = selectors.window_for_device(pk, key)
    t = selectors.ticket_to_rate_on_device(window)
    context: dict[str, Any] = {"window": window, "ticket": t}
    if t is not None:
        act = selectors.window_visit_act(t.public_id)
        if act is not None:
            token = rating_link_token(kind=act.kind, ref=act.ref, source=Source.DEVICE, back=request.path)
            context.update(link_form_context(act, token, source=Source.DEVICE))
    return render(request, "halls/rating_device.html", context)


# --- the hall display -----------------------------------------------------------------------------


@never_cache
@require_GET
def display(request: HttpRequest, hall_id: int) -> HttpResponse:
    hall = selectors.hall_get(hall_id)
    return render(request, "halls/display.html", {"hall": hall, "state": selectors.hall_display_state(hall)})


@never_cache
@require_GET
def display_json(request: HttpRequest, hall_id: int) -> JsonResponse:
    try:
        hall = selectors.hall_get(hall_id)
    except NotFound as exc:
        return JsonResponse({"code": exc.code, "title": str(exc.message)}, status=404)
    return JsonResponse(selectors.hall_display_state(hall), json_dumps_params={"ensure_ascii": False})


# --- manager figures ------------------------------------------------------------------------------


@role_required(*STAFF_FIGURE_ROLES)
@require_GET
def figures(request: HttpRequest, actor: Actor, hall_id: int) -> HttpResponse:
    hall = selectors.hall_for_figures(actor, hall_id)
    form = f.FiguresForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "halls/figures.html", {"hall": hall, "form": form}, status=400)
    if not request.GET:
        form = f.FiguresForm({})
        form.is_valid()
    data = form.cleaned_data
    result = selectors.hall_figures(hall, start=data["start"], end=data["end"])
    peak = max((n for _h, n in result.by_hour), default=0)
    return render(
        request,
        "halls/figures.html",
        {
            "hall": hall,
            "form": form,
            "figures": result,
            "hours": [(h, n, round(100 * n / peak) if peak else 0) for h, n in result.by_hour],
        },
    )


@role_required(*STAFF_FIGURE_ROLES, Role.CLERK)
@require_GET
def halls_index(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(
        request,
        "halls/index.html",
        {
            "halls": selectors.halls_for(actor, {Role.CLERK, Role.HALL_MANAGER, Role.SUPERVISOR}),
            "may_figures": any(actor.has_role(r) for r in STAFF_FIGURE_ROLES) or request.user.is_superuser,
            "may_windows": actor.has_role(Role.CLERK) or request.user.is_superuser,
        },
    )


# --- the staffing planner -------------------------------------------------------------------------

PLANNER_EXAMPLE = [
    ("市场主体登记", 5.5, 20, 2),
    ("不动产登记", 7.5, 15, 2),
    ("社保", 9, 12, 2),
    ("户政", 5, 10, 1),
    ("公积金", 5, 8, 1),
    ("税务", 6, 12, 2),
]


@role_required(*STAFF_FIGURE_ROLES)
@require_GET
def planner_view(request: HttpRequest, actor: Actor) -> HttpResponse:
    if "windows" not in request.GET:
        initial: dict[str, Any] = {"windows": sum(r[3] for r in PLANNER_EXAMPLE)}
        for i, (name, arrivals, minutes, count) in enumerate(PLANNER_EXAMPLE):
            initial.update(
                {f"name_{i}": name, f"arrivals_{i}": arrivals, f"minutes_{i}": minutes, f"windows_{i}": count}
            )
        return render(request, "halls/planner.html", {"form": f.PlannerForm(initial=initial)})
    form = f.PlannerForm(request.GET)
    if not form.is_valid():
        return render(request, "halls/planner.html", {"form": form}, status=400)
    try:
        result = planner.plan(form.cleaned_data["rows"], form.cleaned_data["windows"])
    except HuyingError as exc:
        apply_errors(form, exc)
        return render(request, "halls/planner.html", {"form": form}, status=exc.status)
    return render(request, "halls/planner.html", {"form": form, "result": result})
