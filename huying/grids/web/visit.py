"""The grid worker's phone pages: households due for a visit (走访写实簿) with a form to record one,
a finding turned into an appeal or a 网格代办 application,
and the grid's cases waiting for them: 自行处置 of their own report, on-site verification (核查)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huying.accounts.selectors import Actor, actor_for
from huying.appeals import services as appeal_services
from huying.appeals.models import Appeal
from huying.appeals.permissions import allowed_transitions, visible_appeals_q
from huying.appeals.states import Action, Channel, Status
from huying.core.errors import HuyingError, NotFound

from .. import selectors
from ..models import VisitFinding
from ..services import FindingInput, visit_finding_to_appeal, visit_finding_to_application, visit_record

CASE_ACTIONS = (Action.SELF_HANDLE, Action.VERIFY_PASS, Action.VERIFY_FAIL)


@login_required
@require_http_methods(["GET", "POST"])
def visits(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    if request.method == "POST":
        try:
            household = selectors.household_get_for(actor=actor, household_id=int(request.POST.get("household", 0)))
        except (NotFound, ValueError):
            raise Http404() from None
        text = request.POST.get("finding_text", "").strip()
        findings = [FindingInput(request.POST.get("finding_category", "other"), text)] if text else []
        try:
            visit = visit_record(
                actor=actor,
                household=household,
                channel=request.POST.get("channel", "home"),
                summary=request.POST.get("summary", ""),
                findings=findings,
            )
        except HuyingError as exc:
            messages.error(request, str(exc.message))
            return redirect("grids:visits")
        if findings:
            _convert(request, actor, VisitFinding.objects.get(visit=visit))
        else:
            messages.success(request, _("走访已记录。"))
        return redirect("grids:visits")
    due = selectors.visits_due_for(actor=actor)
    return render(request, "grids/visit_due.html", {"due": due, "categories": VisitFinding.Category.choices})


def _convert(request: HttpRequest, actor: Actor, finding: VisitFinding) -> None:
    """The finding turned into an appeal (12345) or a 网格代办 application, as the form asked."""
    item_code = request.POST.get("item_code", "").strip()
    try:
        if request.POST.get("to_appeal"):
            appeal = visit_finding_to_appeal(actor=actor, finding=finding)
            messages.success(request, _("走访已记录，发现已转为诉求 %(number)s。") % {"number": appeal.number})
        elif item_code:
            application = visit_finding_to_application(actor=actor, finding=finding, item_code=item_code)
            messages.success(request, _("走访已记录，已为住户代办申请 %(number)s。") % {"number": application.number})
        else:
            messages.success(request, _("走访已记录。"))
    except HuyingError as exc:
        messages.error(request, _("走访已记录，但未能转办：%(reason)s") % {"reason": exc.message})


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    waiting = Appeal.objects.filter(visible_appeals_q(actor), grid_code__gt="").filter(
        status__in=[Status.VERIFYING, Status.SUBMITTED], channel=Channel.GRID
    )
    rows = [
        (appeal, [t.action for t in allowed_transitions(actor, appeal) if t.action in CASE_ACTIONS])
        for appeal in waiting
    ]
    return render(request, "grids/report_cases.html", {"rows": [(a, acts) for a, acts in rows if acts]})


@login_required
@require_POST
def case_act(request: HttpRequest, appeal_id: int) -> HttpResponse:
    action = request.POST.get("action", "")
    if action not in CASE_ACTIONS:
        raise Http404()
    try:
        appeal = appeal_services.appeal_transition(
            actor=actor_for(request.user),
            appeal=appeal_id,
            action=action,
            note=request.POST.get("note", ""),
            photo=request.FILES.get("photo"),
        )
    except NotFound:
        raise Http404() from None
    except HuyingError as exc:
        messages.error(request, str(exc.message))
        return redirect("grids:cases")
    messages.success(
        request, _("工单 %(number)s：%(status)s。") % {"number": appeal.number, "status": appeal.get_status_display()}
    )
    return redirect("grids:cases")
