"""What every appeal write shares: the visible appeal to act on, the history row, texts to people."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.core.db.insert import insert
from huying.core.errors import NotFound
from huying.organisations.models import OrgUnit

from ..models import Appeal, AppealEvent
from ..permissions import visible_appeals_q
from ..system_notes import system_note


def acting_user(actor: Actor | User | AnonymousUser | None) -> User | None:
    """The account recorded as having acted: None for an anonymous caller and for the system."""
    user = actor.user if isinstance(actor, Actor) else actor
    return user if isinstance(user, User) and user.is_authenticated else None


def send_sms_on_commit(*, phone: str, text: str) -> None:
    """Text ``phone`` once the transaction commits. The gateway is ``huying.appeals.services.send_sms``,
    looked up now, so that patching that one name (the demo builder, tests) silences every text the
    appeal loop sends."""
    from huying.appeals import services

    transaction.on_commit(functools.partial(services.send_sms, phone=phone, text=text))


def load_visible(actor: Actor, appeal_id: int) -> Appeal:
    """The appeal as the actor may see it; one they may not see is as missing as one that is not there."""
    appeal = (
        Appeal.objects.filter(visible_appeals_q(actor), pk=appeal_id).select_related("lead_unit", "category").first()
    )
    if appeal is None:
        raise NotFound()
    return appeal


def record_event(
    appeal: Appeal,
    *,
    action: str,
    from_status: str,
    actor: Actor | User | AnonymousUser | None,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
    is_public: bool = True,
    actor_unit: OrgUnit | None = None,
) -> AppealEvent:
    event = AppealEvent(
        appeal=appeal,
        action=action,
        from_status=from_status,
        to_status=appeal.status,
        actor=acting_user(actor),
        actor_unit=actor_unit,
        note=note,
        data=data or {},
        is_public=is_public,
        created_at=now,
    )
    insert(event)  # every action writes one: objects.create() without compiling the statement
    return event


def note_repeat_on_lead(
    *, lead: Appeal, repeat: Appeal, actor: Actor | User | AnonymousUser | None, now: dt.datetime
) -> None:
    """The lead order counts the repeat and shows it in its history (no version bump: not an action)."""
    Appeal.objects.filter(pk=lead.pk).update(repeat_count=F("repeat_count") + 1)
    lead.repeat_count += 1
    note, note_data = system_note("repeat_linked", number=repeat.number)
    record_event(
        lead,
        action="repeat_linked",
        from_status=lead.status,
        actor=actor,
        now=now,
        note=note,
        data={"repeat": repeat.number, **note_data},
        is_public=True,
    )
