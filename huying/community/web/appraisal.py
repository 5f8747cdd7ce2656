"""Appraisal pages: a survey's ballot sheet (staff record the paper ballots; a resident in the sample
rates on their phone), its result and rectification, and the yearly member appraisal."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from huying.accounts.selectors import Actor, actor_for
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError, NotFound

from .. import selectors, services
from ..models import Body, Member, MemberAppraisal, Rectification, Survey
from ..permissions import current_members
from .common import STAFF_ROLES, attempt, int_or


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, survey_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    actor = actor_for(request.user)
    try:
        context = selectors.survey_context(actor, survey_id)
    except NotFound:
        raise Http404() from None
    error = ""
    if request.method == "POST":
        response, error = attempt(
            request, lambda: _post(request, actor, context["survey"], context["rect"]), "community:survey", survey_id
        )
        if response is not None:
            return response
        context = selectors.survey_context(actor, survey_id)
    found = context["survey"]
    bodies = Body.objects.filter(unit=found.unit, kind=Body.Kind.REPRESENTATIVES)
    return render(request, "community/survey.html", {**context, "bodies": bodies, "error": error})


def _post(request: HttpRequest, actor: Actor, found: Survey, rect: Rectification | None) -> None:
    data = request.POST
    action = data.get("action", "")
    if action == "record":
        ballots = {int_or(k[7:]): v for k in data if k.startswith("ballot-") and (v := data.get(k, ""))}
        services.survey_record(actor=actor, survey_id=found.pk, ballots=ballots)
    elif action == "rate":
        services.survey_rate(actor=actor, survey_id=found.pk, value=data.get("value", ""))
    elif action == "close":
        services.survey_close(actor=actor, survey_id=found.pk, version=int_or(data.get("version")))
    elif action == "report" and rect is not None:
        services.rectification_report(
            actor=actor, rectification_id=rect.pk, version=int_or(data.get("version")), note=data.get("note", "")
        )
    elif action == "rerate" and rect is not None:
        services.survey_open(
            actor=actor, unit=found.unit, title=data.get("title", ""), body_id=found.body_id, topic_id=found.topic_id,
            instrument=found.instrument, sample_body_id=int_or(data.get("sample_body"), 0) or None, rerates_id=rect.pk,
        )  # fmt: skip
    else:
        raise NotFound()


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def appraisals(request: HttpRequest, actor: Actor, slug: str) -> HttpResponse:
    """民主评议: each committee member's yearly result, flagged on a second 不称职 in a row."""
    profile = selectors.profile_for_staff(actor, slug)
    error = ""
    if request.method == "POST":
        data = request.POST
        try:
            services.member_appraisal_record(
                actor=actor, member_id=int_or(data.get("member")), year=int_or(data.get("year")),
                competent=int_or(data.get("competent"), 0), fairly=int_or(data.get("fairly"), 0),
                incompetent=int_or(data.get("incompetent"), 0),
            )  # fmt: skip
        except HuyingError as exc:
            error = str(exc.message)
        else:
            return redirect("community:appraisals", slug=slug)
    members: list[Member] = [
        m for b in Body.objects.filter(unit=profile.unit, kind=Body.Kind.COMMITTEES) for m in current_members(b)
    ]
    results = MemberAppraisal.objects.filter(member__body__unit=profile.unit).select_related("member__body")
    context = {
        "profile": profile,
        "members": members,
        "results": results.order_by("-year", "member__name"),
        "year": timezone.localdate().year,
        "error": error,
    }
    return render(request, "community/appraisals.html", context)
