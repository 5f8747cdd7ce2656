"""办理时限: rules, working days across holidays, suspension, extension and the overdue sweep."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from huying.appeals import services
from huying.appeals.models import Appeal, AppealEvent, TimeLimitRule
from huying.appeals.states import Action, Status, Urgency

from .factories import submit

pytestmark = pytest.mark.django_db


def local(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def dispatched(world: Any, at: dt.datetime, **kw: Any) -> Appeal:
    appeal = submit(world, now=at, **kw)
    appeal = services.appeal_transition(actor=world.operator, appeal=appeal, action=Action.ACCEPT, now=at)
    return services.appeal_transition(
        actor=world.operator, appeal=appeal, action=Action.DISPATCH, lead_unit=world.urban, now=at
    )


def handling(world: Any, at: dt.datetime, **kw: Any) -> Appeal:
    appeal = dispatched(world, at, **kw)
    return services.appeal_transition(
        actor=world.handler, appeal=appeal, action=Action.SIGN, now=at + dt.timedelta(hours=1)
    )


def test_dispatch_before_spring_festival_falls_due_after_the_holiday(world: Any) -> None:
    # Thu 12 Feb 2026: 13 Feb (1), Sat 14 Feb make-up (2), 15–23 Feb off, 24 (3), 25 (4), 26 (5).
    appeal = dispatched(world, local(2026, 2, 12, 10, 0))
    assert (appeal.time_limit_amount, appeal.time_limit_unit) == (5, TimeLimitRule.Unit.WORKDAYS)
    assert timezone.localtime(appeal.due_at) == local(2026, 2, 26, 23, 59, 59)


def test_emergency_is_counted_in_hours(world: Any) -> None:
    at = local(2026, 2, 14, 22, 30)  # a Saturday night: hours run around the clock
    appeal = dispatched(world, at, urgency=Urgency.EMERGENCY)
    assert (appeal.time_limit_amount, appeal.time_limit_unit) == (2, TimeLimitRule.Unit.HOURS)
    assert appeal.due_at == at + dt.timedelta(hours=2)


def test_category_rule_overrides_the_default(world: Any) -> None:
    TimeLimitRule.objects.create(category=None, urgency=Urgency.GENERAL, amount=7, unit=TimeLimitRule.Unit.WORKDAYS)
    TimeLimitRule.objects.create(
        category=world.cat_noise, urgency=Urgency.GENERAL, amount=12, unit=TimeLimitRule.Unit.HOURS
    )
    at = local(2026, 3, 2, 9, 0)  # Monday
    noise = dispatched(world, at, category=world.cat_noise)
    road = dispatched(world, at, category=world.cat_road)
    assert noise.due_at == at + dt.timedelta(hours=12)
    assert timezone.localtime(road.due_at) == local(2026, 3, 11, 23, 59, 59)  # the default row: 7 workdays


def test_a_parent_category_rule_applies_to_its_children(world: Any) -> None:
    assert world.cat_road.parent is not None
    TimeLimitRule.objects.create(
        category=world.cat_road.parent, urgency=Urgency.GENERAL, amount=3, unit=TimeLimitRule.Unit.WORKDAYS
    )
    appeal = dispatched(world, local(2026, 3, 2, 9, 0), category=world.cat_road)
    assert timezone.localtime(appeal.due_at) == local(2026, 3, 5, 23, 59, 59)


def test_suspension_pauses_a_workday_clock(world: Any) -> None:
    appeal = handling(world, local(2026, 3, 2, 10, 0))  # due Mon 9 Mar
    assert timezone.localtime(appeal.due_at) == local(2026, 3, 9, 23, 59, 59)
    appeal = services.appeal_transition(
        actor=world.handler, appeal=appeal, action=Action.SUSPEND, note="等待鉴定", now=local(2026, 3, 3, 10, 0)
    )
    assert appeal.paused_at is not None
    # Suspended on Tue 3 Mar, resumed Fri 6 Mar: 4, 5, 6 Mar were lost, three working days.
    appeal = services.appeal_transition(
        actor=world.handler, appeal=appeal, action=Action.RESUME, now=local(2026, 3, 6, 10, 0)
    )
    assert appeal.paused_at is None
    assert timezone.localtime(appeal.due_at) == local(2026, 3, 12, 23, 59, 59)


def test_suspension_pauses_an_hour_clock_by_the_elapsed_time(world: Any) -> None:
    at = local(2026, 3, 2, 10, 0)
    appeal = handling(world, at, urgency=Urgency.URGENT)
    assert appeal.due_at == at + dt.timedelta(hours=24)
    appeal = services.appeal_transition(
        actor=world.handler, appeal=appeal, action=Action.SUSPEND, note="等待鉴定", now=at + dt.timedelta(hours=2)
    )
    appeal = services.appeal_transition(
        actor=world.handler, appeal=appeal, action=Action.RESUME, now=at + dt.timedelta(hours=29, minutes=30)
    )
    assert appeal.due_at == at + dt.timedelta(hours=24 + 27, minutes=30)


def test_approved_extension_adds_working_days(world: Any) -> None:
    appeal = handling(world, local(2026, 3, 2, 10, 0))  # due Mon 9 Mar
    appeal = services.appeal_transition(
        actor=world.handler,
        appeal=appeal,
        action=Action.REQUEST_EXTENSION,
        note="需多部门会商",
        extension_days=5,
        now=local(2026, 3, 4, 10, 0),
    )
    appeal = services.appeal_transition(
        actor=world.operator, appeal=appeal, action=Action.APPROVE_EXTENSION, note="同意", now=local(2026, 3, 4, 15, 0)
    )
    assert appeal.status == Status.HANDLING
    assert timezone.localtime(appeal.due_at) == local(2026, 3, 16, 23, 59, 59)
    assert AppealEvent.objects.get(appeal=appeal, action=Action.APPROVE_EXTENSION).data["extension_days"] == 5


def test_overdue_sweep_marks_escalates_and_is_idempotent(world: Any) -> None:
    start = local(2026, 3, 2, 10, 0)
    appeal = handling(world, start)
    due = appeal.due_at
    assert due is not None
    with time_machine.travel(due - dt.timedelta(hours=1), tick=False):
        assert services.appeals_sweep_overdue() == 0
    levels = []
    for late in (dt.timedelta(hours=1), dt.timedelta(days=1, hours=1), dt.timedelta(days=3, hours=1)):
        with time_machine.travel(due + late, tick=False):
            assert services.appeals_sweep_overdue() == 1
            fresh = Appeal.objects.get(pk=appeal.pk)
            levels.append((fresh.is_overdue, fresh.supervise_level))
            # A second run at the same moment changes nothing.
            assert services.appeals_sweep_overdue() == 0
            assert Appeal.objects.get(pk=appeal.pk).version == fresh.version
    assert levels == [(True, 1), (True, 2), (True, 3)]
    actions = list(AppealEvent.objects.filter(appeal=appeal, actor=None).values_list("action", flat=True))
    assert actions == ["overdue", "escalate", "escalate"]
    assert not AppealEvent.objects.filter(appeal=appeal, action="overdue", is_public=True).exists()


def test_suspended_orders_are_not_marked_overdue(world: Any) -> None:
    appeal = handling(world, local(2026, 3, 2, 10, 0))
    appeal = services.appeal_transition(
        actor=world.handler, appeal=appeal, action=Action.SUSPEND, note="等待鉴定", now=local(2026, 3, 3, 10, 0)
    )
    assert services.appeals_sweep_overdue(now=local(2026, 4, 1, 10, 0)) == 0
    assert not Appeal.objects.get(pk=appeal.pk).is_overdue


def test_replied_orders_are_not_marked_overdue(world: Any) -> None:
    appeal = handling(world, local(2026, 3, 2, 10, 0))
    services.appeal_transition(
        actor=world.handler, appeal=appeal, action=Action.REPLY, note="已处理", now=local(2026, 3, 3, 10, 0)
    )
    assert services.appeals_sweep_overdue(now=local(2026, 4, 1, 10, 0)) == 0
