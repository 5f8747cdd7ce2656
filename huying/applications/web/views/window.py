"""Window and back-office pages: 一窗受理 (accepting an application), the reviewer inbox and decisions, the unified issue window."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.catalogue.selectors import bundle_search, item_search
from huying.core.deadlines import deadline_state
from huying.core.errors import HuyingError, NotFound, ValidationFailed

from ... import selectors, services
from ...models import ReviewTask
from ...states import (
    Action,
    ApplicantKind,
    Channel,
    IssueMethod,
    MaterialStatus,
    Status,
)
from .common import error_text, field_errors, form_data, int_or_none, posted_materials, posted_reasons, target_of

# --- 一窗受理 ---------------------------------------------------------------------------------------


RECEIVE_ACTIONS = {
    "accept": Action.ACCEPT,
    "accept_with_promise": Action.ACCEPT_WITH_PROMISE,
    "request_correction": Action.REQUEST_CORRECTION,
    "reject": Action.REJECT,
    "receive": "",
}


@role_required(Role.CLERK)
def accept(request: HttpRequest, actor: Actor) -> HttpResponse:
    """一窗受理: search the catalogue, pick an item or a bundle, enter the applicant, the merged form
    and the materials checklist, then accept / 容缺 / 一次性告知补正 / 不予受理."""
    params = request.POST if request.method == "POST" else request.GET
    query = (request.GET.get("q") or "").strip()[:50]
    item, bundle = target_of(params)
    plan = None
    if item is not None or bundle is not None:
        plan = services.plan_for(item=item, bundle=bundle)
    errors: dict[str, Any] = {}
    if request.method == "POST" and plan is not None:
        choice = request.POST.get("do", "")
        if choice not in RECEIVE_ACTIONS:
            messages.error(request, _("请选择受理操作。"))
        else:
            keys = [m.key for m in plan.materials]
            try:
                with transaction.atomic():
                    app = services.application_receive(
                        actor=actor,
                        item=item,
                        bundle=bundle,
                        applicant_kind=request.POST.get("applicant_kind", ""),
                        applicant_name=request.POST.get("applicant_name", ""),
                        applicant_code=request.POST.get("applicant_code", ""),
                        applicant_phone=request.POST.get("applicant_phone", ""),
                        form_data=form_data(request.POST),
                        channel=Channel.WINDOW,
                        ticket_number=request.POST.get("ticket", ""),
                    )
                    action = RECEIVE_ACTIONS[choice]
                    if action:
                        app = services.application_transition(
                            actor=actor,
                            application=app,
                            action=action,
                            note=request.POST.get("note", ""),
                            materials=posted_materials(request.POST, keys),
                            reasons=posted_reasons(request.POST, keys),
                        )
                        if action in (Action.ACCEPT, Action.ACCEPT_WITH_PROMISE):
                            app = services.application_transition(
                                actor=actor, application=app, action=Action.START_REVIEW
                            )
                    elif posted_materials(request.POST, keys):
                        app = services.application_materials_update(
                            actor=actor, application=app, materials=posted_materials(request.POST, keys)
                        )
            except HuyingError as exc:
                messages.error(request, str(exc.message))
                errors = field_errors(exc)
            else:
                messages.success(
                    request,
                    _("办件 %(number)s：%(status)s。") % {"number": app.number, "status": app.get_status_display()},
                )
                return redirect("applications:detail", number=app.number)
    context = {
        "query": query,
        "items": item_search(query)[:20] if query else [],
        "bundles": bundle_search(query)[:10] if query else [],
        "item": item,
        "bundle": bundle,
        "plan": plan,
        "post": request.POST if request.method == "POST" else {},
        "errors": errors,
        "form_errors": errors.get("form_data", {}) if isinstance(errors.get("form_data"), dict) else {},
        "material_errors": errors.get("materials", {}) if isinstance(errors.get("materials"), dict) else {},
        "ticket": params.get("ticket", ""),
        "kinds": ApplicantKind.choices,
        "material_statuses": [(v, lbl) for v, lbl in MaterialStatus.choices if v != MaterialStatus.E_LICENCE],
        "queue": selectors.clerk_queue()[:30],
    }
    return render(request, "applications/accept.html", context, status=400 if errors else 200)


# --- reviewer inbox, issue window ------------------------------------------------------------------


@role_required(Role.REVIEWER)
def review_inbox(request: HttpRequest, actor: Actor) -> HttpResponse:
    now = timezone.now()
    tasks = list(selectors.reviewer_tasks(actor)[:200])
    rows = [
        {
            "task": t,
            "deadline": deadline_state(t.due_at, now=now, paused=t.application.status == Status.SPECIAL_PROCEDURE),
        }
        for t in tasks
    ]
    return render(request, "applications/review_inbox.html", {"rows": rows})


@require_POST
@role_required(Role.REVIEWER)
def task_decide(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    decision = request.POST.get("decision", "")
    task = ReviewTask.objects.filter(pk=pk).select_related("application").first()
    if task is None:
        raise Http404()
    try:
        if decision not in ("approve", "refuse"):
            raise ValidationFailed(_("请选择同意或不同意。"))
        services.review_task_decide(
            actor=actor,
            task=task,
            approve=decision == "approve",
            opinion=request.POST.get("opinion", ""),
            expected_version=int_or_none(request.POST.get("version")),
        )
    except NotFound:
        raise Http404() from None
    except HuyingError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("审查意见已提交（办件 %(number)s）。") % {"number": task.application.number})
    # Decisions are taken on the application's review page, next to the materials.
    return redirect("applications:detail", number=task.application.number)


@role_required(Role.CLERK)
def issue_window(request: HttpRequest, actor: Actor) -> HttpResponse:
    now = timezone.now()
    rows = [{"app": a, "deadline": deadline_state(a.issue_due_at, now=now)} for a in selectors.issue_queue()[:200]]
    return render(request, "applications/issue.html", {"rows": rows, "issue_methods": IssueMethod.choices})
