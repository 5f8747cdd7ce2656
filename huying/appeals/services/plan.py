"""What one transition changes on an appeal: field updates, event data, new unit assignments.

``plan_transition`` reads nothing from the database itself, so the demo history can replay it;
``resolve_payload`` turns the ids a page or the API sends into the objects a plan needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from huying.core.errors import ValidationFailed
from huying.core.statemachine import ClockEffect, Transition
from huying.core.workdays import WorkCalendar
from huying.organisations.models import OrgUnit
from huying.organisations.selectors import handling_units

from .. import deadlines
from ..models import Appeal, AppealAssignment, AppealEvent, Category
from ..states import (
    FOLLOW_UP_FAILED_TARGET,
    MERGE_TARGET_STATUSES,
    OPEN_STATUSES,
    VERIFIED_CHANNELS,
    Action,
    ReferTarget,
    Resolution,
    Satisfaction,
    Status,
)

MAX_EXTENSION_DAYS = 30


@dataclass
class TransitionPlan:
    """What one transition changes: field updates, event data, new unit assignments."""

    updates: dict[str, Any]
    data: dict[str, Any]
    assignments: list[tuple[OrgUnit, str]] = field(default_factory=list)


def _require(payload: dict[str, Any], key: str, message: str) -> Any:
    value = payload.get(key)
    if value in (None, "", []):
        raise ValidationFailed(message, data={key: message})
    return value


def _unit_for_dispatch(value: Any, field_name: str) -> OrgUnit:
    unit = value if isinstance(value, OrgUnit) else handling_units().filter(pk=value).first()
    if unit is None or not unit.is_active:
        raise ValidationFailed(_("请选择有效的承办单位。"), data={field_name: _("请选择有效的承办单位。")})
    return unit


def _last_event_data(appeal: Appeal, action: str) -> dict[str, Any]:
    event = AppealEvent.objects.filter(appeal=appeal, action=action).order_by("-created_at", "-pk").first()
    return event.data if event else {}


def _merge_target(value: Any) -> Appeal | None:
    if isinstance(value, int):
        return Appeal.objects.filter(pk=value).first()
    if isinstance(value, Appeal):
        return value
    # Operators type the 工单编号; integrations may send the id as a string.
    text = str(value or "").strip()
    lookup = Q(number=text)
    if text.isdigit() and len(text) < 10:
        lookup |= Q(pk=int(text))
    return Appeal.objects.filter(lookup).first() if text else None


def resolve_payload(appeal: Appeal, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Turn ids in the payload into objects (the only DB reads a plan needs)."""
    resolved = dict(payload)
    if action in (Action.DISPATCH, Action.APPROVE_RETURN):
        resolved["lead_unit"] = _unit_for_dispatch(_require(payload, "lead_unit", _("请选择主办单位。")), "lead_unit")
        resolved["assist_units"] = [_unit_for_dispatch(u, "assist_units") for u in payload.get("assist_units") or []]
        category = payload.get("category")
        if category is not None and not isinstance(category, Category):
            found = Category.objects.filter(pk=category, is_active=True).first() if str(category).isdigit() else None
            if found is None:
                raise ValidationFailed(_("问题分类不存在。"), data={"category": _("问题分类不存在。")})
            category = found
        resolved["category"] = category
    elif action == Action.MERGE:
        resolved["merge_into"] = _merge_target(payload.get("merge_into"))
    elif action == Action.APPROVE_EXTENSION and not payload.get("extension_days"):
        resolved["extension_days"] = _last_event_data(appeal, Action.REQUEST_EXTENSION).get("extension_days", 0)
    return resolved


def _days(payload: dict[str, Any]) -> int:
    try:
        return int(payload.get("extension_days") or 0)
    except (TypeError, ValueError):
        return 0


def _responded_in_time(appeal: Appeal, now: dt.datetime) -> bool:
    """响应: the unit signed for the order, or objected to it, within the response window."""
    within = appeal.dispatched_at is None or now - appeal.dispatched_at <= dt.timedelta(hours=deadlines.RESPONSE_HOURS)
    return within and (appeal.due_at is None or now <= appeal.due_at)


