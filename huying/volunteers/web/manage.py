"""The organiser's pages: projects, teams and stations (实践中心 → 所 → 站); activities, one-off or on a
fixed day each month; the 学雷锋岗 roster with its swaps and the QR at the hall; the 志愿者学院's
courses and attendance. A volunteer's own side of the duty post (swap request, check-in) is here too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError
from huying.core.forms import apply_errors
from huying.organisations.models import OrgUnit
from huying.organisations.selectors import under_paths_q

from .. import rotating
from ..activity_models import Project
from ..extra_models import Course, DutyShift
from ..models import Station, Team
from ..permissions import is_admin, organiser_paths, organises, volunteer_of
from ..services import archive, attendance, extra
from . import forms as f

ORGANISERS = (Role.VOLUNTEER_ORG, Role.ADMIN)


def _scoped(actor: Actor, queryset: QuerySet[Any], field: str) -> QuerySet[Any]:
    if is_admin(actor):
        return queryset
    return queryset.filter(under_paths_q(organiser_paths(actor), field))


def _units(actor: Actor) -> QuerySet[OrgUnit]:
    return _scoped(actor, OrgUnit.objects.filter(is_active=True), "path").order_by("path")


def _stations(actor: Actor) -> QuerySet[Station]:
    return _scoped(actor, Station.objects.select_related("org_unit"), "org_unit__path").order_by("level", "name")


def _done(request: HttpRequest, text: str, to: str, *args: Any) -> HttpResponse:
    messages.success(request, text)
    return redirect(to, *args)


@role_required(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Projects, teams and stations of the organiser's units, each with the form that adds one."""
    units, stations = _units(actor), _stations(actor)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    posted = request.POST if request.method == "POST" else None
    project_form = f.ProjectForm(posted if which == "project" else None, units=units, prefix="project")
    team_form = f.TeamForm(posted if which == "team" else None, units=units, stations=stations, prefix="team")
    station_form = f.StationForm(posted if which == "station" else None, units=units, stations=stations, prefix="st")
    form = {"project": project_form, "team": team_form, "station": station_form}.get(which)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if which == "project":
                made: Any = archive.project_create(actor=actor, **data)
            elif which == "team":
                made = archive.team_create(actor=actor, **data)
            else:
                made = archive.station_create(
                    actor=actor, **data, latitude=request.POST.get("latitude"), longitude=request.POST.get("longitude")
                )
        except HuyingError as exc:
            apply_errors(form, exc)
        else:
            return _done(request, _("已添加“%(name)s”。") % {"name": made.name}, "volunteers:manage")
    context = {
        "projects": _scoped(actor, Project.objects.select_related("owner"), "owner__path")[:50],
        "teams": _scoped(actor, Team.objects.select_related("org_unit", "station", "leader"), "org_unit__path")[:100],
        "stations": stations[:200],
        "project_form": project_form,
        "team_form": team_form,
        "station_form": station_form,
        "open_form": which,
        "place": {"latitude": request.POST.get("latitude", ""), "longitude": request.POST.get("longitude", "")},
    }
    return render(request, "volunteers/manage.html", context, status=400 if form is not None else 200)


