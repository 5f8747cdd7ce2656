"""Who sees and acts on a rectification case. Missing and forbidden look the same (404).

Staff of the rated unit (any hall or department role held at that unit or above it) handle the
case; supervisors of the unit or an ancestor see it, may 回访 and review complaints.
"""

from __future__ import annotations

from django.db.models import Q

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.organisations.selectors import under_paths_q

from .models import RectificationCase
from .states import NOT_A_BUTTON, TRANSITIONS, UNIT_STAFF, UNIT_STAFF_ROLES, action_applies


def _is_city_wide(paths: list[str]) -> bool:
    # "/1/" is a root unit: its holder covers the whole deployment.
    return any(path.count("/") <= 2 for path in paths)


def _staff_paths(actor: Actor) -> list[str]:
    return [path for role, _, path in actor.roles if role in UNIT_STAFF_ROLES]


def sees_everything(actor: Actor) -> bool:
    if not actor.is_authenticated:
        return False
    if actor.user.is_superuser or actor.has_role(Role.ADMIN):
        return True
    return _is_city_wide(actor.unit_paths(Role.SUPERVISOR))


def visible_cases_q(actor: Actor) -> Q:
    if not actor.is_authenticated:
        return Q(pk__in=[])
    if sees_everything(actor):
        return Q()
    return under_paths_q([*actor.unit_paths(Role.SUPERVISOR), *_staff_paths(actor)])


def roles_for(actor: Actor, case: RectificationCase) -> set[str]:
    """The roles the actor holds with respect to this case."""
    roles: set[str] = set()
    if not actor.is_authenticated:
        return roles
    unit_path = case.unit.path if case.unit is not None else ""
    sup_paths = actor.unit_paths(Role.SUPERVISOR)
    if _is_city_wide(sup_paths) or (unit_path and any(unit_path.startswith(p) for p in sup_paths)):
        roles.add(Role.SUPERVISOR)
    if unit_path and any(unit_path.startswith(p) for p in _staff_paths(actor)):
        roles.add(UNIT_STAFF)
    return roles


def allowed_actions(actor: Actor, case: RectificationCase) -> list[str]:
    """Case actions the actor may take now (page buttons and the API's allowed_actions)."""
    roles = roles_for(actor, case)
    return [
        str(t.action)
        for t in TRANSITIONS.from_state(case.status)
        if t.roles & roles and t.action not in NOT_A_BUTTON and action_applies(t.action, revisit_view=case.revisit_view)
    ]


def is_supervisor(actor: Actor) -> bool:
    return actor.is_authenticated and (actor.has_role(Role.SUPERVISOR) or sees_everything(actor))
