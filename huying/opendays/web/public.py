"""Public pages of open days: the announcement, registration from a phone, the draw record anyone
can re-run, the participant list and programme; a registrant's own page (invitation, what became of
what they said)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huying.accounts.selectors import actor_for
from huying.core import ratelimit
from huying.core.errors import HuyingError, NotFound
from huying.selection.csvio import write_panels

from .. import selectors, services, states
from ..models import Event, Occupation, PoliticalStatus, Registration

PUBLIC_FROM = (states.LOTTERY, states.DRAWN, states.HELD, states.CLOSED)


def _public_event(event_id: int) -> Event:
    event = selectors.public_events().filter(pk=event_id).first()
    if event is None:
        raise Http404()
    return event


@require_http_methods(["GET"])
def events(request: HttpRequest) -> HttpResponse:
    return render(request, "opendays/events.html", {"events": selectors.public_events()[:50]})


@require_http_methods(["GET"])
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _public_event(event_id)
    context = {
        "event": event,
        "quotas": selectors.figures(event).quotas,
        "programme": event.programme.all(),
        "participants": selectors.participants(event) if event.status in PUBLIC_FROM else [],
        "draws": selectors.draws(event),
        "registration_open": event.status == states.OPEN,
    }
    return render(request, "opendays/event.html", context)


@require_http_methods(["GET"])
def draw_page(request: HttpRequest, event_id: int) -> HttpResponse:
    """Each registrant's chance and the published lottery: how to re-run the draw."""
    event = _public_event(event_id)
    if event.status not in PUBLIC_FROM:
        raise Http404()
    figures = selectors.figures(event)
    context = {"event": event, "rows": selectors.draw_rows(event), "draws": selectors.draws(event), "figures": figures}
    return render(request, "opendays/draw.html", context)


@require_http_methods(["GET"])
def panels_csv(request: HttpRequest, event_id: int, sequence: int) -> HttpResponse:
    event = _public_event(event_id)
    drawn = get_object_or_404(event.draws, sequence=sequence)
    response = HttpResponse(write_panels(drawn.panels), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="open-day-{event.pk}-draw-{sequence}-panels.csv"'
    return response


def _register_context(event: Event, data: dict[str, str] | None = None, error: str = "") -> dict[str, object]:
    districts = sorted({q.value for q in event.quotas.filter(category="district")})
    return {
        "event": event,
        "districts": districts,
        "political": PoliticalStatus.choices,
        "occupations": Occupation.choices,
        "bases": Registration.Basis.choices,
        "data": data or {},
        "error": error,
    }


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _public_event(event_id)
    if event.status != states.OPEN:
        messages.info(request, _("本次开放日不在报名期内。"))
        return redirect("opendays:event", event_id=event.pk)
    if request.method == "GET":
        return render(request, "opendays/register.html", _register_context(event))
    data = {
        k: request.POST.get(k, "")
        for k in (
            "name",
            "phone",
            "code",
            "id_number",
            "basis",
            "political_status",
            "occupation",
            "district",
            "household",
        )
    }
    try:
        if request.POST.get("op") == "code":
            ratelimit.limit(request, "openday_code", phone=data["phone"])
            services.phone_code_send(phone=data["phone"])
            messages.success(request, _("验证码已发送，请查看短信。"))
            return render(request, "opendays/register.html", _register_context(event, data))
        ratelimit.limit(request, "openday_register", phone=data["phone"])
        reg = services.registration_submit(
            actor=request.user,
            event=event,
            name=data["name"],
            phone=data["phone"],
            code=data["code"],
            id_number=data["id_number"],
            basis=data["basis"],
            political_status=data["political_status"],
            occupation=data["occupation"],
            district=data["district"],
            household=data["household"],
            no_exclusion=bool(request.POST.get("no_exclusion")),
        )
    except HuyingError as exc:
        response = render(
            request, "opendays/register.html", _register_context(event, data, str(exc.message)), status=exc.status
        )
        return ratelimit.with_headers(response, exc)
    messages.success(
        request, _("报名成功，报名编号 %(n)s。抽签结果将以短信通知，也可在“我的开放日”查看。") % {"n": reg.number}
    )
    return redirect("opendays:event", event_id=event.pk)


@login_required
@require_http_methods(["GET"])
def mine(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    context = {"registrations": selectors.my_registrations(actor), "items": selectors.my_forum_items(actor)}
    return render(request, "opendays/mine.html", context)


@login_required
@require_POST
def answer_invitation(request: HttpRequest, registration_id: int) -> HttpResponse:
    action = request.POST.get("action", "")
    if action not in ("confirm", "decline"):
        raise Http404()
    try:
        services.registration_act(actor=request.user, registration=registration_id, action=action)
    except NotFound:
        raise Http404() from None
    except HuyingError as exc:
        messages.error(request, str(exc.message))
        return redirect("opendays:mine")
    messages.success(request, _("已确认参加。") if action == "confirm" else _("已婉拒，名额将由替补人选递补。"))
    return redirect("opendays:mine")