def plan_transition(
    appeal: Appeal,
    transition: Transition,
    *,
    note: str,
    now: dt.datetime,
    payload: dict[str, Any],
    calendar: WorkCalendar | None = None,
    limit_for: Callable[[Category | None, str], tuple[int, str]] = deadlines.time_limit_for,
) -> TransitionPlan:
    """The effects of ``transition`` on ``appeal`` with a resolved payload. Reads nothing from the
    database itself (``limit_for`` and ``calendar`` may), so the demo history can replay it."""
    plan = TransitionPlan(updates={"status": transition.target}, data={})
    action = transition.action
    if action in _INTAKE_ACTIONS:
        _plan_intake(appeal, action, plan, note=note, now=now, payload=payload)
    elif action in _UNIT_ACTIONS:
        _plan_at_unit(appeal, action, plan, now=now, payload=payload)
    else:
        _plan_handling(appeal, action, plan, note=note, now=now, payload=payload, calendar=calendar)
    _plan_clock(appeal, transition.clock, plan, now=now, calendar=calendar, limit_for=limit_for)
    return plan


_INTAKE_ACTIONS = frozenset({Action.ACCEPT, Action.ANSWER, Action.REFER, Action.REFUSE, Action.WITHDRAW, Action.MERGE})
_UNIT_ACTIONS = frozenset(
    {Action.DISPATCH, Action.APPROVE_RETURN, Action.SIGN, Action.REQUEST_RETURN, Action.REJECT_RETURN}
)


def _plan_intake(
    appeal: Appeal, action: str, plan: TransitionPlan, *, note: str, now: dt.datetime, payload: dict[str, Any]
) -> None:
    """受理, 直接答复, 转其他渠道, 不予受理, 撤回, 并单."""
    updates, data = plan.updates, plan.data
    if action == Action.ACCEPT:
        updates["accepted_at"] = now
    elif action == Action.ANSWER:
        updates.update(reply_text=note, replied_at=now, closed_at=now)
    elif action == Action.REFER:
        target = _require(payload, "refer_target", _("请选择转往的渠道。"))
        if target not in ReferTarget.values:
            raise ValidationFailed(_("转往渠道无效。"), data={"refer_target": _("转往渠道无效。")})
        updates["refer_target"] = target
        data["refer_target"] = target
    elif action in (Action.REFUSE, Action.WITHDRAW):
        updates["closed_at"] = now
    elif action == Action.MERGE:
        lead = payload.get("merge_into")
        same = lead is appeal or (isinstance(lead, Appeal) and lead.pk is not None and lead.pk == appeal.pk)
        if not isinstance(lead, Appeal) or same or lead.status not in OPEN_STATUSES:
            raise ValidationFailed(_("请选择一个在办的工单并入。"), data={"merge_into": _("目标工单不存在或已办结。")})
        if lead.status not in MERGE_TARGET_STATUSES:
            message = _("目标工单已经答复，不能并入；请按新诉求办理。")
            raise ValidationFailed(message, data={"merge_into": message})
        updates["merged_into"] = lead
        data["lead"] = lead.number


def _plan_at_unit(
    appeal: Appeal, action: str, plan: TransitionPlan, *, now: dt.datetime, payload: dict[str, Any]
) -> None:
    """派单 and 改派, 签收, 退单 and its review."""
    updates, data = plan.updates, plan.data
    if action in (Action.DISPATCH, Action.APPROVE_RETURN):
        lead_unit: OrgUnit = payload["lead_unit"]
        if action == Action.APPROVE_RETURN and lead_unit.pk == appeal.lead_unit_id:
            raise ValidationFailed(_("改派的单位不能是申请退单的单位。"), data={"lead_unit": _("请选择其他单位。")})
        assists = [u for u in payload.get("assist_units") or [] if u.pk != lead_unit.pk]
        # A re-dispatched order starts afresh at its new unit, which must sign for it in time.
        updates.update(lead_unit=lead_unit, dispatched_at=now, signed_at=None, is_signed_on_time=None)
        category = payload.get("category")
        if isinstance(category, Category) and category.pk != appeal.category_id:
            # The operator classifies (or re-classifies) the order as they dispatch it.
            updates["category"] = category
            data["category"] = str(category)
        plan.assignments = [(lead_unit, AppealAssignment.Role.LEAD)] + [
            (u, AppealAssignment.Role.ASSIST) for u in assists
        ]
        data.update(lead_unit=lead_unit.name, assist_units=[u.name for u in assists])
    elif action in (Action.SIGN, Action.REQUEST_RETURN):
        if action == Action.SIGN:
            updates["signed_at"] = now
        if appeal.is_signed_on_time is None:
            updates["is_signed_on_time"] = _responded_in_time(appeal, now)
    elif action == Action.REJECT_RETURN:
        # The objection is overruled: the order counts as signed for by the unit from now.
        updates["signed_at"] = now


