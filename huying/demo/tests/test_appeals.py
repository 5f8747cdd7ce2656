"""The appeals builder (a plausible city, exact counters, timelines that are chains) and the account table."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from huying.accounts.models import RoleAssignment, User
from huying.appeals import stats
from huying.appeals.models import Appeal, AppealEvent, AppealMonthlyStat, Category, CategoryRoute, TimeLimitRule
from huying.appeals.states import CLOCK_STATUSES, Status
from huying.demo.builders.appeals_cases import DemoBuilder
from huying.organisations.models import OrgUnit

from .test_counts import AT

pytestmark = pytest.mark.django_db

# Events that record something beside the status: the status stays as it was.
SIDE_EVENTS = {"overdue", "escalate", "assist_report", "repeat_linked", "supervise"}


def run(*args: Any, **kwargs: Any) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def counters() -> dict[tuple[Any, ...], tuple[int, ...]]:
    return {
        (r.month, r.dimension, r.key): tuple(getattr(r, c) for c in stats.COUNTERS)
        for r in AppealMonthlyStat.objects.all()
        if any(getattr(r, c) for c in stats.COUNTERS)
    }


def assert_timelines_are_chains() -> None:
    """Every timeline is a chain of the statuses the order went through, ending where it is."""
    for appeal in Appeal.objects.prefetch_related("events"):
        status = ""
        for event in appeal.events.all():
            if event.action in SIDE_EVENTS:
                assert event.from_status == event.to_status == status, (appeal.pk, event.action)
                continue
            if event.action == "merge" and status == Status.MERGED:
                # A repeat found at intake is stored MERGED at once; the merge event says from where.
                assert event.from_status == Status.SUBMITTED
            elif event.action != "submit":
                assert event.from_status == status, (appeal.pk, event.action)
            status = event.to_status
        assert status == appeal.status, appeal.pk
        assert appeal.number and appeal.number.endswith(f"{appeal.pk:07d}")


# A weekday morning: which orders are still in flight depends on the hour the demo is built (units act
# in office hours), so the test builds the city at one moment rather than at whatever time it runs.
@time_machine.travel(AT, tick=False)
def test_demo_data_builds_a_plausible_city() -> None:
    output = run("demo", "--only", "appeals", appeals=400, seed=7)
    assert "演示数据已生成" in output
    appeals = Appeal.objects.all()
    assert appeals.count() >= 400
    statuses = set(appeals.values_list("status", flat=True))
    assert {Status.CLOSED, Status.ANSWERED, Status.MERGED, Status.REFERRED} <= statuses
    assert len(statuses & set(CLOCK_STATUSES | {Status.SUBMITTED, Status.ACCEPTED, Status.REPLIED})) >= 3
    assert len(statuses) >= 9

    # Structure: the org tree, the 派单目录 with area routes, time limits.
    assert OrgUnit.objects.filter(name="滨州市12345政务服务便民热线中心").exists()
    assert Category.objects.filter(children__isnull=True).count() >= 60
    assert CategoryRoute.objects.filter(unit__short_name="市中街道").exists()
    assert TimeLimitRule.objects.filter(category__isnull=True).count() == 3
    assert RoleAssignment.objects.filter(user__username="operator", role="operator").exists()

    # The repeat caller about the irrigation well: one order, six calls.
    lead = Appeal.objects.get(address="邹平市韩店镇孟家村村东机井", merged_into__isnull=True)
    assert lead.repeat_count >= 5 and lead.repeats.count() >= 5
    assert (lead.status, lead.rehandle_count) == (Status.CLOSED, 2)

    assert_timelines_are_chains()

    # Counters are exact, and the figures resemble the published ones.
    kept = counters()
    stats.stats_rebuild()
    assert counters() == kept
    total = {c: sum(v[i] for (_m, d, _k), v in kept.items() if d == "all") for i, c in enumerate(stats.COUNTERS)}
    assert total["satisfied"] / total["followed_up"] > 0.9
    assert total["closed"] / total["accepted"] > 0.85

    # --if-empty does nothing once there is data.
    count, events = Appeal.objects.count(), AppealEvent.objects.count()
    assert "跳过" in run("demo", "--only", "appeals", "--if-empty")
    assert (Appeal.objects.count(), AppealEvent.objects.count()) == (count, events)


@pytest.mark.parametrize("at", ["2026-11-25 20:47", "2026-11-26 01:15"])
def test_demo_timelines_are_chains_whatever_the_time_of_day(at: str) -> None:
    """The builder's times follow the clock. Run at these two times, it once put a repeat call inside
    an extension request, and the repeat's history line showed a status the order did not have then."""
    now = timezone.make_aware(dt.datetime.fromisoformat(at))
    DemoBuilder(seed=7, now=now, log=lambda _line: None).build(400)
    assert_timelines_are_chains()


def test_demo_accounts_are_idempotent_and_printed() -> None:
    first = run("demo", "--only", "accounts")
    users = User.objects.count()
    second = run("demo", "--only", "accounts")
    assert User.objects.count() == users
    assert first.splitlines()[:-1] == second.splitlines()[:-1]  # the last line is the time taken
    for text in ("operator", "supervisor", "chengguan", "shizhong", "gongdian", "citizen", "huying2026", "/admin/"):
        assert text in first
    citizen = User.objects.get(username="citizen")
    assert citizen.phone == "13800138000" and not citizen.role_assignments.exists()
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="chengguan").check_password("huying2026")
