"""Whose canteens: staff see the canteens of their unit and below; civil-affairs staff the canteens of
the government their bureau belongs to (a district's 民政局 → every canteen of the district)."""

from __future__ import annotations

from django.db.models import Q

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.organisations.models import OrgUnit
from huying.organisations.selectors import under_paths_q

from .models import Canteen
from .states import CIVIL, STAFF


def _civil_paths(actor: Actor) -> list[str]:
    units = OrgUnit.objects.filter(pk__in=actor.unit_ids(Role.CIVIL_AFFAIRS)).select_related("parent")
    return [u.parent.path if u.kind == OrgUnit.Kind.DEPARTMENT and u.parent else u.path for u in units]


def _superuser(actor: Actor) -> bool:
    return bool(getattr(actor.user, "is_superuser", False)) or actor.has_role(Role.ADMIN)


def visible_canteens_q(actor: Actor) -> Q:
    if not actor.is_authenticated:
        return Q(pk__in=[])
    if _superuser(actor):
        return Q()
    return under_paths_q(actor.unit_paths(Role.CANTEEN_STAFF) + _civil_paths(actor))


def roles_on(actor: Actor, canteen: Canteen) -> set[str]:
    """The table roles the actor holds on this canteen: staff, civil affairs, both or none."""
    roles: set[str] = set()
    if not actor.is_authenticated:
        return roles
    path = canteen.unit.path
    if any(path.startswith(p) for p in actor.unit_paths(Role.CANTEEN_STAFF)):
        roles.add(STAFF)
    if _superuser(actor) or any(path.startswith(p) for p in _civil_paths(actor)):
        roles.add(CIVIL)
    return roles
