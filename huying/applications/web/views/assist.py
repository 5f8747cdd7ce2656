"""帮办代办 and the enterprise project butler, and the figures page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.core import params
from huying.core.errors import HuyingError, NotFound, ValidationFailed

from ... import selectors, services
from ...models import ProxyAuthorisation
from ...states import (
    ApplicantKind,
    AssistKind,
)
from .common import error_text, field_errors, int_or_none

# --- 帮办代办 -----------------------------------------------------------------------------------------


@role_required(Role.AGENT, Role.CLERK)
def proxies(request: HttpRequest, actor: Actor) -> HttpResponse:
    errors: dict[str, Any] = {}
    if request.method == "POST":
        if request.POST.get("revoke"):
            proxy = ProxyAuthorisation.objects.filter(pk=int_or_none(request.POST.get("revoke")) or 0).first()
            if proxy is None:
                raise Http404()
            try:
                services.proxy_revoke(actor=actor, proxy=proxy)
            except NotFound:
                raise Http404() from None
            messages.success(request, _("授权委托已撤销。"))
            return redirect("applications:proxies")
        agent = request.user if actor.has_role(Role.AGENT) else None
        if request.POST.get("agent"):
            agent = User.objects.filter(username=request.POST.get("agent", "")[:150]).first()
        try:
            services.proxy_authorise(
                actor=actor,
                agent=agent,
                principal_kind=request.POST.get("principal_kind", ""),
                principal_name=request.POST.get("principal_name", ""),
                principal_code=request.POST.get("principal_code", ""),
                principal_phone=request.POST.get("principal_phone", ""),
                scope=request.POST.get("scope", ""),
                valid_until=request.POST.get("valid_until", ""),
            )
        except HuyingError as exc:
            messages.error(request, error_text(exc))
            errors = field_errors(exc)
        else:
            messages.success(request, _("授权委托已登记，可代为申请。"))
            return redirect("applications:proxies")
    rows = ProxyAuthorisation.objects.select_related("agent").order_by("-created_at")
    if not actor.has_role(Role.CLERK):
        rows = rows.filter(agent=actor.user)
    return render(
        request,
        "applications/proxies.html",
        {
            "rows": rows[:100],
            "errors": errors,
            "post": request.POST if request.method == "POST" else {},
            "kinds": ApplicantKind.choices,
            "is_clerk": actor.has_role(Role.CLERK),
            "today": timezone.localdate(),
        },
        status=400 if errors else 200,
    )


@role_required(Role.AGENT, Role.CLERK, Role.HALL_MANAGER)
def assists(request: HttpRequest, actor: Actor) -> HttpResponse:
    errors: dict[str, Any] = {}
    if request.method == "POST":
        application = None
        number = request.POST.get("application", "").strip()
        try:
            if number:
                try:
                    application = selectors.application_get(actor, number)
                except NotFound:
                    raise ValidationFailed(data={"application": _("办件编号不存在。")}) from None
            services.assisted_service_record(
                actor=actor,
                kind=request.POST.get("kind", ""),
                person_name=request.POST.get("person_name", ""),
                person_phone=request.POST.get("person_phone", ""),
                served_on=request.POST.get("served_on", ""),
                note=request.POST.get("note", ""),
                application=application,
            )
        except HuyingError as exc:
            messages.error(request, error_text(exc))
            errors = field_errors(exc)
        else:
            messages.success(request, _("帮办服务已登记。"))
            return redirect("applications:assists")
    from ...models import AssistedService

    rows = AssistedService.objects.select_related("staff", "application")
    if not (actor.has_role(Role.HALL_MANAGER) or actor.has_role(Role.CLERK)):
        rows = rows.filter(staff=actor.user)
    return render(
        request,
        "applications/assists.html",
        {
            "rows": rows[:100],
            "errors": errors,
            "post": request.POST if request.method == "POST" else {"served_on": timezone.localdate().isoformat()},
            "kinds": AssistKind.choices,
        },
        status=400 if errors else 200,
    )


@role_required(Role.AGENT, Role.CLERK, Role.HALL_MANAGER, Role.SUPERVISOR)
def projects(request: HttpRequest, actor: Actor) -> HttpResponse:
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            project = services.project_create(
                actor=actor,
                name=request.POST.get("name", ""),
                code=request.POST.get("code", ""),
                enterprise_name=request.POST.get("enterprise_name", ""),
                enterprise_credit_code=request.POST.get("enterprise_credit_code", ""),
            )
        except HuyingError as exc:
            messages.error(request, error_text(exc))
            errors = field_errors(exc)
        else:
            return redirect("applications:project", pk=project.pk)
    return render(
        request,
        "applications/projects.html",
        {"rows": selectors.projects_for(actor)[:100], "errors": errors, "post": request.POST},
        status=400 if errors else 200,
    )


@role_required(Role.AGENT, Role.CLERK, Role.HALL_MANAGER, Role.SUPERVISOR)
def project(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    try:
        found = selectors.project_get(actor, pk)
    except NotFound:
        raise Http404() from None
    apps = list(found.applications.select_related("unit").order_by("received_at"))
    rows = []
    for a in apps:
        tasks = list(a.tasks.select_related("unit"))
        done = sum(1 for t in tasks if t.status == "approved")
        rows.append({"app": a, "tasks": tasks, "done": done, "total": len(tasks)})
    return render(request, "applications/project.html", {"project": found, "rows": rows})


# --- figures --------------------------------------------------------------------------------------------


@role_required(*selectors.FIGURE_ROLES)
def figures(request: HttpRequest, actor: Actor) -> HttpResponse:
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=90), today
    error = ""
    try:
        start = params.date_param(request.GET.get("start"), name="start", default=start) or start
        end = params.date_param(request.GET.get("end"), name="end", default=end) or end
        if start > end:
            raise ValueError
        if (end - start).days > 366 * 3:
            raise ValueError
    except (ValueError, ValidationFailed):
        error = _("日期范围无效：请输入起止日期（如 2026-01-01），起始不晚于截止，跨度不超过三年。")
        start, end = today - dt.timedelta(days=90), today
    data = selectors.figures(start=start, end=end)
    return render(request, "applications/figures.html", {"f": data, "error": error}, status=400 if error else 200)
