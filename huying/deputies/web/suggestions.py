"""Pages of suggestions and proposals: the list of the assigning body and of handling units, and the
suggestion with the actions its viewer may take (assign, object, re-assign, reply, feedback...)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.core.deadlines import deadline_state
from huying.core.errors import ValidationFailed
from huying.organisations.models import OrgUnit

from .. import labels, states
from ..models import Suggestion
from ..services import suggestions as services
from ..services.common import is_staff
from .common import attempt, post_date, post_flag, post_int


def _visible(actor: Actor) -> QuerySet[Suggestion]:
    if is_staff(actor):
        return Suggestion.objects.all()
    mine = Q(proposer__user=actor.user)
    units = actor.unit_ids(Role.HANDLER)
    if units:
        mine |= Q(units__unit_id__in=units, units__is_current=True)
    return Suggestion.objects.filter(mine).distinct()


@require_http_methods(["GET"])
def published(request: HttpRequest) -> HttpResponse:
    """Suggestions published with their reply and the deputy's feedback, secrets and personal data
    removed (山东 Art. 27)."""
    rows = Suggestion.objects.filter(is_public=True, is_confidential=False).select_related("proposer")
    return render(request, "deputies/published.html", {"rows": rows.order_by("-closed_at", "-pk")[:100]})


@role_required(Role.LEGISLATIVE_STAFF, Role.HANDLER, Role.DEPUTY)
@require_http_methods(["GET"])
def suggestions(request: HttpRequest, actor: Actor) -> HttpResponse:
    rows = _visible(actor).select_related("proposer").order_by("-created_at")[:100]
    now = timezone.now()
    listed = [
        (
            s,
            labels.text(labels.SUGGESTION, s.status),
            deadline_state(s.due_at, now=now, closed=s.status not in states.OPEN_SUGGESTION),
        )
        for s in rows
    ]
    return render(request, "deputies/suggestions.html", {"rows": listed})


def _unit(request: HttpRequest, name: str) -> OrgUnit | None:
    pk = post_int(request, name)
    return OrgUnit.objects.filter(pk=pk).first() if pk else None


def _call(request: HttpRequest, actor: Actor, s: Suggestion) -> Any:
    action = request.POST.get("action", "")
    base: dict[str, Any] = {"actor": actor, "suggestion_id": s.pk}
    v = post_int(request, "version")
    version = v if v is not None else -1
    note = request.POST.get("note", "")
    co = list(OrgUnit.objects.filter(pk__in=[x for x in request.POST.getlist("co_units") if x.isdigit()]))
    calls = {
        "assign": lambda: services.suggestion_assign(
            **base, version=version, lead_unit=_unit(request, "lead_unit") or _missing_unit(),
            co_units=co, single_matter=post_flag(request, "single_matter"),
            key_supervision=post_flag(request, "key_supervision"),
        ),
        "accept": lambda: services.suggestion_accept(**base, version=version),
        "reject": lambda: services.suggestion_reject(**base, version=version, reason=note),
        "object": lambda: services.suggestion_object(**base, version=version, reason=note),
        "reassign": lambda: services.suggestion_reassign(
            **base, version=version, lead_unit=_unit(request, "lead_unit") or _missing_unit(), note=note, co_units=co
        ),
        "keep": lambda: services.suggestion_keep(**base, version=version, note=note),
        "extend": lambda: services.suggestion_extend(
            **base, version=version, until=post_date(request, "until") or timezone.localdate(), approval=note
        ),
        "co_input": lambda: services.suggestion_co_input(**base, text=note),
        "reply": lambda: services.suggestion_reply(
            **base, version=version, reply_class=request.POST.get("reply_class", ""),
            reply_mode=request.POST.get("reply_mode", ""), text=note,
        ),
        "feedback": lambda: services.suggestion_feedback(
            **base, version=version, attitude=request.POST.get("attitude", ""),
            result=request.POST.get("result", ""), note=note,
        ),
        "delivered": lambda: services.suggestion_delivered(**base, version=version, note=note),
        "publish": lambda: services.suggestion_publish(**base, public_text=note),
    }  # fmt: skip
    if action not in calls:
        raise Http404()
    return calls[action]


def _missing_unit() -> OrgUnit:
    raise ValidationFailed(_("请选择承办单位。"), data={"lead_unit": _("请选择承办单位。")})


@role_required(Role.LEGISLATIVE_STAFF, Role.HANDLER, Role.DEPUTY)
@require_http_methods(["GET", "POST"])
def suggestion(request: HttpRequest, actor: Actor, suggestion_id: int) -> HttpResponse:
    s = _visible(actor).select_related("proposer", "assigning_body").filter(pk=suggestion_id).first()
    if s is None:
        raise Http404()
    error = ""
    if request.method == "POST":
        _done, error = attempt(request, _call(request, actor, s))
        if not error:
            return redirect("deputies:suggestion", suggestion_id=s.pk)
        s = Suggestion.objects.get(pk=s.pk)
    roles = services.table_roles(actor, s)
    allowed = {t.action for t in states.SUGGESTION_TRANSITIONS.allowed(s.status, roles)}
    co_unit = services.co_unit_of(actor, s)
    context = {
        "s": s,
        "status": labels.text(labels.SUGGESTION, s.status),
        "due": deadline_state(s.due_at, closed=s.status not in states.OPEN_SUGGESTION),
        "allowed": allowed,
        "staff": is_staff(actor),
        "co_unit": co_unit,
        "units": s.units.select_related("unit"),
        "events": [(e, labels.text(labels.SUGGESTION_ACTIONS, e.action)) for e in s.events.select_related("actor")],
        "org_units": OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT).order_by("name"),
        "classes": Suggestion.ReplyClass.choices,
        "modes": Suggestion.ReplyMode.choices,
        "satisfaction": Suggestion.Satisfaction.choices,
        "error": error,
    }
    return render(request, "deputies/suggestion.html", context)
