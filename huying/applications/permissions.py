"""Who may see and act on an application. Missing and forbidden look the same (404)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor

from .models import Application, ReviewTask
from .states import APPLICANT, SYSTEM, TRANSITIONS, Action

# Roles that see every application: the comprehensive window serves every item (无差别一窗受理),
# hall managers and supervisors follow the figures.
ALL_SEEING = (Role.CLERK, Role.HALL_MANAGER, Role.SUPERVISOR, Role.ADMIN)
# Who may upload scans of an application's materials (when ``services.upload_open`` allows).
UPLOADERS = frozenset({APPLICANT, Role.CLERK})


def sees_all(actor: Actor) -> bool:
    return bool(getattr(actor.user, "is_superuser", False)) or any(actor.has_role(r) for r in ALL_SEEING)


def visible_applications_q(actor: Actor) -> Q:
    if not actor.is_authenticated:
        return Q(pk__in=[])
    if sees_all(actor):
        return Q()
    user = actor.user
    q = Q(applicant_user=user) | Q(agent=user) | Q(project__butler=user)
    for path in actor.unit_paths(Role.REVIEWER):
        q |= Q(unit__path__startswith=path)
        q |= Q(Exists(ReviewTask.objects.filter(application=OuterRef("pk"), unit__path__startswith=path)))
    return q


def reviewer_of(actor: Actor, unit_path: str) -> bool:
    return bool(unit_path) and any(unit_path.startswith(p) for p in actor.unit_paths(Role.REVIEWER))


def is_applicant_side(actor: Actor, application: Application) -> bool:
    """The applicant, or the agent filing under a recorded, active authorisation."""
    user_id = getattr(actor.user, "pk", None)
    if user_id is None:
        return False
    if application.applicant_user_id == user_id:
        return True
    if application.agent_id == user_id:
        proxy = application.proxy
        return proxy is None or proxy.revoked_at is None
    return False


def roles_for(actor: Actor | None, application: Application) -> set[str]:
    """The roles the actor holds with respect to this application (None is the system sweep)."""
    if actor is None:
        return {SYSTEM}
    roles: set[str] = set()
    if not actor.is_authenticated:
        return roles
    if actor.has_role(Role.CLERK):
        roles.add(Role.CLERK)
    paths = [application.unit.path] + [
        p for p in application.tasks.values_list("unit__path", flat=True) if p is not None
    ]
    if any(reviewer_of(actor, p) for p in paths):
        roles.add(Role.REVIEWER)
    if is_applicant_side(actor, application):
        roles.add(APPLICANT)
    return roles


def allowed_actions(actor: Actor, application: Application) -> list[str]:
    roles = roles_for(actor, application)
    return [
        t.action
        for t in TRANSITIONS.from_state(application.status)
        if t.roles & roles and not (t.action == Action.EXTEND and not _extension_open(application))
    ]


def _extension_open(application: Application) -> bool:
    """Art. 42 allows one extension, decided while the limit still runs (services refuse the rest)."""
    due = application.due_at
    return not application.extension_days and due is not None and timezone.now() <= due


def may_view(actor: Actor, application: Application) -> bool:
    return Application.objects.filter(visible_applications_q(actor), pk=application.pk).exists()
