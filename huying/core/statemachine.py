"""A state machine as a table, and the one way a record's status changes.

Every loop declares its ``TRANSITIONS`` table in its ``states.py`` and, in its service, calls the
kernel and nothing else:

1. ``TRANSITIONS.check(source=…, action=…, roles=…, note=…)`` refuses a pair not in the table
   (``InvalidTransition``), an actor none of whose roles may act (``PermissionDenied``), and a
   missing or over-long note (``ValidationFailed``, one limit: ``NOTE_MAX_LENGTH``);
2. ``versioned_update(Model.objects.filter(pk=…), expected_version=…, **fields)`` writes the
   change with ``UPDATE … SET version = version + 1 WHERE version = ?``: 0 rows means someone
   else changed the record meanwhile (``ConcurrentModification``), and nothing is written.

Periodic sweeps write through ``versioned_update`` too (without ``expected_version``, inside a
transaction), so a page that was open during a sweep is told the record changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from huying.core.errors import ConcurrentModification, InvalidTransition, PermissionDenied, ValidationFailed

# One limit for every note, opinion and reason a person writes on a transition (a 12345 reply is the
# longest of them).
NOTE_MAX_LENGTH = 5000


class ClockEffect(StrEnum):
    NONE = "none"
    START = "start"  # the handling clock starts (dispatch, re-dispatch, reopen)
    PAUSE = "pause"
    RESUME = "resume"
    EXTEND = "extend"
    STOP = "stop"


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    roles: frozenset[str]
    needs_note: bool = False
    clock: ClockEffect = ClockEffect.NONE
    # Actions shown as secondary (not the main button) on pages.
    extra: dict[str, object] = field(default_factory=dict, hash=False, compare=False)


class TransitionTable:
    def __init__(self, transitions: Iterable[Transition]):
        self.transitions = list(transitions)
        self._index: dict[tuple[str, str], Transition] = {}
        for t in self.transitions:
            key = (t.source, t.action)
            if key in self._index:
                raise ValueError(f"duplicate transition {key}")
            self._index[key] = t

    def get(self, source: str, action: str) -> Transition | None:
        return self._index.get((source, action))

    def from_state(self, source: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == source]

    def states(self) -> set[str]:
        return {t.source for t in self.transitions} | {t.target for t in self.transitions}

    def actions(self) -> set[str]:
        return {t.action for t in self.transitions}

    def allowed(self, source: str, roles: Iterable[str]) -> list[Transition]:
        """The transitions from ``source`` that one of ``roles`` may take, in table order."""
        held = set(roles)
        return [t for t in self.transitions if t.source == source and t.roles & held]

    def check(
        self,
        *,
        source: str,
        action: str,
        roles: Iterable[str],
        note: str = "",
        describe: Callable[[str, str], str] | None = None,
    ) -> tuple[Transition, str]:
        """The transition to take and the cleaned note, or the error that refuses it.

        ``describe(source, action)`` words the refusal of a pair not in the table for a person
        ("工单当前状态为「已办结」，不能执行「签收」。"); without it the generic message is used.
        """
        transition = self.get(source, action)
        if transition is None:
            raise InvalidTransition(
                describe(source, action) if describe else None, data={"status": source, "action": action}
            )
        if not transition.roles & set(roles):
            raise PermissionDenied()
        return transition, clean_note(note, required=transition.needs_note)


def clean_note(note: str | None, *, required: bool = False) -> str:
    """A transition's note stripped, or ValidationFailed when required and empty or too long."""
    cleaned = (note or "").strip()
    if required and not cleaned:
        # One wording for the form's field and the API's detail, so a page shows it once.
        message = _("请填写说明（意见、原因或答复内容）。")
        raise ValidationFailed(message, data={"note": message})
    if len(cleaned) > NOTE_MAX_LENGTH:
        message = _("说明不能超过%(max)d字。") % {"max": NOTE_MAX_LENGTH}
        raise ValidationFailed(message, data={"note": message})
    return cleaned


def versioned_update(
    queryset: QuerySet[Any], *, expected_version: int | None = None, version_field: str = "version", **fields: Any
) -> int:
    """``UPDATE … SET version = version + 1, <fields>`` on ``queryset``; the number of rows written.

    With ``expected_version`` the queryset names one record and the write is a compare-and-set:
    if the record is no longer at that version, ``ConcurrentModification`` is raised and nothing is
    written. Without it (a sweep), every matching row is written and its version bumped.
    ``version_field`` names the counter where ``version`` means something else (an e-licence's
    ``version`` is part of its identifier; its counter is ``row_version``).
    """
    bump = F("version") + 1 if version_field == "version" else F(version_field) + 1
    if expected_version is not None:
        queryset = queryset.filter(**{version_field: expected_version})
    rows = queryset.update(**{version_field: bump}, **fields)
    if expected_version is not None and rows != 1:
        raise ConcurrentModification()
    return rows
