"""Who may do what with an open day: organisers of the event's unit (or a unit above it); registrants
over their own registration."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.core.errors import NotFound
from huying.organisations.selectors import under_paths_q

from . import states
from .models import Event, Registration


def resolve(actor: Any) -> Actor:
    return actor_for(actor)


def organiser_q(actor: Actor, prefix: str = "unit__path") -> Q:
    """Events (or rows reached through ``prefix``) an organiser manages; nothing for anyone else."""
    if actor.is_authenticated and actor.user.is_superuser:
        return Q()
    return under_paths_q(actor.unit_paths(Role.OPEN_DAY_ORGANISER), prefix)


def is_organiser(actor: Actor, event: Event) -> bool:
    if not actor.is_authenticated:
        return False
    if actor.user.is_superuser:
        return True
    return any(event.unit.path.startswith(p) for p in actor.unit_paths(Role.OPEN_DAY_ORGANISER))


def managed_event(actor: Actor, event_id: int | Event) -> Event:
    """The event if the actor organises it; NotFound otherwise (not theirs reads as not there)."""
    pk = event_id.pk if isinstance(event_id, Event) else event_id
    event = Event.objects.select_related("unit").filter(pk=pk).first()
    if event is None or not is_organiser(actor, event):
        raise NotFound()
    return event


def registration_roles(actor: Actor, registration: Registration) -> set[str]:
    roles = set()
    if is_organiser(actor, registration.event):
        roles.add(states.ORGANISER)
    if actor.is_authenticated and registration.user_id == actor.user.pk:
        roles.add(states.REGISTRANT)
    return roles
