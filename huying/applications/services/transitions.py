"""``application_transition``: one action of the TRANSITIONS table, checked by the kernel, carried out
by the action's handler, the clock moved, and written once at the version it was read with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.selectors import Actor
from huying.core.errors import ValidationFailed
from huying.core.statemachine import ClockEffect, Transition
from huying.ratings.services import rating_invite_send

from .. import errors
from ..models import Application
from ..permissions import roles_for
from ..states import TRANSITIONS, Action, status_label
from . import acceptance, issuance, review, special
from .common import ActorArg, Step, _check_version, _decision_clock, _event, _last_receipt, _load, _resolve, _write

# What each action does beyond the status change and the clock (actions absent here do nothing more).
HANDLERS: dict[str, Callable[[Step], None]] = {
    Action.ACCEPT: acceptance.accept,
    Action.ACCEPT_WITH_PROMISE: acceptance.accept_with_promise,
    Action.REQUEST_CORRECTION: acceptance.request_correction,
    Action.RESUBMIT: acceptance.resubmit,
    Action.REJECT: acceptance.reject,
    Action.WITHDRAW: acceptance.withdraw,
    Action.START_REVIEW: review.start_review,
    Action.PROMISE_EXPIRED: review.promise_expired,
    Action.START_SPECIAL: special.start_special,
    Action.END_SPECIAL: special.end_special,
    Action.EXTEND: special.extend,
    Action.ISSUE: issuance.issue,
    Action.CLOSE: issuance.close,
}


def application_transition(
    *,
    actor: ActorArg | None,
    application: Application | int | str,
    action: str,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
    **payload: Any,
) -> Application:
    """Apply one action of the TRANSITIONS table (``actor=None`` is the system sweep).

    Preconditions: the actor can see the application (else NotFound), the action is allowed from
    the current status (else InvalidTransition) for one of the actor's roles on it (else
    PermissionDenied); a stale ``expected_version`` raises ConcurrentModification. ``approve`` and
    ``refuse`` decide the acting reviewer's active review task (see ``review_task_decide``).

    Payload by action: accept / accept_with_promise / request_correction / resubmit:
    ``materials`` ({key: status or {status, promised_by, note}}); request_correction: ``reasons``
    ({key: reason}); start_special: ``kind`` (SpecialKind) with the reason as ``note``;
    end_special: ``result``; extend: ``days`` and ``approved_by`` (the agency head) with the reason as
    ``note``; issue: ``method`` (window/post), ``tracking_number``, ``postal_address``.
    """
    now = now or timezone.now()
    resolved = _resolve(actor)
    if action not in Action.values:
        raise ValidationFailed(_("未知操作。"), code=errors.UNKNOWN_ACTION, data={"action": action})
    with transaction.atomic():
        current = _load(resolved, application)
        transition, cleaned = _check(resolved, current, action, expected_version, note)
        if action in (Action.APPROVE, Action.REFUSE):
            assert resolved is not None  # only reviewers decide (the table refuses the system sweep)
            task = review._reviewer_task(resolved, current, payload.get("task"))
            review.review_task_decide(
                actor=resolved, task=task, approve=action == Action.APPROVE, opinion=cleaned, now=now
            )
            current.refresh_from_db()
            return current
        step = Step(actor=resolved, application=current, transition=transition, note=cleaned, now=now, payload=payload)
        return _perform(step)


def _describe(source: str, action: str) -> str:
    return _("办件当前状态为「%(status)s」，不能执行「%(action)s」。") % {
        "status": status_label(source),
        "action": Action(action).label,
    }


def _check(
    actor: Actor | None, current: Application, action: str, expected_version: int | None, note: str
) -> tuple[Transition, str]:
    """The kernel's answer for this actor on this application: the transition and the cleaned note."""
    _check_version(current, expected_version)
    return TRANSITIONS.check(
        source=current.status, action=action, roles=roles_for(actor, current), note=note, describe=_describe
    )


def _perform(step: Step) -> Application:
    application = step.application
    from_status = application.status
    step.updates["status"] = step.transition.target
    handler = HANDLERS.get(step.action)
    if handler is not None:
        handler(step)
    _move_clock(step)
    _write(application, step.updates)
    if step.action == Action.ISSUE:  # 出件: the applicant rates the 办件 by the SMS link, no account needed
        rating_invite_send(kind="application", ref=application.number or "")
    _event(
        application,
        action=step.action,
        from_status=from_status,
        actor=step.user,
        now=step.now,
        note=step.note,
        data=step.data,
    )
    return application


def _move_clock(step: Step) -> None:
    """The transition's effect on the 承诺时限: started (deemed acceptance: from the last receipt),
    paused for a special procedure, resumed, or stopped by the decision."""
    application, now, effect = step.application, step.now, step.transition.clock
    if effect == ClockEffect.START:
        start = _last_receipt(application) if step.action == Action.DEEM_ACCEPT else now
        due_at = step.calendar.deadline_in_workdays(start, application.promised_days)
        step.updates.update(
            accepted_at=start, accepted_by=step.user, due_at=due_at, is_overdue=due_at < now, notice_due_at=None
        )
        step.data["due_at"] = due_at.isoformat()
    elif effect == ClockEffect.PAUSE:
        step.updates["paused_at"] = now
    elif effect == ClockEffect.RESUME:
        special.resume_clock(step)
    elif effect == ClockEffect.STOP:
        step.updates.update(_decision_clock(application, now, step.calendar))
