"""Reads of tasks to grid workers. A worker sees only the assignments of grids they serve; the street
sees the tasks it pushed with their completion per grid. Missing and forbidden look the same."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from huying.accounts.models import User
from huying.accounts.selectors import Actor, actor_for
from huying.core.errors import NotFound
from huying.organisations.selectors import under_paths_q

from .permissions import HOUSEHOLD_STAFF, current_posts, is_platform_admin, manager_paths
from .tasks_models import GridTask, GridTaskAssignment
from .tasks_states import STREET, TRANSITIONS, WORKER


def _street_q(actor: Actor, prefix: str = "") -> Q:
    if is_platform_admin(actor):
        return Q()
    return under_paths_q(manager_paths(actor), f"{prefix}unit__path")


def worker_assignments(*, actor: Actor | User | AnonymousUser) -> QuerySet[GridTaskAssignment]:
    """Assignments of the grids the actor serves now, open ones first, then by due date."""
    grid_ids = [post.grid_id for post in current_posts(actor_for(actor), HOUSEHOLD_STAFF)]
    return (
        GridTaskAssignment.objects.filter(grid_id__in=grid_ids)
        .select_related("task", "grid", "claimed_by")
        .order_by("status", "task__due", "pk")
    )


def assignment_get_for(*, actor: Actor | User | AnonymousUser, assignment_id: int) -> GridTaskAssignment:
    resolved = actor_for(actor)
    found = worker_assignments(actor=resolved).filter(pk=assignment_id).first()
    if found is None:
        found = (
            GridTaskAssignment.objects.filter(_street_q(resolved, "task__"), pk=assignment_id)
            .select_related("task", "grid", "claimed_by")
            .first()
        )
    if found is None:
        raise NotFound()
    return found


def assignment_actions(*, actor: Actor | User | AnonymousUser, assignment: GridTaskAssignment) -> list[str]:
    """The actions the actor may take on the assignment now (for the page's buttons)."""
    resolved = actor_for(actor)
    roles = set()
    if any(post.grid_id == assignment.grid_id for post in current_posts(resolved, HOUSEHOLD_STAFF)):
        roles.add(WORKER)
    if GridTask.objects.filter(_street_q(resolved), pk=assignment.task_id).exists():
        roles.add(STREET)
    return [t.action for t in TRANSITIONS.allowed(assignment.status, roles)]


@dataclass(frozen=True)
class TaskProgress:
    task: GridTask
    grids: int
    claimed: int
    done: int

    @property
    def done_ratio(self) -> float:
        return self.done / self.grids if self.grids else 0.0


def street_tasks(*, actor: Actor | User | AnonymousUser) -> list[TaskProgress]:
    """Tasks pushed by units the actor manages, with how many grids claimed and finished them."""
    S = GridTaskAssignment.Status
    qs = (
        GridTask.objects.filter(_street_q(actor_for(actor)))
        .select_related("unit")
        .annotate(
            n_grids=Count("assignments"),
            n_claimed=Count("assignments", filter=Q(assignments__status=S.CLAIMED)),
            n_done=Count("assignments", filter=Q(assignments__status=S.DONE)),
        )
    )
    return [TaskProgress(t, t.n_grids, t.n_claimed, t.n_done) for t in qs]  # type: ignore[attr-defined]


def street_task_get(*, actor: Actor | User | AnonymousUser, task_id: int) -> tuple[GridTask, list[GridTaskAssignment]]:
    """A task the actor's unit pushed, with its assignment per grid; NotFound otherwise."""
    task = GridTask.objects.filter(_street_q(actor_for(actor)), pk=task_id).select_related("unit").first()
    if task is None:
        raise NotFound()
    assignments = list(task.assignments.select_related("grid", "claimed_by").order_by("grid__code"))
    return task, assignments
