"""What the appeal pages show, computed once in Python so templates stay plain: Chinese labels for
history events, the unit's part in an order, the deadline colour, the requester as each role may
see them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.core.masking import mask_id_number, mask_phone
from huying.core.templatetags.punctuation import punctuation
from huying.organisations.models import OrgUnit

from .. import selectors
from ..models import Appeal, AppealAssignment, AppealEvent, TimeLimitRule
from ..permissions import can_view_personal_data
from ..public_history import public_history
from ..states import Action, ReferTarget, Resolution, Satisfaction, event_label, status_label
from ..system_notes import note_text, reply_warning_text

CONFIDENTIAL = gettext_lazy("（保密）")


def _choice_label(choices: Any, value: Any) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


def time_limit_text(amount: int | None, unit: str) -> str:
    if not amount:
        return ""
    if unit == TimeLimitRule.Unit.HOURS:
        return ngettext("%(n)d小时", "%(n)d小时", amount) % {"n": amount}
    if unit == TimeLimitRule.Unit.WORK_HOURS:
        return ngettext("%(n)d个工作小时", "%(n)d个工作小时", amount) % {"n": amount}
    return ngettext("%(n)d个工作日", "%(n)d个工作日", amount) % {"n": amount}


REHANDLE_ACTIONS = frozenset({Action.REOPEN, Action.VERIFY_FAIL})
# After these the follow-up on record is about an earlier reply (the unit has to answer again).
_NEW_ROUND = frozenset({Action.REOPEN, Action.VERIFY_FAIL, Action.REPLY, Action.JOINT_REPLY})


def follow_up_is_earlier(rows: list[TimelineRow]) -> bool:
    """True when the order was sent back or answered again after its last follow-up (回访): the
    result shown is then the earlier one (上次回访), not an opinion of the new reply."""
    last_follow_up = max((i for i, r in enumerate(rows) if r.action == Action.FOLLOW_UP), default=-1)
    last_round = max((i for i, r in enumerate(rows) if r.action in _NEW_ROUND), default=-1)
    return last_follow_up >= 0 and last_round > last_follow_up


def reply_was_sent_back(rows: list[TimelineRow]) -> bool:
    """True while the reply on record is the one the order was sent back over (awaiting a new one)."""
    last_reply = max((i for i, r in enumerate(rows) if r.action in (Action.REPLY, Action.JOINT_REPLY)), default=-1)
    last_back = max((i for i, r in enumerate(rows) if r.action in REHANDLE_ACTIONS), default=-1)
    return last_reply >= 0 and last_back > last_reply


@dataclass
class TimelineRow:
    action: str
    label: str
    status: str
    status_label: str
    note: str
    at: dt.datetime
    unit: str = ""
    actor: str = ""
    details: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def _details(event: AppealEvent) -> list[str]:
    data = event.data or {}
    out: list[str] = []
    if data.get("reply_warnings"):
        out += [_("答复质量提示：%(m)s") % {"m": reply_warning_text(w)} for w in data["reply_warnings"]]
    if data.get("lead_unit"):
        out.append(_("主办：%(unit)s") % {"unit": data["lead_unit"]})
    if data.get("assist_units"):
        out.append(_("协办：%(units)s") % {"units": punctuation("、").join(data["assist_units"])})
    if data.get("refer_target"):
        out.append(_("转往：%(target)s") % {"target": _choice_label(ReferTarget, data["refer_target"])})
    if data.get("extension_days"):
        days = int(data["extension_days"])
        out.append(ngettext("延期%(n)d个工作日", "延期%(n)d个工作日", days) % {"n": days})
    if event.action in REHANDLE_ACTIONS and data.get("due_at"):
        out.append(_rehandle_detail(data))
    if data.get("resolution"):
        out.append(_("解决情况：%(v)s") % {"v": _choice_label(Resolution, data["resolution"])})
    if data.get("satisfaction"):
        out.append(_("满意度：%(v)s") % {"v": _choice_label(Satisfaction, data["satisfaction"])})
    if data.get("lead") and event.action == Action.MERGE:
        out.append(_("并入工单：%(n)s") % {"n": data["lead"]})
    if data.get("level") and event.action in (Action.SUPERVISE, "overdue", "escalate"):
        out.append(_("督办级别：%(n)s级") % {"n": data["level"]})
    return out


def _rehandle_detail(data: dict[str, Any]) -> str:
    due = timezone.localtime(dt.datetime.fromisoformat(data["due_at"])).strftime("%Y-%m-%d %H:%M")
    amount, unit = (data.get("time_limit") or [0, ""])[:2]
    if not amount:
        return _("重办期限：%(due)s") % {"due": due}
    return _("重办时限%(limit)s，自退回时重新计算，至%(due)s") % {"limit": time_limit_text(amount, unit), "due": due}


def timeline_rows(appeal: Appeal, *, public_only: bool) -> list[TimelineRow]:
    """The history as rows; the public version is the citizen's (see ``public_timeline_rows``)."""
    if public_only:
        return public_timeline_rows(appeal)
    rows = []
    for event in selectors.appeal_timeline(appeal, public_only=False):
        rows.append(
            TimelineRow(
                action=event.action,
                label=event_label(event.action),
                status=event.to_status,
                status_label=status_label(event.to_status),
                note=note_text(event.note, event.data),
                at=event.created_at,
                unit=event.actor_unit.label if event.actor_unit else "",
                actor="" if event.actor is None else str(event.actor),
                details=_details(event),
                data=event.data or {},
            )
        )
    return rows


