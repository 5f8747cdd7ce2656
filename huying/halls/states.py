"""Statuses, actions and the one TRANSITIONS table of a queue ticket's life. Pure data, no DB.

取号 → 叫号 (重呼) → 开始办理 → 办结; a called person who does not come is 过号 (no-show);
a waiting (or called) ticket may be cancelled by its holder or by hall staff.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.accounts.roles import CITIZEN, Role
from huying.core.statemachine import Transition, TransitionTable


class Status(models.TextChoices):
    WAITING = "waiting", _("等待叫号")
    CALLED = "called", _("已叫号")
    SERVING = "serving", _("办理中")
    DONE = "done", _("已办结")
    NO_SHOW = "no_show", _("过号")
    CANCELLED = "cancelled", _("已取消")


class Action(models.TextChoices):
    CALL = "call", _("叫号")
    RECALL = "recall", _("重呼")
    START = "start", _("开始办理")
    FINISH = "finish", _("办结")
    NO_SHOW = "no_show", _("过号")
    CANCEL = "cancel", _("取消")


class Channel(models.TextChoices):
    KIOSK = "kiosk", _("大厅取号机")
    MOBILE = "mobile", _("手机取号")
    APPOINTMENT = "appointment", _("预约取号")


OPEN_STATUSES = frozenset({Status.WAITING, Status.CALLED, Status.SERVING})
FINAL_STATUSES = frozenset(s for s in Status if s not in OPEN_STATUSES)
# A window holds at most one ticket in these statuses: it must finish (or mark a no-show) before calling again.
AT_WINDOW_STATUSES = frozenset({Status.CALLED, Status.SERVING})

_CLERK = Role.CLERK
_MANAGER = Role.HALL_MANAGER
# The holder of the ticket: the citizen whose account took it or whoever holds its public number (paper slip).
HOLDER = CITIZEN


def _t(source: str, action: str, target: str, roles: set[str]) -> Transition:
    return Transition(source, action, target, frozenset(roles))


TRANSITIONS = TransitionTable(
    [
        _t(Status.WAITING, Action.CALL, Status.CALLED, {_CLERK}),
        _t(Status.CALLED, Action.RECALL, Status.CALLED, {_CLERK}),
        _t(Status.CALLED, Action.START, Status.SERVING, {_CLERK}),
        _t(Status.CALLED, Action.NO_SHOW, Status.NO_SHOW, {_CLERK}),
        _t(Status.SERVING, Action.FINISH, Status.DONE, {_CLERK}),
        _t(Status.WAITING, Action.CANCEL, Status.CANCELLED, {HOLDER, _CLERK, _MANAGER}),
        _t(Status.CALLED, Action.CANCEL, Status.CANCELLED, {HOLDER, _CLERK, _MANAGER}),
    ]
)


class WindowStatus(models.TextChoices):
    """A window's state as the table knows it (stored as ``Window.is_open``)."""

    OPEN = "open", _("开放")
    PAUSED = "paused", _("暂停服务")


class WindowAction(models.TextChoices):
    OPEN = "open", _("开放窗口")
    PAUSE = "pause", _("暂停服务")


# Clerks and the hall manager open and pause windows; pressing the button of the state a window is
# already in (a second click, a page left open) is not refused.
WINDOW_TRANSITIONS = TransitionTable(
    [
        _t(WindowStatus.PAUSED, WindowAction.OPEN, WindowStatus.OPEN, {_CLERK, _MANAGER}),
        _t(WindowStatus.OPEN, WindowAction.OPEN, WindowStatus.OPEN, {_CLERK, _MANAGER}),
        _t(WindowStatus.OPEN, WindowAction.PAUSE, WindowStatus.PAUSED, {_CLERK, _MANAGER}),
        _t(WindowStatus.PAUSED, WindowAction.PAUSE, WindowStatus.PAUSED, {_CLERK, _MANAGER}),
    ]
)


def status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value
