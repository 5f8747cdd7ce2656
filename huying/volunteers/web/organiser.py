"""Organiser and volunteer pages of the duty post, call-outs and the Excel register; the operator's
conversion of a 12345 appeal into a need."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.appeals.selectors import appeal_get_for
from huying.core.errors import HuyingError

from ..extra_models import CallOut
from ..models import Station, Team
from ..permissions import organiser_paths
from ..services import excel, extra, need_from_appeal
from . import forms

ORGANISERS = (Role.VOLUNTEER_ORG, Role.ADMIN)


def _teams(actor: Actor) -> list[Team]:
    rows = Team.objects.select_related("org_unit")
    return [t for t in rows if any(t.org_unit.path.startswith(p) for p in organiser_paths(actor))]


@login_required
@require_POST
def invite_answer(request: HttpRequest, invite_id: int) -> HttpResponse:
    try:
        extra.callout_answer(actor=request.user, invite_id=invite_id, accept=request.POST.get("answer") == "accept")
    except HuyingError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已回复召集。"))
    return redirect("volunteers:home")


@role_required(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def callouts(request: HttpRequest, actor: Actor) -> HttpResponse:
    units = {t.org_unit for t in _teams(actor)}
    error = ""
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
        target = request.POST.get("target", "")
        chosen = list(Station.objects.filter(pk__in=[s for s in request.POST.getlist("stations") if s.isdigit()]))
        try:
            if unit is None:
                raise Http404()
            extra.callout_create(actor=actor, org_unit=unit, title=request.POST.get("title", ""),
                                 skill_codes=forms.skill_codes(request.POST), stations=chosen,
                                 target=int(target) if target.isdigit() else 0)  # fmt: skip
        except HuyingError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("召集已发出。"))
            return redirect("volunteers:callouts")
    rows = [(c, extra.callout_headcount(c)) for c in CallOut.objects.filter(org_unit__in=units)[:20]]
    context = {"rows": rows, "units": units, "stations": Station.objects.all(), "tree": forms.SKILL_TREE,
               "error": error, "chosen": []}  # fmt: skip
    return render(request, "volunteers/callouts.html", context)


@role_required(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def register_import(request: HttpRequest, actor: Actor) -> HttpResponse:
    teams = _teams(actor)
    report = None
    if request.method == "POST":
        team = next((t for t in teams if str(t.pk) == request.POST.get("team")), None)
        upload = request.FILES.get("file")
        if team is None or upload is None:
            raise Http404()
        report = excel.volunteers_import(upload, actor=actor, team=team)
        if report.ok:
            messages.success(request, _("已导入 %(n)d 名志愿者。") % {"n": report.created})
            return redirect("volunteers:register_import")
    context = {"teams": teams, "report": report, "headers": excel.HEADERS}
    return render(request, "volunteers/register_import.html", context)


@role_required(*ORGANISERS)
@require_http_methods(["GET"])
def register_export(request: HttpRequest, actor: Actor, team_id: int) -> HttpResponse:
    team = next((t for t in _teams(actor) if t.pk == team_id), None)
    if team is None:
        raise Http404()
    body = excel.volunteers_export(actor=actor, team=team)
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="volunteers-{team.pk}.xlsx"'
    return response


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def from_appeal(request: HttpRequest, actor: Actor) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            appeal = appeal_get_for(actor=actor, number=request.POST.get("number", "").strip())
            need = need_from_appeal(actor=actor, appeal_id=appeal.pk, skill_codes=forms.skill_codes(request.POST),
                                    starts_at=forms.parse_local(request.POST.get("starts_at")),
                                    ends_at=forms.parse_local(request.POST.get("ends_at")),
                                    latitude=request.POST.get("latitude"), longitude=request.POST.get("longitude"))  # fmt: skip
        except HuyingError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("已转为志愿服务需求，编号 %(n)s。") % {"n": need.number})
            return redirect("volunteers:need", need_id=need.pk)
    context = {
        "error": error,
        "tree": forms.SKILL_TREE,
        "form": request.POST,
        "chosen": forms.skill_codes(request.POST),
    }
    return render(request, "volunteers/from_appeal.html", context)
