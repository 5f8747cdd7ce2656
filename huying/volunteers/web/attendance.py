"""Sign-in at the place: the rotating QR the organiser (or the person served) shows, the volunteer's
phone page it opens, and the organiser's confirmation of hours; the figures page."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError

from .. import selectors, services, states
from ..activity_models import Activity, SignUp
from ..permissions import organises, volunteer_of
from . import forms


def _may_show_qr(actor: Actor, activity: Activity) -> bool:
    need = getattr(activity, "need", None)
    requester = need is not None and actor.is_authenticated and need.requester_id == actor.user.pk
    return requester or organises(actor, activity.org_unit)


@login_required
@require_GET
def activity_qr(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The code at the place; the page reloads itself when the code changes."""
    actor = actor_for(request.user)
    activity = Activity.objects.select_related("org_unit", "need").filter(pk=activity_id).first()
    if activity is None or not _may_show_qr(actor, activity):
        raise Http404()
    code, seconds = services.attendance.qr_payload(activity)
    url = request.build_absolute_uri(reverse("volunteers:checkin", args=[activity.pk, code]))
    qr = str(segno.make(url, error="m").svg_inline(scale=6, border=2, title=_("签到二维码")))
    context = {"activity": activity, "qr_svg": qr, "url": url, "seconds": seconds}
    return render(request, "volunteers/qr.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, activity_id: int, code: str) -> HttpResponse:
    actor = actor_for(request.user)
    volunteer = volunteer_of(actor)
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None or volunteer is None:
        raise Http404()
    signup = SignUp.objects.filter(activity=activity, volunteer=volunteer).first()
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        step = services.sign_in if action == "sign_in" else services.sign_out if action == "sign_out" else None
        if step is None:
            raise Http404()
        try:
            done = step(actor=actor, activity_id=activity.pk, code=code,
                        latitude=request.POST.get("latitude"), longitude=request.POST.get("longitude"))  # fmt: skip
        except HuyingError as exc:
            error = str(exc.message)
        else:
            if done.status == states.PRESENT:
                messages.success(request, _("签到成功。"))
            else:
                messages.success(
                    request, _("签退成功，本次服务 %(h)s 小时，待组织方确认。") % {"h": done.computed_hours}
                )
            return redirect("volunteers:home")
    context = {"activity": activity, "signup": signup, "error": error}
    return render(request, "volunteers/checkin.html", context)


@role_required(Role.VOLUNTEER_ORG, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def hours(request: HttpRequest, actor: Actor) -> HttpResponse:
    error = ""
    if request.method == "POST":
        signup_id = request.POST.get("signup", "")
        try:
            services.hours_confirm(actor=actor, signup_id=int(signup_id) if signup_id.isdigit() else 0,
                                   version=forms.version_of(request), hours=request.POST.get("hours"),
                                   reason=request.POST.get("reason", ""))  # fmt: skip
        except HuyingError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("服务时长已确认。"))
            return redirect("volunteers:hours")
    rows = selectors.hours_to_confirm(actor)[:200]
    return render(request, "volunteers/hours.html", {"rows": rows, "error": error})


@role_required(Role.VOLUNTEER_ORG, Role.SUPERVISOR, Role.ADMIN)
@require_GET
def figures(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "volunteers/figures.html", {"f": selectors.figures()})


@role_required(Role.VOLUNTEER_ORG, Role.ADMIN)
@require_GET
def activities(request: HttpRequest, actor: Actor) -> HttpResponse:
    rows = selectors.organised_activities(actor).order_by("-starts_at")[:100]
    return render(request, "volunteers/activities.html", {"rows": rows, "needs": selectors.open_needs()[:100]})