def _plan_handling(
    appeal: Appeal,
    action: str,
    plan: TransitionPlan,
    *,
    note: str,
    now: dt.datetime,
    payload: dict[str, Any],
    calendar: WorkCalendar | None,
) -> None:
    """延期, 答复, 回访, 重办, 办结, 统一答复, 督办, and the grid loop's 自行处置 and 核查."""
    updates, data = plan.updates, plan.data
    if action in (Action.REQUEST_EXTENSION, Action.APPROVE_EXTENSION):
        days = _days(payload)
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            message = _("延期天数应为1至%(max)d个工作日。") % {"max": MAX_EXTENSION_DAYS}
            raise ValidationFailed(message, data={"extension_days": message})
        data["extension_days"] = days
        if action == Action.APPROVE_EXTENSION:
            updates["due_at"] = deadlines.extend_due_at(appeal, days, calendar=calendar)
            updates["is_overdue"] = bool(updates["due_at"] and updates["due_at"] < now)
    elif action == Action.REPLY:
        updates.update(reply_text=note, replied_at=now)
        updates["is_replied_on_time"] = appeal.due_at is None or now <= appeal.due_at
        if appeal.channel in VERIFIED_CHANNELS:
            # A grid report is checked on site (核查) before it closes, not followed up by phone.
            updates["status"] = Status.VERIFYING
    elif action == Action.SELF_HANDLE:
        updates.update(reply_text=note, replied_at=now, is_replied_on_time=True, closed_at=now)
    elif action == Action.VERIFY_PASS:
        updates["closed_at"] = now
    elif action == Action.VERIFY_FAIL:
        # Not fixed: back to the unit with the reason, on a fresh limit, counted as re-handled.
        updates["rehandle_count"] = appeal.rehandle_count + 1
        updates["replied_at"] = None
        data["reason"] = note
    elif action == Action.FOLLOW_UP:
        _plan_follow_up(plan, now=now, payload=payload)
    elif action == Action.REOPEN:
        updates["rehandle_count"] = appeal.rehandle_count + 1
        updates["replied_at"] = None
    elif action == Action.CLOSE:
        updates["closed_at"] = now
    elif action == Action.JOINT_REPLY:
        updates.update(reply_text=note, closed_at=now)
        if appeal.replied_at is None:
            updates["replied_at"] = now
            updates["is_replied_on_time"] = appeal.due_at is None or now <= appeal.due_at
    elif action == Action.SUPERVISE:
        updates["supervise_level"] = min(appeal.supervise_level + 1, 3)
        data["level"] = updates["supervise_level"]


def _plan_follow_up(plan: TransitionPlan, *, now: dt.datetime, payload: dict[str, Any]) -> None:
    resolution = _require(payload, "resolution", _("请选择解决情况。"))
    satisfaction = _require(payload, "satisfaction", _("请选择满意度。"))
    if resolution not in Resolution.values:
        raise ValidationFailed(_("解决情况无效。"), data={"resolution": _("解决情况无效。")})
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("满意度无效。"), data={"satisfaction": _("满意度无效。")})
    plan.updates.update(resolution=resolution, satisfaction=satisfaction)
    plan.data.update(resolution=resolution, satisfaction=satisfaction)
    # Re-handled when the matter is not solved at all or the citizen is not satisfied (Jinan Art. 27).
    if resolution == Resolution.UNRESOLVED or satisfaction == Satisfaction.UNSATISFIED:
        plan.updates["status"] = FOLLOW_UP_FAILED_TARGET
    else:
        plan.updates["closed_at"] = now


def _plan_clock(
    appeal: Appeal,
    clock: ClockEffect,
    plan: TransitionPlan,
    *,
    now: dt.datetime,
    calendar: WorkCalendar | None,
    limit_for: Callable[[Category | None, str], tuple[int, str]],
) -> None:
    """The handling clock: started (with the limit that applies), paused, resumed or extended."""
    updates, data = plan.updates, plan.data
    if clock == ClockEffect.START:
        amount, unit = limit_for(appeal.category, appeal.urgency)
        due_at = deadlines.due_at_for(now, amount, unit, calendar)
        updates.update(time_limit_amount=amount, time_limit_unit=unit, due_at=due_at, paused_at=None, is_overdue=False)
        data["due_at"] = due_at.isoformat()
        data["time_limit"] = [amount, unit]  # the limit that was counted, shown with the new due date
    elif clock == ClockEffect.PAUSE:
        updates["paused_at"] = now
    elif clock == ClockEffect.RESUME:
        updates["due_at"] = deadlines.resume_due_at(appeal, now, calendar=calendar)
        updates["paused_at"] = None
        updates["is_overdue"] = bool(updates["due_at"] and updates["due_at"] < now)
    elif clock == ClockEffect.EXTEND and updates.get("due_at"):
        data["due_at"] = updates["due_at"].isoformat()
