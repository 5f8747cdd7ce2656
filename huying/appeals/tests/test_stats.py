"""The monthly counters kept by the services equal a fresh rebuild, and the figures derived from them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.appeals import selectors, services, stats
from huying.appeals.models import AppealMonthlyStat
from huying.appeals.states import Action, Channel, Resolution, Satisfaction, Status

from .factories import appeal_in, submit

pytestmark = pytest.mark.django_db


def counters() -> dict[tuple[Any, ...], tuple[int, ...]]:
    """Every non-empty counter row (a re-dispatch may leave an all-zero row behind; a rebuild does not)."""
    rows = {}
    for row in AppealMonthlyStat.objects.all():
        values = tuple(getattr(row, c) for c in stats.COUNTERS)
        if any(values):
            rows[(row.month, row.dimension, row.key)] = values
    return rows


def follow_up(world: Any, appeal: Any, resolution: str, satisfaction: str) -> Any:
    return services.appeal_transition(
        actor=world.operator, appeal=appeal, action=Action.FOLLOW_UP, resolution=resolution, satisfaction=satisfaction
    )


def test_counters_kept_by_the_services_equal_a_rebuild(world: Any) -> None:
    last_month = timezone.now() - dt.timedelta(days=35)
    for status in Status:
        appeal_in(world, status)
    appeal_in(world, Status.CLOSED, channel=Channel.HOTLINE, category=world.cat_road)
    submit(world, now=last_month)  # another month
    # Re-dispatch moves the order to another unit's counters.
    returned = appeal_in(world, Status.RETURN_REQUESTED)
    services.appeal_transition(
        actor=world.operator, appeal=returned, action=Action.APPROVE_RETURN, note="改派", lead_unit=world.housing
    )
    # A failed follow-up, reopened, replied again and closed: the first follow-up is taken back.
    unsatisfied = appeal_in(world, Status.UNSATISFIED)
    services.appeal_transition(actor=world.operator, appeal=unsatisfied, action=Action.REOPEN, note="重办")
    services.appeal_transition(actor=world.handler, appeal=unsatisfied, action=Action.REPLY, note="已重新处理")
    follow_up(world, unsatisfied, Resolution.RESOLVED, Satisfaction.BASICALLY)
    # Closed by the supervisor while unsatisfied.
    closed_unhappy = appeal_in(world, Status.UNSATISFIED)
    services.appeal_transition(actor=world.supervisor, appeal=closed_unhappy, action=Action.CLOSE, note="依政策办结")
    # Late replies and the overdue sweep.
    late = appeal_in(world, Status.HANDLING)
    assert late.due_at is not None
    services.appeals_sweep_overdue(now=late.due_at + dt.timedelta(days=2))
    services.appeal_transition(
        actor=world.handler, appeal=late, action=Action.REPLY, note="迟复", now=late.due_at + dt.timedelta(days=2)
    )
    # A repeat call.
    lead = appeal_in(world, Status.HANDLING, phone="13711112222", content="小区门口路灯坏了一个月了没人修理请尽快处理")
    services.appeal_submit(
        actor=world.operator,
        channel=Channel.HOTLINE,
        appeal_type="complaint",
        content="小区门口路灯坏了一个月了没人修理请尽快处理",
        requester_phone="13711112222",
        category=lead.category,
    )

    kept = counters()
    assert kept
    stats.stats_rebuild()
    assert counters() == kept


def test_rates_from_counters() -> None:
    row = dict.fromkeys(stats.COUNTERS, 0)
    row.update(
        received=12,
        accepted=10,
        dispatched=8,
        signed_on_time=6,
        replied=8,
        replied_on_time=7,
        closed=9,
        followed_up=8,
        resolved=6,
        satisfied=7,
    )
    figures = selectors.figures(row)
    assert figures["closure_rate"] == 90.0  # 9 / 10
    assert figures["reply_rate"] == 100.0  # 8 / 8
    assert figures["response_rate"] == 75.0  # 6 / 8
    assert figures["resolution_rate"] == 75.0  # 6 / 8
    assert figures["satisfaction_rate"] == 87.5  # 7 / 8
    assert figures["on_time_rate"] == 87.5  # 7 / 8
    empty = selectors.figures(dict.fromkeys(stats.COUNTERS, 0))
    assert empty["closure_rate"] is None and empty["satisfaction_rate"] is None


def test_dashboard_figures_match_the_appeals(world: Any) -> None:
    for outcome in [(Resolution.RESOLVED, Satisfaction.SATISFIED)] * 3 + [
        (Resolution.UNRESOLVED, Satisfaction.UNSATISFIED)
    ]:
        follow_up(world, appeal_in(world, Status.REPLIED), *outcome)
    appeal_in(world, Status.ANSWERED)
    appeal_in(world, Status.REFUSED)
    today = timezone.localdate()
    figures = selectors.appeal_dashboard_provider(start=today, end=today)
    (row,) = figures["all"]
    assert (row["received"], row["accepted"], row["closed"], row["followed_up"]) == (6, 5, 4, 4)
    assert row["closure_rate"] == 80.0
    assert row["satisfaction_rate"] == 75.0
    assert row["reply_rate"] == 100.0
    by_unit = figures["unit"]
    assert [(r["label"], r["dispatched"]) for r in by_unit] == [("市城管局", 4)]


def test_dashboard_spans_months_and_labels_new_units(world: Any) -> None:
    from huying.appeals.models import Appeal
    from huying.organisations.models import OrgUnit
    from huying.organisations.services import org_unit_create

    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    selectors.appeal_dashboard_provider(start=last_month, end=this_month)  # warms the label cache
    water = org_unit_create(
        name="滨州市水务集团", short_name="市水务集团", kind=OrgUnit.Kind.ENTERPRISE, parent=world.city
    )
    old = appeal_in(world, Status.REPLIED)
    appeal_in(world, Status.REPLIED, channel=Channel.HOTLINE)
    in_last_month = timezone.make_aware(dt.datetime.combine(this_month - dt.timedelta(days=10), dt.time(10)))
    Appeal.objects.filter(pk=old.pk).update(submitted_at=in_last_month, lead_unit=water)
    stats.stats_rebuild()

    figures = selectors.appeal_dashboard_provider(start=last_month, end=this_month)
    months = {r["key"]: r["received"] for r in figures["month"]}
    assert months == {f"{last_month:%Y-%m}": 1, f"{this_month:%Y-%m}": 1}
    assert figures["all"][0]["received"] == 2
    units = {r["label"]: r["received"] for r in figures["unit"]}
    assert units == {"市水务集团": 1, "市城管局": 1}  # the unit created after the cache was filled is named
    only_this_month = selectors.appeal_dashboard_provider(start=this_month, end=this_month)
    assert only_this_month["all"][0]["received"] == 1
    assert {r["key"] for r in only_this_month["channel"]} == {Channel.HOTLINE}
