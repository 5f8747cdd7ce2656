"""Pages of tasks to grid workers (任务领取): the worker's phone list and feedback form, the street's
push form and completion per grid."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError, NotFound
from huying.organisations.models import OrgUnit

from .. import tasks_selectors as selectors
from ..models import Grid
from ..permissions import HOUSEHOLD_STAFF, current_posts, manager_paths
from ..services import tasks as services
from ..tasks_models import GridTask

STREET_ROLES = (Role.HANDLER, Role.SUPERVISOR, Role.ADMIN)


def _worker_actor(request: HttpRequest) -> Actor:
    """A signed-in person with a current grid post (the post, not an account role, is the scope)."""
    if not request.user.is_authenticated:
        raise Http404()
    actor = actor_for(request.user)
    if not current_posts(actor, HOUSEHOLD_STAFF):
        raise NotFound()
    return actor


@require_http_methods(["GET"])
def worker_tasks(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    actor = _worker_actor(request)
    return render(request, "grids/tasks_worker.html", {"assignments": selectors.worker_assignments(actor=actor)})


@require_http_methods(["GET", "POST"])
def assignment_detail(request: HttpRequest, assignment_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    actor = actor_for(request.user)
    try:
        assignment = selectors.assignment_get_for(actor=actor, assignment_id=assignment_id)
    except NotFound:
        raise Http404() from None
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        version = int(request.POST.get("version") or -1)
        try:
            if action == "claim":
                services.task_claim(actor=actor, assignment_id=assignment.pk, version=version)
            elif action == "report_done":
                services.task_report_done(
                    actor=actor,
                    assignment_id=assignment.pk,
                    version=version,
                    feedback=request.POST.get("note", ""),
                    photo=request.FILES.get("photo"),
                )
            elif action == "reopen":
                services.task_reopen(
                    actor=actor, assignment_id=assignment.pk, version=version, note=request.POST.get("note", "")
                )
            else:
                raise Http404()
        except HuyingError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("grids:task_assignment", assignment_id=assignment.pk)
    actions = selectors.assignment_actions(actor=actor, assignment=assignment)
    context = {"a": assignment, "actions": actions, "error": error}
    return render(request, "grids/tasks_assignment.html", context)


def _managed_units(actor: Actor) -> list[OrgUnit]:
    paths = manager_paths(actor)
    units = OrgUnit.objects.filter(path__in=paths) if paths else OrgUnit.objects.none()
    return list(units.order_by("path"))


@role_required(*STREET_ROLES)
@require_http_methods(["GET", "POST"])
def street_tasks(request: HttpRequest, actor: Actor) -> HttpResponse:
    units = _managed_units(actor)
    grids = Grid.objects.filter(valid_to__isnull=True, level=Grid.Level.GRID)
    grids = grids.filter(unit__path__startswith=units[0].path) if len(units) == 1 else grids.none()
    error = ""
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
        try:
            due = dt.date.fromisoformat(request.POST.get("due", ""))
        except ValueError:
            due = None
        chosen = [int(g) for g in request.POST.getlist("grids") if g.isdigit()]
        if unit is None or due is None:
            error = _("请选择下达单位并填写完成期限。")
        else:
            try:
                task = services.task_create(
                    actor=actor,
                    unit=unit,
                    title=request.POST.get("title", ""),
                    description=request.POST.get("description", ""),
                    kind=request.POST.get("kind", GridTask.Kind.VISIT),
                    due=due,
                    grid_ids=chosen or None,
                )
            except HuyingError as exc:
                error = str(exc.message)
            else:
                messages.success(request, _("任务已下达。"))
                return redirect("grids:street_task", task_id=task.pk)
    context = {
        "progress": selectors.street_tasks(actor=actor),
        "units": units,
        "grids": grids,
        "kinds": GridTask.Kind.choices,
        "error": error,
    }
    return render(request, "grids/tasks_street.html", context)


@role_required(*STREET_ROLES)
@require_http_methods(["GET"])
def street_task(request: HttpRequest, actor: Actor, task_id: int) -> HttpResponse:
    task, assignments = selectors.street_task_get(actor=actor, task_id=task_id)
    return render(request, "grids/tasks_street_detail.html", {"task": task, "assignments": assignments})
