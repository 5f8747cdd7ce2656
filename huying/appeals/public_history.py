"""What the requester reads of an appeal's history, on the progress page and through the public API.

The hotline's and the units' own notes (instructions to a unit, call notes, smart dispatch's confidence,
notes the system writes) stay with the staff. The requester reads, for each event they may see, a
sentence made here from the event's codes in their own language, and the notes that were addressed to
them (an answer, a reply, a reason for refusing or referring).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from huying.organisations.models import OrgUnit

from . import selectors
from .models import Appeal, AppealEvent
from .states import Action, ReferTarget, Resolution, Satisfaction

NOTES_TO_REQUESTER = frozenset({Action.ANSWER, Action.REPLY, Action.JOINT_REPLY, Action.REFUSE, Action.REFER})
STAFF_ONLY_EVENTS = frozenset(
    {
        Action.REQUEST_RETURN,
        Action.REJECT_RETURN,
        Action.REQUEST_EXTENSION,
        Action.REJECT_EXTENSION,
        Action.SUPERVISE,
        "assist_report",
        "attachment_added",
        "categorised",
        "overdue",
        "escalate",
    }
)


@dataclass(frozen=True)
class PublicEntry:
    event: AppealEvent
    summary: str  # what was done, from the event's codes ("已转市城管局办理")
    note: str  # the event's note when it was addressed to the requester, else ""


def _label(choices: Any, value: Any) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


def public_summary(event: AppealEvent, unit_labels: dict[str, str]) -> str:
    """One sentence for the requester; ``unit_labels`` maps a unit's full name to the name it is shown by."""
    data = event.data or {}
    action = event.action
    unit = event.actor_unit.label if event.actor_unit else ""
    if action in (Action.DISPATCH, Action.APPROVE_RETURN) and data.get("lead_unit"):
        return _("已转%(unit)s办理") % {"unit": unit_labels.get(data["lead_unit"], data["lead_unit"])}
    if action == Action.SIGN and unit:
        return _("%(unit)s已签收，正在办理") % {"unit": unit}
    if action in (Action.REPLY, Action.ANSWER) and unit:
        return _("%(unit)s已答复") % {"unit": unit}
    if action == Action.REFER and data.get("refer_target"):
        return _("已转往%(target)s") % {"target": _label(ReferTarget, data["refer_target"])}
    if action == Action.APPROVE_EXTENSION and data.get("extension_days"):
        days = int(data["extension_days"])
        return ngettext("办理期限延长%(n)d个工作日", "办理期限延长%(n)d个工作日", days) % {"n": days}
    if action == Action.FOLLOW_UP and data.get("resolution"):
        return _("回访：%(resolution)s，%(satisfaction)s") % {
            "resolution": _label(Resolution, data["resolution"]),
            "satisfaction": _label(Satisfaction, data.get("satisfaction")),
        }
    if action == Action.MERGE and data.get("lead"):
        return _("已并入工单 %(n)s 一并办理") % {"n": data["lead"]}
    if action == "repeat_linked" and data.get("repeat"):
        return _("诉求人再次反映同一事项（工单 %(number)s），已并单。") % {"number": data["repeat"]}
    return ""


def public_history(appeal: Appeal) -> list[PublicEntry]:
    """The events the requester sees, oldest first, each with its summary and the note meant for them."""
    events = [e for e in selectors.appeal_timeline(appeal, public_only=True) if e.action not in STAFF_ONLY_EVENTS]
    names = {(e.data or {}).get("lead_unit") for e in events} - {None, ""}
    unit_labels = {u.name: u.label for u in OrgUnit.objects.filter(name__in=names)} if names else {}
    return [
        PublicEntry(
            event=event,
            summary=public_summary(event, unit_labels),
            note=event.note if event.action in NOTES_TO_REQUESTER else "",
        )
        for event in events
    ]