def public_timeline_rows(appeal: Appeal) -> list[TimelineRow]:
    """The requester's history (see ``public_history``): no member of staff named, one name per unit,
    and for each event a sentence made from its codes instead of the staff's notes."""
    return [
        TimelineRow(
            action=entry.event.action,
            label=event_label(entry.event.action),
            status=entry.event.to_status,
            status_label=status_label(entry.event.to_status),
            note=entry.note,
            at=entry.event.created_at,
            details=[entry.summary] if entry.summary else [],
        )
        for entry in public_history(appeal)
    ]


def last_requested_extension(rows: list[TimelineRow]) -> int | None:
    """Days the unit asked for in its latest extension request (to pre-fill the approval)."""
    for row in reversed(rows):
        if row.action == Action.REQUEST_EXTENSION:
            days = row.data.get("extension_days")
            return int(days) if days else None
    return None


def unit_part(actor: Actor, appeal: Appeal) -> str:
    """主办 when one of the actor's units leads the order, else 协办 (the inbox only lists both)."""
    lead_path = appeal.lead_unit.path if appeal.lead_unit_id and appeal.lead_unit else ""
    if lead_path and any(lead_path.startswith(p) for p in actor.unit_paths(Role.HANDLER)):
        return str(AppealAssignment.Role.LEAD.label)
    return str(AppealAssignment.Role.ASSIST.label)


def active_assignments(appeal: Appeal) -> list[AppealAssignment]:
    return [a for a in appeal.assignments.select_related("unit").order_by("role", "pk") if a.is_active]


def is_assisting(actor: Actor, assignments: list[AppealAssignment]) -> bool:
    """Mirrors appeal_assist_report: an active 协办 assignment of one of the actor's own units."""
    paths = set(actor.unit_paths(Role.HANDLER))
    return any(a.role == AppealAssignment.Role.ASSIST and a.unit.path in paths for a in assignments)


@dataclass
class Requester:
    hidden: bool
    name: str
    phone: str
    id_number: str
    can_reveal: bool
    revealed: bool = False


def requester_for(actor: Actor, appeal: Appeal, revealed: dict[str, str] | None = None) -> Requester:
    """Masked by default; a confidential requester is hidden entirely from the handling units."""
    may_see = can_view_personal_data(actor, appeal)
    if appeal.is_confidential and not may_see:
        return Requester(True, str(CONFIDENTIAL), str(CONFIDENTIAL), str(CONFIDENTIAL), can_reveal=False)
    if revealed is not None:
        return Requester(
            False,
            appeal.requester_name,
            revealed.get("requester_phone", ""),
            revealed.get("requester_id_number", ""),
            can_reveal=False,
            revealed=True,
        )
    has_data = bool(appeal.requester_phone or appeal.requester_id_number)
    return Requester(
        False,
        appeal.requester_name,
        mask_phone(appeal.requester_phone),
        mask_id_number(appeal.requester_id_number),
        can_reveal=may_see and has_data,
    )


@dataclass
class AppealRow:
    appeal: Appeal
    deadline: str
    part: str = ""


def appeal_rows(appeals: Any, *, actor: Actor | None = None, now: dt.datetime | None = None) -> list[AppealRow]:
    rows = []
    for appeal in appeals:
        state = selectors.appeal_deadline(appeal, now)
        rows.append(
            AppealRow(
                appeal=appeal,
                deadline=state,
                part=unit_part(actor, appeal) if actor is not None else "",
            )
        )
    return rows


def unit_label(unit: OrgUnit | None) -> str:
    return unit.label if unit is not None else ""
