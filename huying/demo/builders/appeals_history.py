"""Two ways for the demo builder to carry out one appeal's life.

``ServiceExecutor`` calls the services (used for the recent, still-moving appeals and scripted
cases). ``HistoryExecutor`` replays the same steps in memory, with the same field effects as
``services._apply`` and the same event rows, and writes a year of finished appeals with a few
bulk inserts: the services take ~50 ms per appeal on SQLite, far too slow for 3000 at
``make run``. The builder calls ``stats.stats_rebuild()`` afterwards so the counters are exact.
The demo test checks the two agree (every history row is reachable through the services).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.appeals import deadlines, services
from huying.appeals.models import Appeal, AppealAssignment, AppealEvent, Category, TimeLimitRule
from huying.appeals.states import TRANSITIONS, Action, Status
from huying.core.workdays import WorkCalendar
from huying.organisations.models import OrgUnit


class Stop(Exception):
    """The appeal's next step lies in the future, or it reached the status it should stay in."""


class ServiceExecutor:
    def __init__(self, now: dt.datetime):
        self.now = now

    def submit(self, *, actor: User | AnonymousUser, at: dt.datetime, **fields: Any) -> Appeal:
        return services.appeal_submit(actor=actor, now=at, **fields).appeal

    def submit_repeat(self, *, lead: Appeal, actor: User | AnonymousUser, at: dt.datetime, **fields: Any) -> Appeal:
        if at > self.now - dt.timedelta(minutes=2):
            raise Stop
        result = services.appeal_submit(actor=actor, now=at, **{**fields, "detect_repeat": True})
        return result.appeal

    def act(self, appeal: Appeal, at: dt.datetime, user: Any, action: str, **payload: Any) -> Appeal:
        if at > self.now - dt.timedelta(minutes=2):
            raise Stop
        return services.appeal_transition(actor=user, appeal=appeal.pk, action=action, now=at, **payload)

    def sweep(self, appeal: Appeal, at: dt.datetime) -> None:
        if at <= self.now:
            services.appeals_sweep_overdue(now=at)

    def assist_report(self, appeal: Appeal, at: dt.datetime, user: Any, unit: OrgUnit, note: str) -> None:
        if at < self.now:
            services.appeal_assist_report(actor=user, appeal_id=appeal.pk, note=note, now=at)


Note = str | Callable[[], str]


@dataclass
class _Event:
    appeal: Appeal
    action: str
    from_status: str
    to_status: str
    at: dt.datetime
    actor: User | AnonymousUser | None = None
    actor_unit: OrgUnit | None = None
    note: Note = ""
    data: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict)
    is_public: bool = True


@dataclass
class _Bundle:
    """What one case wrote: appeals (leads before their repeats), events, assignments."""

    appeals: list[Appeal] = field(default_factory=list)
    events: list[_Event] = field(default_factory=list)
    assignments: list[list[Any]] = field(default_factory=list)  # [appeal, unit, role, is_active]


