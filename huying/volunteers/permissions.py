"""Who acts on what in volunteering. Missing and forbidden look the same (NotFound).

- A volunteer sees their own archive, sign-ups, records and certificates, and the open needs.
- The person a need is for (or the staff who posted it on their behalf) sees and rates that need.
- Organisers (volunteer_org) manage the stations, teams, activities and hours of their unit's
  subtree (谁组织谁记录); the platform admin everything.
"""

from __future__ import annotations

from typing import Any

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.core.errors import NotFound, ValidationFailed
from huying.organisations.models import OrgUnit

from . import errors
from .models import Volunteer


def resolve(actor: Any) -> Actor:
    return actor_for(actor)


def is_admin(actor: Actor) -> bool:
    return bool(getattr(actor.user, "is_superuser", False)) or actor.has_role(Role.ADMIN)


def organiser_paths(actor: Actor) -> list[str]:
    return actor.unit_paths(Role.VOLUNTEER_ORG)


def organises(actor: Actor, unit: OrgUnit) -> bool:
    return is_admin(actor) or any(unit.path.startswith(path) for path in organiser_paths(actor))


def volunteer_of(actor: Actor) -> Volunteer | None:
    if not actor.is_authenticated:
        return None
    return Volunteer.objects.filter(user=actor.user, status=Volunteer.Status.ACTIVE).first()


def require_volunteer(actor: Actor) -> Volunteer:
    volunteer = volunteer_of(actor)
    if volunteer is None:
        raise ValidationFailed(errors.codes.codes[errors.NOT_A_VOLUNTEER], code=errors.NOT_A_VOLUNTEER)
    return volunteer


def require_organiser(actor: Actor, unit: OrgUnit) -> None:
    if not organises(actor, unit):
        raise NotFound()