@role_required(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest, actor: Actor) -> HttpResponse:
    projects = _scoped(actor, Project.objects.all(), "owner__path")
    form = f.ActivityForm(request.POST or None, units=_units(actor), projects=projects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = attendance.activity_create(
                actor=actor, org_unit=data["org_unit"], title=data["title"], address=data["address"],
                latitude=request.POST.get("latitude"), longitude=request.POST.get("longitude"),
                starts_at=data["starts_at"], ends_at=data["ends_at"], capacity=data["capacity"],
                skill_codes=f.skill_codes(request.POST), project=data["project"],
                monthly_day=data["monthly_day"], months=data["months"] or 1,
            )  # fmt: skip
        except HuyingError as exc:
            apply_errors(form, exc)
        else:
            text = _("已发布活动“%(title)s”，共 %(n)s 场。") % {"title": made[0].title, "n": len(made)}
            return _done(request, text, "volunteers:activities")
    context = {
        "form": form,
        "tree": f.SKILL_TREE,
        "chosen": f.skill_codes(request.POST) if request.method == "POST" else [],
        "place": {"latitude": request.POST.get("latitude", ""), "longitude": request.POST.get("longitude", "")},
    }
    return render(request, "volunteers/activity_new.html", context, status=400 if form.errors else 200)


@role_required(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def duty(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The roster: upcoming shifts by hall, the form that books one, and swaps waiting for approval."""
    units = _units(actor)
    form = f.ShiftForm(request.POST or None if request.POST.get("form") == "shift" else None, units=units)
    if request.method == "POST" and request.POST.get("form") == "approve":
        shift_id, version = request.POST.get("shift", ""), f.version_of(request)
        try:
            extra.duty_swap_approve(actor=actor, shift_id=int(shift_id) if shift_id.isdigit() else 0, version=version)
        except HuyingError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("已批准换班。"))
        return redirect("volunteers:duty")
    if request.method == "POST" and form.is_valid():
        try:
            shift = extra.duty_shift_create(actor=actor, **form.cleaned_data)
        except HuyingError as exc:
            apply_errors(form, exc)
        else:
            local = timezone.localtime(shift.starts_at)
            text = _("已安排 %(name)s %(t)s 值班。") % {"name": shift.volunteer.real_name, "t": f"{local:%m-%d %H:%M}"}
            return _done(request, text, "volunteers:duty")
    shifts = _scoped(
        actor,
        DutyShift.objects.select_related("hall", "volunteer", "swap_to").filter(
            ends_at__gte=timezone.now() - dt.timedelta(days=1)
        ),
        "hall__path",
    ).order_by("starts_at")[:200]
    context = {"form": form, "shifts": shifts}
    return render(request, "volunteers/duty.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def duty_qr(request: HttpRequest, shift_id: int) -> HttpResponse:
    """The code on the duty post's screen; the page reloads itself when the code changes."""
    actor = actor_for(request.user)
    shift = DutyShift.objects.select_related("hall", "volunteer").filter(pk=shift_id).first()
    if shift is None or not organises(actor, shift.hall):
        raise Http404()
    code = extra.duty_code(shift)
    url = request.build_absolute_uri(reverse("volunteers:duty_checkin", args=[shift.pk, code]))
    qr = str(segno.make(url, error="m").svg_inline(scale=6, border=2, title=_("值班签到二维码")))
    context = {
        "shift": shift,
        "qr_svg": qr,
        "url": url,
        "seconds": rotating.seconds_left(),
        "period": rotating.DEFAULT_PERIOD,
    }
    return render(request, "volunteers/duty_qr.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def duty_checkin(request: HttpRequest, shift_id: int, code: str) -> HttpResponse:
    actor = actor_for(request.user)
    volunteer = volunteer_of(actor)
    shift = DutyShift.objects.select_related("hall").filter(pk=shift_id).first()
    if shift is None or volunteer is None or shift.volunteer_id != volunteer.pk:
        raise Http404()
    error = ""
    if request.method == "POST":
        try:
            extra.duty_check_in(actor=actor, shift_id=shift.pk, code=code)
        except HuyingError as exc:
            error = str(exc.message)
        else:
            return _done(request, _("到岗签到成功。"), "volunteers:home")
    return render(request, "volunteers/duty_checkin.html", {"shift": shift, "error": error})


@login_required
@require_POST
def duty_swap(request: HttpRequest, shift_id: int) -> HttpResponse:
    """A volunteer asks to hand a shift to another volunteer; the organiser approves on the roster."""
    form = f.SwapForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("to", [])) or _("请填写换班志愿者。"))
        return redirect("volunteers:home")
    try:
        extra.duty_swap_request(actor=request.user, shift_id=shift_id, version=f.version_of(request),
                                to=form.cleaned_data["to"])  # fmt: skip
    except HuyingError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("换班申请已提交，待组织方批准。"))
    return redirect("volunteers:home")


@role_required(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def training(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = f.CourseForm(request.POST or None, units=_units(actor))
    if request.method == "POST" and form.is_valid():
        try:
            course = extra.course_create(actor=actor, **form.cleaned_data)
        except HuyingError as exc:
            apply_errors(form, exc)
        else:
            return _done(request, _("已添加课程“%(name)s”。") % {"name": course.name}, "volunteers:course", course.pk)
    courses = _scoped(actor, Course.objects.select_related("org_unit"), "org_unit__path").order_by("-held_at")[:100]
    return render(request, "volunteers/training.html", {"form": form, "courses": courses},
                  status=400 if form.errors else 200)  # fmt: skip


@role_required(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def course(request: HttpRequest, actor: Actor, course_id: int) -> HttpResponse:
    found = Course.objects.select_related("org_unit").filter(pk=course_id).first()
    if found is None or not organises(actor, found.org_unit):
        raise Http404()
    form = f.AttendanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = extra.training_attend(actor=actor, course=found, volunteers=form.cleaned_data["people"])
        return _done(request, _("已登记，本课程累计培训 %(n)s 人次。") % {"n": count}, "volunteers:course", found.pk)
    people = found.attendance.select_related("volunteer").order_by("volunteer__real_name")
    return render(request, "volunteers/course.html", {"course": found, "form": form, "people": people},
                  status=400 if form.errors else 200)  # fmt: skip