class HistoryExecutor:
    """Replays steps in memory with the effects of ``services._apply``; ``flush()`` writes them."""

    def __init__(self, now: dt.datetime, handler_ids: set[int]):
        self.now = now
        self.handler_ids = handler_ids
        self.calendar = WorkCalendar()
        self._limits: dict[tuple[int | None, str], tuple[int, str]] = {}
        self.pending: list[_Bundle] = []
        self.bundle = _Bundle()

    # --- case boundaries ------------------------------------------------------------------

    def begin(self) -> None:
        self.bundle = _Bundle()

    def keep(self) -> None:
        self.pending.append(self.bundle)
        self.bundle = _Bundle()

    # --- steps ----------------------------------------------------------------------------

    def submit(
        self, *, actor: User | AnonymousUser, at: dt.datetime, detect_repeat: bool = False, **fields: Any
    ) -> Appeal:
        fields.pop("attachments", None)
        appeal = Appeal(submitted_at=at, created_by=actor if actor.is_authenticated else None, **fields)
        appeal.title = appeal.title or appeal.content[:30]
        self.bundle.appeals.append(appeal)
        self._event(appeal, "submit", "", at, actor, data={"channel": appeal.channel})
        return appeal

    def submit_repeat(self, *, lead: Appeal, actor: User | AnonymousUser, at: dt.datetime, **fields: Any) -> Appeal:
        """What appeal_submit does when it finds the open lead: store MERGED, link both ways."""
        if at > self.now - dt.timedelta(minutes=2):
            raise Stop
        repeat = self.submit(actor=actor, at=at, **fields)
        repeat.status, repeat.merged_into = Status.MERGED, lead
        self.bundle.events[-1].to_status = Status.MERGED
        lead.repeat_count += 1
        self._event(
            repeat,
            Action.MERGE,
            Status.SUBMITTED,
            at,
            actor,
            note=lambda: _("同一诉求人就同一事项再次反映，已并入工单 %(number)s。") % {"number": lead.number},
            data=lambda: {"lead": lead.number},
        )
        self._event(
            lead,
            "repeat_linked",
            lead.status,
            at,
            actor,
            note=lambda: _("诉求人再次反映同一事项（工单 %(number)s），已并单。") % {"number": repeat.number},
            data=lambda: {"repeat": repeat.number},
        )
        return repeat

    def act(self, appeal: Appeal, at: dt.datetime, user: Any, action: str, note: str = "", **payload: Any) -> Appeal:
        if at > self.now - dt.timedelta(minutes=2):
            raise Stop
        if action == Action.FOLLOW_UP and appeal.status == Status.CLOSED:
            return appeal  # a grid worker's report, closed by on-site verification: no follow-up call
        if action == Action.FOLLOW_UP and appeal.status == Status.VERIFYING:
            # A grid worker's report is closed by on-site verification, not by a follow-up call.
            action, note, payload = Action.VERIFY_PASS, _("现场核查：问题已解决。"), {}
        transition = TRANSITIONS.get(appeal.status, action)
        if transition is None:
            raise AssertionError(f"demo history: {action} not allowed from {appeal.status}")
        from_status = appeal.status
        if action == Action.APPROVE_EXTENSION and not payload.get("extension_days"):
            payload["extension_days"] = appeal._demo_extension_days  # type: ignore[attr-defined]
        # The same plan the services apply, with this executor's calendar and limit cache.
        plan = services.plan_transition(
            appeal, transition, note=note, now=at, payload=payload, calendar=self.calendar, limit_for=self._limit
        )
        for key, value in plan.updates.items():
            setattr(appeal, key, value)
        if action == Action.REQUEST_EXTENSION:
            appeal._demo_extension_days = plan.data["extension_days"]  # type: ignore[attr-defined]
        if plan.assignments:
            for row in self.bundle.assignments:
                if row[0] is appeal:
                    row[3] = False
            self.bundle.assignments += [[appeal, unit, role, True] for unit, role in plan.assignments]
        data: dict[str, Any] | Callable[[], dict[str, Any]] = plan.data
        if action == Action.MERGE:
            lead = plan.updates["merged_into"]
            lead.repeat_count += 1
            data = lambda: {"lead": lead.number}  # noqa: E731
        appeal.version += 1
        self._event(
            appeal,
            action,
            from_status,
            at,
            user,
            actor_unit=appeal.lead_unit if user.pk in self.handler_ids else None,
            note=note,
            data=data,
            is_public=action != Action.SUPERVISE,
        )
        verify_at = at + dt.timedelta(hours=20)
        if appeal.status == Status.VERIFYING and verify_at < self.now - dt.timedelta(days=2):
            # The grid checks a unit's answer on site within a day; only the last days' wait for it.
            return self.act(appeal, verify_at, user, Action.VERIFY_PASS, note=_("现场核查：问题已解决。"))
        return appeal

    def sweep(self, appeal: Appeal, at: dt.datetime) -> None:
        """``services._sweep_one`` for the one appeal in hand (the others are finished)."""
        new_level = services.overdue_escalation(appeal, at) if at <= self.now else None
        if new_level is None:
            return
        was_overdue = appeal.is_overdue
        appeal.is_overdue, appeal.supervise_level = True, new_level
        appeal.version += 1
        self._event(
            appeal,
            "overdue" if not was_overdue else "escalate",
            appeal.status,
            at,
            None,
            note=_("工单已超期，系统自动%(level)s级督办。") % {"level": new_level},
            data={"level": new_level},
            is_public=False,
        )

    def assist_report(self, appeal: Appeal, at: dt.datetime, user: Any, unit: OrgUnit, note: str) -> None:
        if at < self.now:
            self._event(appeal, "assist_report", appeal.status, at, user, actor_unit=unit, note=note, is_public=False)

    # --- helpers --------------------------------------------------------------------------

    def _event(
        self,
        appeal: Appeal,
        action: str,
        from_status: str,
        at: dt.datetime,
        actor: User | AnonymousUser | None,
        *,
        actor_unit: OrgUnit | None = None,
        note: Note = "",
        data: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
        is_public: bool = True,
    ) -> None:
        self.bundle.events.append(
            _Event(appeal, action, from_status, appeal.status, at, actor, actor_unit, note, data or {}, is_public)
        )

    def _limit(self, category: Category | None, urgency: str) -> tuple[int, str]:
        key = (category.pk if category else None, urgency)
        if key not in self._limits:
            self._limits[key] = deadlines.time_limit_for(category, urgency)
        return self._limits[key]

    def _extend(self, due_at: dt.datetime | None, days: int) -> dt.datetime | None:
        # deadlines.extend_due_at with this executor's calendar snapshot
        if due_at is None:
            return None
        local = timezone.localtime(due_at)
        day = self.calendar.add_workdays(local.date(), days)
        return timezone.make_aware(dt.datetime.combine(day, local.time()), timezone.get_current_timezone())

    def _resume(self, appeal: Appeal, at: dt.datetime) -> dt.datetime | None:
        # deadlines.resume_due_at with this executor's calendar snapshot
        if appeal.due_at is None or appeal.paused_at is None:
            return appeal.due_at
        if appeal.time_limit_unit == TimeLimitRule.Unit.HOURS:
            return appeal.due_at + (at - appeal.paused_at)
        return self.calendar.extend_by_workdays_elapsed(appeal.due_at, appeal.paused_at, at)

    # --- writing --------------------------------------------------------------------------

    def flush(self) -> int:
        """Insert everything kept: appeals (numbered like services._assign_number), events, assignments."""
        appeals = [a for b in self.pending for a in b.appeals]
        # Leads first, so a repeat's merged_into has its id when the repeat is inserted.
        leads = [a for a in appeals if a.merged_into is None]
        repeats = [a for a in appeals if a.merged_into is not None]
        for batch in (leads, repeats):
            for repeat in batch:
                if repeat.merged_into is not None:
                    repeat.merged_into_id = repeat.merged_into.pk
            Appeal.objects.bulk_create(batch, batch_size=500)
            for appeal in batch:
                appeal.number = f"{timezone.localtime(appeal.submitted_at):%Y%m%d}{appeal.pk:07d}"
            Appeal.objects.bulk_update(batch, ["number"], batch_size=500)
        events = sorted((e for b in self.pending for e in b.events), key=lambda e: e.at)
        AppealEvent.objects.bulk_create(
            [
                AppealEvent(
                    appeal=e.appeal,
                    action=e.action,
                    from_status=e.from_status,
                    to_status=e.to_status,
                    actor=e.actor if isinstance(e.actor, User) else None,
                    actor_unit=e.actor_unit,
                    note=e.note() if callable(e.note) else e.note,
                    data=e.data() if callable(e.data) else e.data,
                    is_public=e.is_public,
                    created_at=e.at,
                )
                for e in events
            ],
            batch_size=1000,
        )
        AppealAssignment.objects.bulk_create(
            [
                AppealAssignment(appeal=a, unit=u, role=r, is_active=active)
                for b in self.pending
                for a, u, r, active in b.assignments
            ],
            batch_size=1000,
        )
        self.pending = []
        return len(appeals)
