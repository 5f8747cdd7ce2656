"""What the grid layer tells the appeal loop (through core.registry.appeal_roles): a grid worker of
the grid an appeal lies in verifies it on site (核查); the one who reported it may fix it on the spot."""

from __future__ import annotations

from django.db.models import Q

from huying.accounts.selectors import Actor
from huying.appeals.models import Appeal
from huying.appeals.states import GRID_REPORTER, GRID_WORKER, Channel

from .models import Grid
from .permissions import HOUSEHOLD_STAFF, WORKERS, current_posts


def _grid_codes(actor: Actor, kinds: frozenset[str]) -> set[str]:
    grid_ids = [post.grid_id for post in current_posts(actor, kinds)]
    if not grid_ids:
        return set()
    return set(Grid.objects.filter(pk__in=grid_ids).values_list("code", flat=True))


def appeal_roles_for(actor: Actor, appeal: Appeal) -> set[str]:
    """GRID_WORKER for a current worker of the appeal's grid; GRID_REPORTER too if they reported it."""
    if not appeal.grid_code or appeal.grid_code not in _grid_codes(actor, WORKERS):
        return set()
    roles = {GRID_WORKER}
    if appeal.channel == Channel.GRID and appeal.created_by_id == actor.user.pk:
        roles.add(GRID_REPORTER)
    return roles


def visible_appeals_q(actor: Actor) -> Q | None:
    """A grid's workers and liaison members follow the appeals raised in their grids."""
    if not actor.is_authenticated:
        return None
    codes = _grid_codes(actor, HOUSEHOLD_STAFF)
    return Q(grid_code__in=sorted(codes)) if codes else None
