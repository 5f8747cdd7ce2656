"""Who sees which grid's people. Missing and forbidden look the same (NotFound).

- A grid worker (专职/兼职, 网格长) and a liaison member (联户党员) see the households and residents
  of the grids they currently serve, and nothing else.
- Deputies and CPPCC members serving as part-time informants report what they see; they do not
  see the household register (个人信息保护法 Art. 6: minimum necessary).
- Street and district staff (a handler or supervisor role on the unit or above it, or the
  platform admin) manage the grid layer and see their area's households masked.
- Full ID numbers and phones only for the grid's own workers, each view logged (滨州市社会治理网格化
  服务管理条例 Art. 13 "信息使用管理分级准入授权制度"; 个人信息保护法 Art. 51(三)).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.organisations.models import OrgUnit
from huying.organisations.selectors import under_paths_q

from .models import Grid, GridStaff

HOUSEHOLD_STAFF = frozenset({GridStaff.Kind.FULL_TIME, GridStaff.Kind.PART_TIME, GridStaff.Kind.LIAISON})
WORKERS = frozenset({GridStaff.Kind.FULL_TIME, GridStaff.Kind.PART_TIME})
MANAGER_ROLES = (Role.HANDLER, Role.SUPERVISOR)


def resolve(actor: Actor | User | AnonymousUser | None) -> Actor | None:
    """None stands for the system (a management command); everything else resolves to an Actor."""
    if actor is None or isinstance(actor, Actor):
        return actor
    return actor_for(actor)


def current_posts(actor: Actor, kinds: frozenset[str] = HOUSEHOLD_STAFF) -> list[GridStaff]:
    """The actor's current posts in grids of the given kinds (empty for anonymous users)."""
    if not actor.is_authenticated:
        return []
    today = timezone.localdate()
    return list(
        GridStaff.objects.filter(user=actor.user, kind__in=kinds, valid_from__lte=today).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=today)
        )
    )


def post_in_grid(actor: Actor, grid_id: int, kinds: frozenset[str] = HOUSEHOLD_STAFF) -> GridStaff | None:
    return next((post for post in current_posts(actor, kinds) if post.grid_id == grid_id), None)


def is_platform_admin(actor: Actor) -> bool:
    return bool(getattr(actor.user, "is_superuser", False)) or actor.has_role(Role.ADMIN)


def manager_paths(actor: Actor) -> list[str]:
    return [path for role in MANAGER_ROLES for path in actor.unit_paths(role)]


def can_manage_unit(actor: Actor | None, unit: OrgUnit) -> bool:
    """May import grids and registers and set plans for grids under ``unit``."""
    if actor is None:
        return True
    if not actor.is_authenticated:
        return False
    return is_platform_admin(actor) or any(unit.path.startswith(path) for path in manager_paths(actor))


def visible_grids_q(actor: Actor) -> Q:
    """Grids whose households the actor may list."""
    if not actor.is_authenticated:
        return Q(pk__in=[])
    if is_platform_admin(actor):
        return Q()
    return Q(pk__in=[post.grid_id for post in current_posts(actor)]) | under_paths_q(manager_paths(actor))


def visible_households_q(actor: Actor, prefix: str = "") -> Q:
    """Households the actor may see; ``prefix`` is the lookup path to the household ("household__")."""
    grids = Grid.objects.filter(visible_grids_q(actor)).values("pk")
    return Q(**{f"{prefix}grid__in": grids})


def can_reveal_personal_data(actor: Actor, grid_id: int) -> bool:
    """Only the grid's own workers see full ID numbers and phones."""
    return post_in_grid(actor, grid_id, WORKERS) is not None
