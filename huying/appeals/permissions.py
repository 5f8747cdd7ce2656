"""Who may see and do what with an appeal. Missing and forbidden look the same to callers."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from huying.accounts.roles import CITIZEN, Role
from huying.accounts.selectors import Actor
from huying.core.registry import appeal_roles
from huying.core.statemachine import Transition
from huying.organisations.models import OrgUnit

from .models import Appeal, AppealAssignment
from .states import TRANSITIONS, Action

# Actions that need more than a button press (a target order, a form) and are not offered as
# plain buttons in the timeline of actions.
# merge has its own form; joint replies come from a key problem; the grid loop's actions take an
# after-photo on the grid worker's phone page.
_NOT_A_BUTTON = {Action.MERGE, Action.JOINT_REPLY, Action.SELF_HANDLE, Action.VERIFY_PASS, Action.VERIFY_FAIL}


def _is_city_wide(paths: list[str]) -> bool:
    # A path like "/1/" is a root unit: its holder covers the whole deployment.
    return any(path.count("/") <= 2 for path in paths)


def visible_appeals_q(actor: Actor) -> Q:
    """The appeals the actor may read. A handling unit sees the orders it holds now, as lead or
    assisting unit: once an order is re-dispatched away (改派), the former unit gets the same "not
    found" as for any order not its own. What it did stays in the order's history, which the units
    now holding it, the hotline and supervisors read (docs/architecture.md, the appeal loop)."""
    if not actor.is_authenticated:
        return Q(pk__in=[])
    if actor.user.is_superuser or actor.has_role(Role.OPERATOR) or actor.has_role(Role.ADMIN):
        return Q()
    q = Q(pk__in=[])
    supervisor_paths = actor.unit_paths(Role.SUPERVISOR)
    if supervisor_paths:
        if _is_city_wide(supervisor_paths):
            return Q()
        for path in supervisor_paths:
            q |= Q(lead_unit__path__startswith=path)
    for path in actor.unit_paths(Role.HANDLER):
        held = AppealAssignment.objects.filter(appeal=OuterRef("pk"), unit__path__startswith=path, is_active=True)
        q |= Q(Exists(held))
    if actor.is_citizen:
        q |= Q(citizen=actor.user)
    extra = appeal_roles.call("visible_q", actor)
    if extra is not None:
        q |= extra
    return q


def _unit_path(appeal: Appeal) -> str:
    unit: OrgUnit | None = appeal.lead_unit
    return unit.path if unit is not None else ""


def actor_roles_for(actor: Actor, appeal: Appeal) -> set[str]:
    """The roles the actor holds *with respect to this appeal*."""
    roles: set[str] = set()
    if not actor.is_authenticated:
        return roles
    if actor.has_role(Role.OPERATOR):
        roles.add(Role.OPERATOR)
    lead_path = _unit_path(appeal)
    sup_paths = actor.unit_paths(Role.SUPERVISOR)
    if sup_paths and (_is_city_wide(sup_paths) or any(lead_path.startswith(p) for p in sup_paths if lead_path)):
        roles.add(Role.SUPERVISOR)
    if lead_path and any(lead_path.startswith(p) for p in actor.unit_paths(Role.HANDLER)):
        roles.add(Role.HANDLER)
    if appeal.citizen_id is not None and appeal.citizen_id == actor.user.pk:
        roles.add(CITIZEN)
    roles |= appeal_roles.call("roles", actor, appeal) or set()
    return roles


def allowed_transitions(actor: Actor, appeal: Appeal) -> list[Transition]:
    return TRANSITIONS.allowed(appeal.status, actor_roles_for(actor, appeal))


def allowed_actions(actor: Actor, appeal: Appeal) -> list[str]:
    """Action codes the actor may take now; feeds both page buttons and the API."""
    return [t.action for t in allowed_transitions(actor, appeal) if t.action not in _NOT_A_BUTTON]


def can_view_personal_data(actor: Actor, appeal: Appeal) -> bool:
    """Full phone and ID number: hotline staff who call people back. Handling units never see a
    confidential (whistle-blower) requester's data (Jinan Art. 32)."""
    if appeal.citizen_id is not None and appeal.citizen_id == actor.user.pk:
        return True
    roles = actor_roles_for(actor, appeal)
    return bool(roles & {Role.OPERATOR, Role.SUPERVISOR})
