"""Who holds which role where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

from django.contrib.auth.models import AnonymousUser

from huying.organisations.models import OrgUnit

from .models import RoleAssignment, User
from .roles import PERSONAL_DATA_ROLES, Role


@dataclass(frozen=True)
class Actor:
    """The acting user with their role assignments resolved once per request."""

    user: Any
    roles: frozenset[tuple[str, int, str]]  # (role, org_unit_id, org_unit_path)

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    def has_role(self, role: str) -> bool:
        return any(r == role for r, _, _ in self.roles)

    @property
    def is_staff_role(self) -> bool:
        return bool(self.roles)

    @property
    def is_citizen(self) -> bool:
        return self.is_authenticated and not self.roles

    def unit_ids(self, role: str) -> set[int]:
        return {unit_id for r, unit_id, _ in self.roles if r == role}

    def unit_paths(self, role: str) -> list[str]:
        return [path for r, _, path in self.roles if r == role]

    def role_names(self) -> set[str]:
        return {r for r, _, _ in self.roles}

    def may_see_personal_data(self) -> bool:
        return bool(self.role_names() & PERSONAL_DATA_ROLES)


# Whoever a service or selector is called for: the resolved Actor, or the request's user.
ActorLike: TypeAlias = "Actor | User | AnonymousUser"


def actor_for(user: Any) -> Actor:
    """The Actor for a user (an Actor passes through unchanged, so callers need not check)."""
    if isinstance(user, Actor):
        return user
    if not getattr(user, "is_authenticated", False):
        return Actor(user=user, roles=frozenset())
    cached = getattr(user, "_huying_actor", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    rows = RoleAssignment.objects.filter(user=user).values_list("role", "org_unit_id", "org_unit__path")
    actor = Actor(user=user, roles=frozenset(rows))
    user._huying_actor = actor
    return actor


def units_of(actor: Actor, role: Role) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(pk__in=actor.unit_ids(role)))
