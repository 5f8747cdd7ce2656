"""What open days tell the appeal loop (through core.registry.appeal_roles): the organisers of an open
day act for the hotline on the appeals its forum raised (they record the leader's assignment on the
spot: accept and dispatch to the owning unit) and follow them. Chained after any earlier hook."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, OuterRef, Q

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.appeals.models import Appeal
from huying.appeals.states import Channel

from .models import ForumItem
from .permissions import organiser_q


def appeal_roles_for(actor: Actor, appeal: Appeal) -> set[str]:
    if appeal.channel != Channel.OPEN_DAY or not actor.has_role(Role.OPEN_DAY_ORGANISER):
        return set()
    mine = ForumItem.objects.filter(organiser_q(actor, "event__unit__path"), appeal_id=appeal.pk)
    return {Role.OPERATOR} if mine.exists() else set()


def visible_appeals_q(actor: Actor) -> Q | None:
    if not actor.is_authenticated or not actor.has_role(Role.OPEN_DAY_ORGANISER):
        return None
    items = ForumItem.objects.filter(organiser_q(actor, "event__unit__path"), appeal_id=OuterRef("pk"))
    return Q(Exists(items))


def chain_roles(previous: Callable[..., Any] | None) -> Callable[[Actor, Appeal], set[str]]:
    def roles(actor: Actor, appeal: Appeal) -> set[str]:
        return (
            set(previous(actor, appeal) or set()) | appeal_roles_for(actor, appeal)
            if previous
            else appeal_roles_for(actor, appeal)
        )

    return roles


def chain_visible(previous: Callable[..., Any] | None) -> Callable[[Actor], Q | None]:
    def visible(actor: Actor) -> Q | None:
        parts = [q for q in ((previous(actor) if previous else None), visible_appeals_q(actor)) if q is not None]
        if not parts:
            return None
        q = parts[0]
        for extra in parts[1:]:
            q |= extra
        return q

    return visible
