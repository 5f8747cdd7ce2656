"""The rectification case of a 差评 (核实 → 整改 → 反馈 → 回访 → 办结): its one table of actions,
checked by the kernel and written with a compare-and-set on ``version``, and the overdue sweep."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from huying.accounts.models import User
from huying.accounts.selectors import Actor, actor_for
from huying.core.errors import ConcurrentModification, ValidationFailed
from huying.core.statemachine import versioned_update

from .. import errors
from ..models import RectificationCase
from ..permissions import roles_for
from ..states import (
    OWING_STATUSES,
    TRANSITIONS,
    CaseAction,
    Resolution,
    RevisitView,
    action_applies,
    case_status_label,
)
from .base import (
    check_transition,
    load_visible,
    record_event,
    rectify_due_at,
    rectify_workdays,
    required_text,
    tell_rater,
)

NOTE_REQUIRED: dict[str, Any] = {
    CaseAction.VERIFY: _("请填写核实情况。"),
    CaseAction.RECTIFY: _("请填写已采取的整改措施。"),
    CaseAction.EXPLAIN: _("请填写理由或解释说明。"),
    CaseAction.ANSWER: _("请填写反馈给评价人的内容。"),
    CaseAction.REVISIT: _("请填写回访记录。"),
    CaseAction.REDO: _("请写明评价人仍不满意之处和重新整改的要求。"),
    CaseAction.UPHOLD_COMPLAINT: _("请填写复核意见。"),
}


def _plan(case: RectificationCase, action: str, note: str, now: dt.datetime, payload: dict[str, Any]) -> dict[str, Any]:
    """Field updates of one action (validation of its own inputs included)."""
    updates: dict[str, Any] = {}
    if action == CaseAction.VERIFY:
        contact = required_text(payload.get("contact_person"), "contact_person", _("请填写与评价人联系核实的人员。"))
        updates.update(contact_person=contact[:60], finding=note, verified_at=now)
    elif action == CaseAction.RECTIFY:
        updates.update(resolution=Resolution.IMMEDIATE, measures=note)
    elif action == CaseAction.EXPLAIN:
        resolution = str(payload.get("resolution") or "")
        if resolution not in (Resolution.SCHEDULED, Resolution.EXPLAINED):
            message = _("请选择“限期整改”或“解释说明”。")
            raise ValidationFailed(message, data={"resolution": message})
        updates.update(resolution=resolution, measures=note, ledger_entry="", rectify_by=None)
        if resolution == Resolution.SCHEDULED:
            ledger = required_text(
                payload.get("ledger_entry"), "ledger_entry", _("限期整改须建立台账：请填写台账编号或事项。")
            )
            rectify_by = payload.get("rectify_by")
            if isinstance(rectify_by, str):
                rectify_by = parse_date(rectify_by.strip()) if rectify_by.strip() else None
            if not isinstance(rectify_by, dt.date):
                message = _("请填写限期整改的完成日期（如 2026-06-30）。")
                raise ValidationFailed(message, data={"rectify_by": message})
            if rectify_by < timezone.localtime(now).date():
                message = _("整改完成日期不能早于今天。")
                raise ValidationFailed(message, data={"rectify_by": message})
            updates.update(ledger_entry=ledger[:200], rectify_by=rectify_by)
    elif action == CaseAction.ANSWER:
        updates.update(answer_text=note, answered_at=now, is_answered_on_time=now <= case.due_at)
    elif action == CaseAction.REVISIT:
        view = str(payload.get("revisit_view") or "")
        if view not in RevisitView.values:
            message = _("请选择评价人对整改结果的意见。")
            raise ValidationFailed(message, data={"revisit_view": message})
        updates.update(revisit_view=view, revisit_note=note, revisited_at=now)
    elif action == CaseAction.REDO:
        if not action_applies(action, revisit_view=case.revisit_view):
            message = _("回访意见为“不满意”时才能退回重新整改；评价人认可或联系不上的整改单可以办结。")
            raise ValidationFailed(message, data={"action": message})
        # The unit owes a new rectification and a new answer, on a new clock; what was done
        # before stays in the case's history.
        updates.update(
            due_at=rectify_due_at(now),
            is_overdue=False,
            resolution="",
            measures="",
            ledger_entry="",
            rectify_by=None,
            answer_text="",
            answered_at=None,
            is_answered_on_time=None,
            revisit_view="",
            revisit_note="",
            revisited_at=None,
        )
    elif action in (CaseAction.CLOSE, CaseAction.UPHOLD_COMPLAINT):
        updates["closed_at"] = now
    return updates


def _describe_refusal(status: str, action: str) -> str:
    return _("整改单当前状态为“%(status)s”，不能执行“%(action)s”。") % {
        "status": case_status_label(status),
        "action": CaseAction(action).label,
    }


def apply_transition(
    actor: Actor,
    case: RectificationCase,
    action: str,
    *,
    note: str,
    expected_version: int | None,
    now: dt.datetime,
    payload: dict[str, Any],
) -> RectificationCase:
    if expected_version is not None and int(expected_version) != case.version:
        raise ConcurrentModification(data={"current_version": case.version, "status": case.status})
    transition, note = check_transition(
        TRANSITIONS,
        source=case.status,
        action=action,
        roles=roles_for(actor, case),
        note=note,
        describe=_describe_refusal,
        note_missing=str(NOTE_REQUIRED.get(CaseAction(action), _("请填写说明。"))),
    )
    updates = _plan(case, action, note, now, payload)
    updates["status"] = transition.target
    versioned_update(RectificationCase.objects.filter(pk=case.pk), expected_version=case.version, **updates)
    from_status = case.status
    for key, value in updates.items():
        setattr(case, key, value)
    case.version += 1
    data = {
        k: str(v)
        for k, v in updates.items()
        if k in ("contact_person", "resolution", "ledger_entry", "rectify_by", "revisit_view") and v not in ("", None)
    }
    record_event(case, action=action, from_status=from_status, actor=actor, now=now, note=note, data=data)
    if action == CaseAction.REDO:
        tell_rater(
            case.rating,
            ngettext(
                "您对“%(title)s”的评价，回访后仍不满意，已要求承办单位在%(n)d个工作日内重新整改并向您反馈。",
                "您对“%(title)s”的评价，回访后仍不满意，已要求承办单位在%(n)d个工作日内重新整改并向您反馈。",
                rectify_workdays(),
            ),
        )
    if action == CaseAction.ANSWER:
        tell_rater(case.rating, _("您对“%(title)s”的评价，承办单位反馈如下：%(answer)s"), answer=note[:200])
    return case


def case_transition(
    *,
    actor: Actor | User | AnonymousUser,
    case: RectificationCase | int,
    action: str,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
    **payload: Any,
) -> RectificationCase:
    """Apply one action of the case table: 核实, 立行立改, 说明/限期整改, 反馈, 回访, 办结.

    Preconditions: the actor sees the case (else NotFound); ``expected_version`` (when given) is
    current (else ConcurrentModification); the action is allowed from the status (else
    InvalidTransition) for the actor's role on the case (else PermissionDenied); the note and the
    action's fields are given (else ValidationFailed). Payload: ``contact_person`` (verify),
    ``resolution`` scheduled|explained, ``ledger_entry``, ``rectify_by`` (explain),
    ``revisit_view`` (revisit). The answer is sent to the rater by SMS.
    """
    now = now or timezone.now()
    if action not in CaseAction.values or action == CaseAction.UPHOLD_COMPLAINT:
        raise ValidationFailed(_("未知操作。"), code=errors.UNKNOWN_ACTION, data={"action": action})
    with transaction.atomic():
        resolved = actor_for(actor)
        current = load_visible(resolved, case if isinstance(case, int) else case.pk)
        return apply_transition(
            resolved, current, action, note=note, expected_version=expected_version, now=now, payload=payload
        )


def ratings_sweep_overdue(*, now: dt.datetime | None = None) -> int:
    """Flag cases not answered by their due time. Idempotent: a second run changes nothing.

    Each case in its own transaction, its version bumped, so a page open on it is told it changed.
    """
    now = now or timezone.now()
    changed = 0
    late = RectificationCase.objects.filter(status__in=OWING_STATUSES, due_at__lt=now, is_overdue=False)
    for pk in list(late.values_list("pk", flat=True)):
        with transaction.atomic():
            # The UPDATE checks the filter again: a case answered or sent back meanwhile is left alone.
            if versioned_update(late.filter(pk=pk), is_overdue=True) != 1:
                continue  # acted on meanwhile; the next sweep looks again
            case = RectificationCase.objects.get(pk=pk)
            record_event(case, action="overdue", from_status=case.status, actor=None, now=now)
            changed += 1
    return changed
