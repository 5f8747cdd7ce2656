"""The 走访写实簿: who may record, due and overdue, coverage, a finding turned into an appeal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.appeals.models import Appeal
from huying.appeals.states import Channel
from huying.core.errors import NotFound, ValidationFailed
from huying.grids import cadence, errors, selectors, services
from huying.grids.models import Household, Tag, Visit, VisitFinding

from .factories import AREA, build, make_id, register_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def g(world: Any) -> Any:
    g = build(world)
    rows = [
        [
            AREA + "001",
            "0001",
            "黄河路1号",
            "13800000001",
            "13905435678",
            "高龄独居老人",
            "赵岱禄",
            "户主",
            make_id(1, "19460101"),
            "",
        ],
        [AREA + "001", "0002", "黄河路2号", "13800000002", "13905435678", "", "王五", "户主", make_id(2), ""],
        [AREA + "001", "0003", "黄河路3号", "", "", "", "孙七", "户主", make_id(3), ""],
        [AREA + "002", "0001", "黄河路9号", "", "", "", "赵六", "户主", make_id(4), ""],
    ]
    assert services.households_import(register_xlsx(rows), actor=None).ok
    g.lone, g.plain, g.third = (Household.objects.get(grid=g.west, number=n) for n in ("0001", "0002", "0003"))
    g.east_home = Household.objects.get(grid=g.east)
    return g


def test_cadence_rules() -> None:
    d = dt.date
    registered = d(2026, 12, 7)
    assert cadence.due_on(last_visited_at=None, interval_days=None, registered_on=registered) == d(2026, 12, 31)
    assert cadence.due_on(last_visited_at=None, interval_days=2, registered_on=registered) == registered
    nov = timezone.make_aware(dt.datetime(2026, 11, 20, 10))
    assert cadence.due_on(last_visited_at=nov, interval_days=None, registered_on=registered) == d(2026, 12, 31)
    assert cadence.due_on(last_visited_at=nov, interval_days=2, registered_on=registered) == d(2026, 11, 22)
    assert cadence.effective_interval(None, [None, 2, 7]) == 2
    assert cadence.effective_interval(14, [2]) == 14
    assert cadence.is_overdue(d(2026, 12, 6), d(2026, 12, 7)) and not cadence.is_overdue(d(2026, 12, 7), d(2026, 12, 7))


def test_visit_outside_the_members_grids_is_refused(g: Any) -> None:
    with pytest.raises(NotFound):
        services.visit_record(actor=g.worker, household=g.east_home)
    with pytest.raises(NotFound):
        services.visit_record(actor=g.east_worker, household=g.lone)
    assert not Visit.objects.exists()
    g.east_home.refresh_from_db()
    assert g.east_home.last_visited_at is None


def test_visit_checks_its_input(g: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.visit_record(actor=g.liaison, household=g.plain, visited_at=timezone.now() + dt.timedelta(hours=1))
    assert caught.value.code == errors.VISIT_IN_FUTURE
    with pytest.raises(ValidationFailed):
        services.visit_record(actor=g.liaison, household=g.plain, findings=[("nonsense", "x")])
    with pytest.raises(ValidationFailed):
        services.visit_record(actor=g.liaison, household=g.plain, latitude=137, longitude=118)
    assert not Visit.objects.exists()


def test_due_overdue_and_coverage(g: Any) -> None:
    today = timezone.localdate()
    due = {d.household.pk: d for d in selectors.visits_due_for(actor=g.liaison, today=today)}
    assert set(due) == {g.lone.pk, g.plain.pk, g.third.pk}
    assert not any(d.is_overdue for d in due.values())
    # The lone high-age man is due at once (every two days); tomorrow he is overdue.
    tomorrow = today + dt.timedelta(days=1)
    flagged = {d.household.pk for d in selectors.visits_due_for(actor=g.liaison, today=tomorrow) if d.is_overdue}
    assert flagged == {g.lone.pk}
    assert selectors.overdue_by_liaison(grid=g.west, today=tomorrow) == {g.liaison_post.pk: 1}
    mine = {d.household.pk for d in selectors.visits_due_for(actor=g.liaison, today=today, only_mine=True)}
    assert mine == {g.lone.pk, g.plain.pk}

    services.visit_record(actor=g.liaison, household=g.lone, channel=Visit.Channel.PHONE, summary="身体尚好")
    services.visit_record(actor=g.worker, household=g.plain)
    g.lone.refresh_from_db()
    assert g.lone.visit_due_on == today + dt.timedelta(days=2)
    after = {d.household.pk for d in selectors.visits_due_for(actor=g.worker, today=today)}
    assert g.plain.pk not in after and g.third.pk in after
    coverage = selectors.visit_coverage()
    assert (coverage.households, coverage.visited) == (4, 2) and coverage.ratio == 0.5
    assert selectors.visit_coverage(grid_ids=[g.west.pk]).visited == 2
    assert selectors.visit_coverage_for(actor=g.east_worker).households == 1


def test_an_older_visit_synced_late_does_not_move_the_last_visit_back(g: Any) -> None:
    now = timezone.now()
    services.visit_record(actor=g.worker, household=g.plain, visited_at=now)
    services.visit_record(actor=g.worker, household=g.plain, visited_at=now - dt.timedelta(days=3))
    g.plain.refresh_from_db()
    assert g.plain.last_visited_at == now
    assert Visit.objects.filter(household=g.plain).count() == 2


def test_plan_and_tags_change_the_due_date(g: Any) -> None:
    today = timezone.localdate()
    services.visit_plan_set(actor=g.worker, household=g.third, interval_days=7)
    g.third.refresh_from_db()
    assert g.third.visit_due_on == g.third.created_at.astimezone(timezone.get_current_timezone()).date()
    services.visit_record(actor=g.worker, household=g.third)
    g.third.refresh_from_db()
    assert g.third.visit_due_on == today + dt.timedelta(days=7)
    services.household_tags_set(actor=g.worker, household=g.third, tags=Tag.objects.filter(code="lone_high_age"))
    g.third.refresh_from_db()
    assert g.third.visit_due_on == today + dt.timedelta(days=7)  # the household's own plan wins
    with pytest.raises(NotFound):
        services.visit_plan_set(actor=g.east_worker, household=g.third, interval_days=3)
    with pytest.raises(ValidationFailed):
        services.visit_plan_set(actor=g.worker, household=g.third, interval_days=0)


def test_a_finding_becomes_an_appeal_once(g: Any, world: Any) -> None:
    visit = services.visit_record(
        actor=g.worker,
        household=g.lone,
        findings=[("livelihood", "年近80岁，脑血栓后遗症行走不便，需要办理残疾证。")],
        latitude="37.005",
        longitude="118.005",
    )
    finding = VisitFinding.objects.get(visit=visit)
    appeal = services.visit_finding_to_appeal(actor=g.worker, finding=finding, auto_dispatch=False)
    assert appeal.channel == Channel.VISIT
    assert appeal.requester_name == "赵岱禄" and appeal.requester_phone == "13800000001"
    assert "残疾证" in appeal.content and appeal.address == "黄河路1号"
    finding.refresh_from_db()
    assert finding.appeal == appeal and finding.outcome == VisitFinding.Outcome.APPEAL
    with pytest.raises(ValidationFailed) as caught:
        services.visit_finding_to_appeal(actor=g.worker, finding=finding)
    assert caught.value.code == errors.FINDING_CONVERTED
    with pytest.raises(NotFound):
        services.visit_finding_to_appeal(actor=g.east_worker, finding=finding)
    assert Appeal.objects.count() == 1


def test_a_stale_second_conversion_is_rolled_back(g: Any) -> None:
    visit = services.visit_record(
        actor=g.worker, household=g.plain, findings=[("safety", "楼道堆放杂物，存在消防隐患。")]
    )
    finding = VisitFinding.objects.get(visit=visit)
    stale = VisitFinding.objects.get(pk=finding.pk)
    services.visit_finding_to_appeal(actor=g.worker, finding=finding, auto_dispatch=False)
    with pytest.raises(ValidationFailed):
        services.visit_finding_to_appeal(actor=g.worker, finding=stale, auto_dispatch=False)
    assert Appeal.objects.count() == 1


def test_month_counters_follow_the_latest_visit_and_match_a_rebuild(g: Any) -> None:
    from huying.grids.models import GridVisitMonth

    now = timezone.now()
    last_month = now - dt.timedelta(days=40)
    services.visit_record(actor=g.worker, household=g.plain, visited_at=last_month)
    services.visit_record(actor=g.worker, household=g.third, visited_at=last_month)
    assert selectors.visit_coverage(month=timezone.localdate(last_month)).visited == 2
    assert selectors.visit_coverage().visited == 0
    services.visit_record(actor=g.worker, household=g.plain, visited_at=now)
    services.visit_record(actor=g.worker, household=g.plain, visited_at=now - dt.timedelta(minutes=5))
    assert selectors.visit_coverage(month=timezone.localdate(last_month)).visited == 1
    assert selectors.visit_coverage().visited == 1
    before = sorted(GridVisitMonth.objects.filter(visited__gt=0).values_list("grid_id", "month", "visited"))
    services.grid_counts_rebuild()
    assert sorted(GridVisitMonth.objects.values_list("grid_id", "month", "visited")) == before
    g.west.refresh_from_db()
    assert (g.west.household_count, g.west.resident_count) == (3, 3)
