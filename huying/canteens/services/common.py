from __future__ import annotations

from huying.accounts.selectors import Actor, ActorLike, actor_for
from huying.core.errors import NotFound, PermissionDenied

from ..models import Canteen
from ..permissions import roles_on


def acting_on(actor: ActorLike, canteen: Canteen, *need: str) -> tuple[Actor, set[str]]:
    """The actor and their roles on the canteen; NotFound when they have none, PermissionDenied when
    none of ``need``."""
    resolved = actor_for(actor)
    roles = roles_on(resolved, canteen)
    if not roles:
        raise NotFound()
    if need and not roles & set(need):
        raise PermissionDenied()
    return resolved, roles
