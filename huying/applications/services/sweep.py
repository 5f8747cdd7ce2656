"""The periodic 办件 check: deemed acceptance, 容缺 expiry and the overdue mark. Every change it makes
gives the application a new version, so a page open on one is told it changed meanwhile."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.errors import ConcurrentModification, InvalidTransition
from huying.core.statemachine import versioned_update

from ..models import Application
from ..states import CLOCK_STATUSES, Action, Status
from .common import _event
from .transitions import application_transition


def applications_sweep(*, now: dt.datetime | None = None) -> str:
    """Idempotent periodic check: deemed acceptance (no 补正 notice in time), 容缺 expiry (不予审批)
    and the overdue flag. Safe to run any number of times."""
    now = now or timezone.now()
    deemed = _deem_acceptance(now)
    expired = _expire_promises(now)
    overdue = _mark_overdue(now)
    return f"办件巡检：视为受理 {deemed} 件，容缺逾期不予审批 {expired} 件，新增超期 {overdue} 件。"


def _deem_acceptance(now: dt.datetime) -> int:
    """Art. 32(4): no correction notice within the limit → accepted from receipt, and sent to review."""
    deemed = 0
    for pk in Application.objects.filter(status=Status.RECEIVED, notice_due_at__lt=now).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                application_transition(
                    actor=None,
                    application=pk,
                    action=Action.DEEM_ACCEPT,
                    note=_("未在规定期限内一次性告知补正，自收到申请材料之日起即为受理。"),
                    now=now,
                )
                application_transition(actor=None, application=pk, action=Action.START_REVIEW, now=now)
            deemed += 1
        except (ConcurrentModification, InvalidTransition):
            continue
    return deemed


def _expire_promises(now: dt.datetime) -> int:
    expired = 0
    today = timezone.localdate(now)
    for pk in Application.objects.filter(
        status__in=[Status.ACCEPTED_WITH_PROMISE, Status.IN_REVIEW], promise_until__lt=today
    ).values_list("pk", flat=True):
        try:
            application_transition(actor=None, application=pk, action=Action.PROMISE_EXPIRED, now=now)
            expired += 1
        except (ConcurrentModification, InvalidTransition):
            continue
    return expired


def _mark_overdue(now: dt.datetime) -> int:
    """The applications whose 承诺时限 passed without a decision are marked overdue (a new version each)."""
    with transaction.atomic():
        late = list(
            Application.objects.select_for_update().filter(status__in=CLOCK_STATUSES, due_at__lt=now, is_overdue=False)
        )
        if not late:
            return 0
        versioned_update(Application.objects.filter(pk__in=[a.pk for a in late], is_overdue=False), is_overdue=True)
        for application in late:
            application.is_overdue = True
            application.version += 1
            _event(application, action="overdue", from_status=application.status, actor=None, now=now, is_public=False)
    return len(late)
