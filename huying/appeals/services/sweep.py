"""The deadlines sweep: overdue orders are marked and their 督办 level raised. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from huying.core.errors import ConcurrentModification
from huying.core.statemachine import versioned_update

from .. import deadlines, stats
from ..models import Appeal
from ..states import CLOCK_STATUSES, Status
from ..system_notes import system_note
from .base import record_event


def appeals_sweep_overdue(*, now: dt.datetime | None = None) -> int:
    """Mark overdue orders and raise their 督办 level. Idempotent: a second run changes nothing."""
    now = now or timezone.now()
    changed = 0
    candidates = Appeal.objects.filter(
        status__in=[Status.DISPATCHED, Status.RETURN_REQUESTED, Status.HANDLING, Status.EXTENSION_REQUESTED],
        due_at__lt=now,
        paused_at__isnull=True,
    ).only("pk")
    for pk in candidates.values_list("pk", flat=True).iterator():
        if _sweep_one(pk, now):
            changed += 1
    return changed


def overdue_escalation(appeal: Appeal, now: dt.datetime) -> int | None:
    """The 督办 level an order should now be at, or None when the sweep has nothing to do."""
    if appeal.status not in CLOCK_STATUSES or appeal.due_at is None or appeal.paused_at is not None:
        return None
    level = deadlines.overdue_level(appeal.due_at, now)
    if level == 0 or (appeal.is_overdue and appeal.supervise_level >= level):
        return None
    return max(level, appeal.supervise_level)


def _sweep_one(pk: int, now: dt.datetime) -> bool:
    """One order in its own transaction; its version is bumped, so a page open on it is told it changed."""
    try:
        with transaction.atomic():
            return _escalate(pk, now)
    except ConcurrentModification:
        return False  # someone acted on it meanwhile; the next sweep looks again


def _escalate(pk: int, now: dt.datetime) -> bool:
    appeal = Appeal.objects.select_related("lead_unit").get(pk=pk)
    new_level = overdue_escalation(appeal, now)
    if new_level is None:
        return False
    before = stats.appeal_vector(appeal)
    versioned_update(
        Appeal.objects.filter(pk=pk), expected_version=appeal.version, is_overdue=True, supervise_level=new_level
    )
    was_overdue = appeal.is_overdue
    note, note_data = system_note("overdue_supervised", level=new_level)
    appeal.is_overdue, appeal.supervise_level = True, new_level
    appeal.version += 1
    record_event(
        appeal,
        action="overdue" if not was_overdue else "escalate",
        from_status=appeal.status,
        actor=None,
        now=now,
        note=note,
        data={"level": new_level, **note_data},
        is_public=False,
    )
    stats.apply_delta(before, stats.appeal_vector(appeal))
    return True
