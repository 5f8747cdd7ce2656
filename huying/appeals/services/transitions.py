"""The one way an appeal's status changes: an action of the TRANSITIONS table, checked by the kernel
and written with a compare-and-set on ``version``; and the assisting units' reports beside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.core.errors import ConcurrentModification, InvalidTransition, PermissionDenied, ValidationFailed
from huying.core.registry import PointClaim, appeal_hooks, point_claims
from huying.core.statemachine import Transition, versioned_update
from huying.organisations.models import OrgUnit

from .. import errors, ratings, stats
from ..models import Appeal, AppealAssignment, AppealEvent
from ..permissions import actor_roles_for
from ..states import OPEN_STATUSES, TRANSITIONS, Action, Channel, Status, status_label
from .base import load_visible, note_repeat_on_lead, record_event, send_sms_on_commit
from .gridcase import grid_action_check, grid_photo_store
from .plan import plan_transition, resolve_payload


def _describe_refusal(status: str, action: str) -> str:
    return _("工单当前状态为「%(status)s」，不能执行「%(action)s」。") % {
        "status": status_label(status),
        "action": Action(action).label,
    }


def appeal_transition(
    *,
    actor: Actor | User | AnonymousUser,
    appeal: Appeal | int,
    action: str,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
    note_data: dict[str, Any] | None = None,
    **payload: Any,
) -> Appeal:
    """Apply one action from the TRANSITIONS table.

    ``note_data``: a note the system wrote, as its code and figures (``system_notes.system_note``).

    Preconditions: the actor can see the appeal (else NotFound), the action is allowed from the
    current status (else InvalidTransition) for one of the actor's roles on this appeal (else
    PermissionDenied), a note is given where the table asks for one. ``expected_version`` is the
    version the actor was looking at; if the order changed meanwhile, ConcurrentModification is
    raised and nothing is written. Effects: one conditional UPDATE, one event row, counter deltas.
    """
    now = now or timezone.now()
    with transaction.atomic():
        resolved_actor = actor_for(actor)
        appeal_id = appeal if isinstance(appeal, int) else appeal.pk
        current = load_visible(resolved_actor, appeal_id)
        if expected_version is not None and int(expected_version) != current.version:
            raise ConcurrentModification(data={"current_version": current.version, "status": current.status})
        if action not in Action.values:
            raise ValidationFailed(_("未知操作。"), code=errors.UNKNOWN_ACTION, data={"action": action})
        roles = actor_roles_for(resolved_actor, current)
        transition, note = TRANSITIONS.check(
            source=current.status, action=action, roles=roles, note=note, describe=_describe_refusal
        )
        return _apply(resolved_actor, current, transition, note, now, roles, payload, note_data or {})


def _apply(
    actor: Actor,
    appeal: Appeal,
    transition: Transition,
    note: str,
    now: dt.datetime,
    roles: set[str],
    payload: dict[str, Any],
    note_data: dict[str, Any],
) -> Appeal:
    before = stats.appeal_vector(appeal)
    from_status = appeal.status
    action = transition.action
    photo = grid_action_check(actor, appeal, action, payload)
    plan = plan_transition(appeal, transition, note=note, now=now, payload=resolve_payload(appeal, action, payload))
    plan.data.update(note_data)
    if action == Action.REPLY:
        # Kept on the event so that a supervisor sees which replies may not answer the appeal.
        warnings = appeal_hooks.call("check_reply", appeal, note)
        if warnings:
            plan.data["reply_warnings"] = warnings
    updates = plan.updates
    versioned_update(Appeal.objects.filter(pk=appeal.pk), expected_version=appeal.version, **updates)
    for key, value in updates.items():
        setattr(appeal, key, value)
    appeal.version += 1
    if plan.assignments:
        AppealAssignment.objects.filter(appeal=appeal, is_active=True).update(is_active=False)
        AppealAssignment.objects.bulk_create(
            [AppealAssignment(appeal=appeal, unit=u, role=r) for u, r in plan.assignments]
        )
    grid_photo_store(actor, appeal, photo, plan.data)
    record_event(
        appeal,
        action=action,
        from_status=from_status,
        actor=actor,
        now=now,
        note=note,
        data=plan.data,
        actor_unit=_acting_unit(appeal, roles),
        is_public=action not in (Action.SUPERVISE,),
    )
    if action == Action.MERGE:
        note_repeat_on_lead(lead=updates["merged_into"], repeat=appeal, actor=actor, now=now)
    stats.apply_delta(before, stats.appeal_vector(appeal))
    if action in (Action.DISPATCH, Action.APPROVE_RETURN):
        # Smart dispatch records the operator's final category against its suggestion.
        appeal_hooks.call("dispatched", appeal, actor.user)
    if action in (Action.REPLY, Action.ANSWER, Action.JOINT_REPLY):
        _notify_reply(appeal)
    if action == Action.FOLLOW_UP:
        # The follow-up call is the order's 好差评 rating (12345热线 channel) unless rated online first.
        ratings.record_follow_up(appeal, operator=actor.user, satisfaction=updates["satisfaction"], note=note)
    if appeal.status == Status.CLOSED:
        _offer_points(appeal)
    return appeal


def _offer_points(appeal: Appeal) -> None:
    """A citizen's web or phone (随手拍) appeal closed as valid may earn points: the points loop, if
    installed, decides (scheme item, caps, dedup) and reviews it before any credit."""
    if appeal.citizen_id is None or appeal.channel not in (Channel.WEB, Channel.MOBILE) or not appeal.number:
        return
    place = appeal.address or (f"{appeal.latitude:.3f},{appeal.longitude:.3f}" if appeal.latitude is not None else "")
    claim = PointClaim(
        source="appeal",
        ref=appeal.number,
        user_id=appeal.citizen_id,
        item="report_valid",
        occurred_at=appeal.submitted_at,
        place=place,
        category=str(appeal.category_id or ""),
        evidence=appeal.number,
    )
    point_claims.call("submit", claim)


def _notify_reply(appeal: Appeal) -> None:
    """The requester, and everyone whose repeat call was merged into this order, hear of the reply."""
    recipients = [(appeal.requester_phone, appeal.number)] if appeal.requester_phone else []
    recipients += [
        (phone, number)
        for phone, number in appeal.repeats.exclude(requester_phone="").values_list("requester_phone", "number")
        if phone != appeal.requester_phone
    ]
    for phone, number in dict(recipients).items():
        text = _("您反映的诉求（工单 %(number)s）已有答复，可凭工单号查询。") % {"number": number}
        send_sms_on_commit(phone=phone, text=text)


def _acting_unit(appeal: Appeal, roles: set[str]) -> OrgUnit | None:
    if Role.HANDLER in roles:
        return appeal.lead_unit
    return None


@transaction.atomic
def appeal_assist_report(
    *, actor: Actor | User | AnonymousUser, appeal_id: int, note: str, now: dt.datetime | None = None
) -> AppealEvent:
    """An assisting unit (协办) reports its part to the lead unit; the status does not change."""
    now = now or timezone.now()
    resolved = actor_for(actor)
    appeal = load_visible(resolved, appeal_id)
    if appeal.status not in OPEN_STATUSES:
        raise InvalidTransition(_("工单已办结，不能再提交协办意见。"), data={"status": appeal.status})
    unit = (
        AppealAssignment.objects.filter(
            appeal=appeal,
            role=AppealAssignment.Role.ASSIST,
            is_active=True,
            unit__path__in=list(resolved.unit_paths(Role.HANDLER)),
        )
        .select_related("unit")
        .first()
    )
    if unit is None:
        raise PermissionDenied()
    if not (note or "").strip():
        raise ValidationFailed(_("请填写协办意见。"), data={"note": _("请填写协办意见。")})
    return record_event(
        appeal,
        action="assist_report",
        from_status=appeal.status,
        actor=resolved,
        now=now,
        note=note.strip(),
        actor_unit=unit.unit,
        is_public=False,
    )
