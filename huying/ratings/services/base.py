"""What the 好差评 writes share: the deadlines, the case as the actor may see it, its history, the
rater's SMS, and the kernel's transition check with each action's own wording for a missing note."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.core.errors import NotFound, ValidationFailed
from huying.core.notify import send_sms
from huying.core.statemachine import Transition, TransitionTable
from huying.core.workdays import WorkCalendar

from ..models import CaseEvent, Rating, RectificationCase
from ..permissions import visible_cases_q

# Longest complaint statement and field entry (台账, contact); transition notes have the kernel's limit.
MAX_NOTE = 2000


def window_workdays() -> int:
    """Working days after the act within which it may still be rated (Shandong: 5)."""
    return int(getattr(settings, "HUYING_RATING_WINDOW_WORKDAYS", 5))


def rectify_workdays() -> int:
    """Working days after a bad rating within which the unit rectifies and answers (德州: 5)."""
    return int(getattr(settings, "HUYING_RATING_RECTIFY_WORKDAYS", 5))


def rectify_due_at(start: dt.datetime, calendar: WorkCalendar | None = None) -> dt.datetime:
    """The unit owes its 整改 and 反馈 within N working days of a case's opening (or its reopening)."""
    return (calendar or WorkCalendar()).deadline_in_workdays(start, rectify_workdays())


def tell_rater(rating: Rating, message: Any, **values: Any) -> None:
    """An SMS to the rater once the transaction commits (raters who left no phone are not told).

    ``message`` is a format with ``%(title)s`` (the rated act) and ``%(n)d`` (the working days the
    unit has), plus whatever ``values`` add.
    """
    if rating.rater_phone:
        text = message % {"title": rating.title or rating.ref, "n": rectify_workdays(), **values}
        transaction.on_commit(functools.partial(send_sms, phone=rating.rater_phone, text=text))


def record_event(
    case: RectificationCase,
    *,
    action: str,
    from_status: str,
    actor: Actor | User | None,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    user = actor.user if isinstance(actor, Actor) else actor
    return CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=from_status,
        to_status=case.status,
        actor=user if user is not None and user.is_authenticated else None,
        note=note,
        data=data or {},
        created_at=now,
    )


def load_visible(actor: Actor, case_id: int) -> RectificationCase:
    case = RectificationCase.objects.filter(visible_cases_q(actor), pk=case_id).select_related("rating", "unit").first()
    if case is None:
        raise NotFound()
    return case


def required_text(value: Any, field: str, message: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationFailed(message, data={field: message})
    if len(text) > MAX_NOTE:
        limit = _("不能超过%(n)d字。") % {"n": MAX_NOTE}
        raise ValidationFailed(limit, data={field: limit})
    return text


def check_transition(
    table: TransitionTable,
    *,
    source: str,
    action: str,
    roles: Iterable[str],
    note: str,
    describe: Callable[[str, str], str],
    note_missing: str,
) -> tuple[Transition, str]:
    """``table.check(...)``, with ``note_missing`` (what this action's note should say) as the
    message when a required note is not given."""
    try:
        return table.check(source=source, action=action, roles=roles, note=note, describe=describe)
    except ValidationFailed:
        if (note or "").strip():
            raise  # too long
        raise ValidationFailed(note_missing, data={"note": note_missing}) from None
