"""Who keeps which service points current, and who files at which village centre."""

from __future__ import annotations

from django.db.models import Q

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.organisations.selectors import under_paths_q

from .models import CentreClerk, ServicePoint

# Roles that keep points current: administrators everywhere, hall managers and village clerks in their units.
KEEPERS = (Role.ADMIN, Role.HALL_MANAGER, Role.VILLAGE_CLERK)
IMPORTERS = (Role.ADMIN, Role.HALL_MANAGER)
FIGURES = (Role.ADMIN, Role.HALL_MANAGER, Role.SUPERVISOR, Role.CIVIL_AFFAIRS)


def _superuser(actor: Actor) -> bool:
    return bool(getattr(actor.user, "is_superuser", False)) or actor.has_role(Role.ADMIN)


def editable_points_q(actor: Actor) -> Q:
    if not actor.is_authenticated:
        return Q(pk__in=[])
    if _superuser(actor):
        return Q()
    keepers = [*actor.unit_paths(Role.HALL_MANAGER), *actor.unit_paths(Role.VILLAGE_CLERK)]
    return Q(clerks__user=actor.user) | under_paths_q(keepers)


def may_edit(actor: Actor, point: ServicePoint) -> bool:
    return ServicePoint.objects.filter(editable_points_q(actor), pk=point.pk).exists()


def may_import(actor: Actor) -> bool:
    return _superuser(actor) or actor.has_role(Role.HALL_MANAGER)


def posted_at(actor: Actor, point: ServicePoint) -> bool:
    """Whether the actor is a village clerk posted at this centre."""
    return (
        actor.is_authenticated
        and actor.has_role(Role.VILLAGE_CLERK)
        and CentreClerk.objects.filter(point=point, user=actor.user).exists()
    )


def centres_of(actor: Actor) -> list[ServicePoint]:
    if not actor.is_authenticated or not actor.has_role(Role.VILLAGE_CLERK):
        return []
    return list(ServicePoint.objects.filter(clerks__user=actor.user, is_active=True).order_by("code"))
