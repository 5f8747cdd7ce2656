"""The colour of a deadline, one rule for every loop (appeals, applications, rectification cases).

A deadline is ``none`` when nothing is owed (closed, or no due date), ``paused`` while the clock is
suspended, ``stopped`` when the work it measured is done (a reply given, the record closed) and the
date is kept for the record, ``overdue`` once passed (or already marked overdue by the sweep), ``due_soon`` within
``SOON`` of it, else ``ok``. Pages show it with the ``deadline_chip`` tag (``{% load deadlines %}``),
whose CSS classes are ``deadline deadline-<state>``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SOON = dt.timedelta(days=1)

NONE, OK, DUE_SOON, OVERDUE, PAUSED, STOPPED = "none", "ok", "due_soon", "overdue", "paused", "stopped"
LABELS: dict[str, Any] = {
    NONE: _("无时限"),
    OK: _("正常"),
    DUE_SOON: _("即将到期"),
    OVERDUE: _("已超期"),
    PAUSED: _("已中止计时"),
    STOPPED: _("已停止计时"),
}
# (value, label) pairs, for a serializer's ChoiceField.
CHOICES = list(LABELS.items())


def deadline_state(
    due_at: dt.datetime | None,
    *,
    now: dt.datetime | None = None,
    paused: bool = False,
    closed: bool = False,
    overdue: bool = False,
    stopped: bool = False,
) -> str:
    """``none`` / ``stopped`` / ``paused`` / ``overdue`` / ``due_soon`` / ``ok`` for a deadline ``due_at``.

    ``closed``: nothing is owed any more; ``paused``: the clock is stopped; ``overdue``: the record
    is already marked overdue (kept so even if its due date were moved later); ``stopped``: the clock
    no longer runs but the due date stays on the record ("已停止计时", not "无时限")."""
    if closed:
        return NONE
    if stopped and due_at is not None:
        return STOPPED
    if paused:
        return PAUSED
    if due_at is None:
        return NONE
    now = now or timezone.now()
    if overdue or due_at < now:
        return OVERDUE
    if due_at - now <= SOON:
        return DUE_SOON
    return OK


def label(state: str) -> str:
    return str(LABELS.get(state, state))
