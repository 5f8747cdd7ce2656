"""Who acts for a village or community.

- Its staff (the COMMUNITY_STAFF role on the village/community unit, or on the township above it
  for every community of the township) raise and accept topics, record meetings, carry resolutions
  out, plan and publish on the board, open surveys and record paper ballots.
- A current member of its 村务监督委员会 reviews publication plans (山东省村务公开条例 Art. 11, 14).
- Residents (signed in, no role) propose and sign, object, demand publication and rate when in the
  sample. Anyone may read the public board.
Records of another village look missing (NotFound), as everywhere in huying.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.core.errors import NotFound
from huying.organisations.models import OrgUnit
from huying.organisations.selectors import under_paths_q

from .models import Body, Member
from .states import STAFF, SUPERVISOR


def resolve(actor: Actor | User | AnonymousUser) -> Actor:
    return actor_for(actor)


def is_admin(actor: Actor) -> bool:
    return bool(getattr(actor.user, "is_superuser", False)) or actor.has_role(Role.ADMIN)


def staff_paths(actor: Actor) -> list[str]:
    return actor.unit_paths(Role.COMMUNITY_STAFF)


def is_staff_of(actor: Actor, unit: OrgUnit) -> bool:
    if not actor.is_authenticated:
        return False
    return is_admin(actor) or any(unit.path.startswith(path) for path in staff_paths(actor))


def staff_units(actor: Actor) -> QuerySet[OrgUnit]:
    """The villages and communities the actor serves as staff."""
    units = OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNITY, community_profile__isnull=False)
    if is_admin(actor):
        return units.order_by("path")
    return units.filter(under_paths_q(staff_paths(actor), "path")).order_by("path")


def current_members(body: Body) -> QuerySet[Member]:
    today = timezone.localdate()
    return body.members.filter(valid_from__lte=today).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))


def current_seats(actor: Actor, unit: OrgUnit, kind: str | None = None) -> list[Member]:
    if not actor.is_authenticated:
        return []
    today = timezone.localdate()
    seats = Member.objects.filter(user=actor.user, body__unit=unit, body__is_active=True, valid_from__lte=today)
    if kind:
        seats = seats.filter(body__kind=kind)
    return list(seats.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)).select_related("body"))


def table_roles(actor: Actor, unit: OrgUnit, *, required: bool = True) -> set[str]:
    """The roles of the state tables the actor holds for ``unit``; none at all looks missing."""
    roles = set()
    if is_staff_of(actor, unit):
        roles.add(STAFF)
    if current_seats(actor, unit, Body.Kind.SUPERVISORY):
        roles.add(SUPERVISOR)
    if required and not roles:
        raise NotFound()
    return roles
