"""Appraisal and the board's other duties: the sample, two 不称职 in a row, residents' demands that
become a duty, a deputy's reception through the registry, two clerks at once, and the figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.community import errors, services
from huying.community.figures import figures_for
from huying.community.models import Body, Publication, Rectification, Topic
from huying.community.setup import Seat, body_create
from huying.core.errors import ConcurrentModification, PermissionDenied, ValidationFailed
from huying.core.registry import community_topics

from .factories import person, village
from .helpers import hold

pytestmark = pytest.mark.django_db


def test_only_the_sample_rates_and_only_once(world: Any) -> None:
    v = village(world)
    survey = services.survey_open(
        actor=v.staff, unit=v.unit, title="两委测评", body_id=v.committees.pk, sample_body_id=v.representatives.pk
    )
    with pytest.raises(ValidationFailed) as outside:
        services.survey_rate(actor=world.citizen, survey_id=survey.pk, value="satisfied")
    assert outside.value.code == errors.NOT_IN_SAMPLE and not survey.ratings.exists()
    services.survey_rate(actor=v.reps[0], survey_id=survey.pk, value="satisfied")
    with pytest.raises(ValidationFailed) as twice:
        services.survey_rate(actor=v.reps[0], survey_id=survey.pk, value="unsatisfied")
    assert twice.value.code == errors.ALREADY_RATED
    other_survey = services.survey_open(
        actor=v.staff, unit=v.unit, title="另一次", body_id=v.committees.pk, sample_body_id=v.group.pk
    )
    stray = other_survey.sample.first()
    with pytest.raises(ValidationFailed) as stranger:  # a ballot for someone in another survey's sample
        services.survey_record(actor=v.staff, survey_id=survey.pk, ballots={stray.pk: "satisfied"})
    assert stranger.value.code == errors.NOT_IN_SAMPLE and survey.ratings.count() == 1
    with pytest.raises(ValidationFailed):
        services.survey_rate(actor=v.reps[1], survey_id=survey.pk, value="very happy")
    survey = services.survey_close(actor=v.staff, survey_id=survey.pk, version=survey.version)
    assert survey.satisfaction == 100 and not Rectification.objects.filter(survey=survey).exists()
    with pytest.raises(ValidationFailed) as closed:
        services.survey_rate(actor=v.reps[1], survey_id=survey.pk, value="satisfied")
    assert closed.value.code == errors.SURVEY_CLOSED


def test_two_incompetent_results_in_a_row_end_the_office(world: Any) -> None:
    v = village(world)
    member = v.committees.members.first()
    year = timezone.localdate().year
    first = services.member_appraisal_record(
        actor=v.staff, member_id=member.pk, year=year - 2, competent=3, fairly=4, incompetent=13
    )
    assert first.result == "incompetent" and not first.office_ends
    middle = services.member_appraisal_record(
        actor=v.staff, member_id=member.pk, year=year - 1, competent=12, fairly=5, incompetent=3
    )
    assert middle.result == "competent" and not middle.office_ends
    last = services.member_appraisal_record(
        actor=v.staff, member_id=member.pk, year=year, competent=2, fairly=3, incompetent=15
    )
    assert last.result == "incompetent" and not last.office_ends  # not in a row: a 称职 year between
    other = v.committees.members.order_by("id")[1]
    services.member_appraisal_record(
        actor=v.staff, member_id=other.pk, year=year - 1, competent=0, fairly=8, incompetent=12
    )
    flagged = services.member_appraisal_record(
        actor=v.staff, member_id=other.pk, year=year, competent=1, fairly=8, incompetent=11
    )
    assert flagged.office_ends
    with pytest.raises(ValidationFailed) as again:
        services.member_appraisal_record(
            actor=v.staff, member_id=other.pk, year=year, competent=9, fairly=0, incompetent=0
        )
    assert again.value.code == errors.APPRAISAL_EXISTS
    fairly = services.member_appraisal_record(
        actor=v.staff,
        member_id=v.committees.members.order_by("id")[2].pk,
        year=year,
        competent=10,
        fairly=0,
        incompetent=10,
    )
    assert fairly.result == "fairly"  # neither more than half


def test_a_demand_becomes_a_duty_at_a_fifth_of_the_representatives(world: Any) -> None:
    v = village(world)  # 20 representatives: 4 make a fifth; 300 adults: 30 make a tenth
    demand = services.demand_support(actor=world.citizen, unit=v.unit, text_="公开村集体土地租金收入明细")
    for rep in v.reps[:3]:
        demand = services.demand_support(actor=rep, unit=v.unit, demand_id=demand.pk)
    assert demand.duty_at is None and not Publication.objects.filter(item__code="demanded").exists()
    with pytest.raises(ValidationFailed) as twice:
        services.demand_support(actor=v.reps[0], unit=v.unit, demand_id=demand.pk)
    assert twice.value.code == errors.ALREADY_SUPPORTED
    demand = services.demand_support(actor=v.reps[3], unit=v.unit, demand_id=demand.pk)
    assert demand.duty_at is not None and demand.publication is not None
    assert demand.publication.status == "draft" and demand.publication.due_on > timezone.localdate()


def test_a_demand_becomes_a_duty_at_a_tenth_of_the_villagers(world: Any) -> None:
    v = village(world)
    v.profile.adult_residents = 30
    v.profile.save()
    demand = services.demand_support(actor=person("cm0"), unit=v.unit, text_="公开低保名单")
    demand = services.demand_support(actor=person("cm1"), unit=v.unit, demand_id=demand.pk)
    assert demand.duty_at is None
    demand = services.demand_support(actor=person("cm2"), unit=v.unit, demand_id=demand.pk)
    assert demand.duty_at is not None


def test_a_deputys_reception_raises_a_topic_through_the_registry(world: Any) -> None:
    from huying.accounts.models import RoleAssignment
    from huying.accounts.roles import Role

    v = village(world)
    deputy = person("daibiao_x", "人大代表")
    with pytest.raises(PermissionDenied):
        community_topics.call("raise", actor=deputy, unit_id=v.unit.pk, title="修桥", text="村东小桥危险。")
    RoleAssignment.objects.create(user=deputy, role=Role.DEPUTY, org_unit=world.street)
    deputy = type(deputy).objects.get(pk=deputy.pk)  # a fresh request: the roles are read again
    number = community_topics.call(
        "raise", actor=deputy, unit_id=v.unit.pk, title="修桥", text="村东小桥危险。", source_ref="JD2026-007"
    )
    topic = Topic.objects.get(number=number)
    assert topic.source == Topic.Source.DEPUTY and topic.source_ref == "JD2026-007" and topic.raised_by == deputy
    assert community_topics.call("raise", actor=deputy, unit_id=world.city.pk, title="x", text="y") is None


def test_two_clerks_at_once_one_wins(world: Any) -> None:
    v = village(world)
    topic = services.topic_raise(actor=v.staff, unit=v.unit, title="修缮文化广场", text="广场地砖破损。")
    clerk2 = person("cunwu2")
    from huying.accounts.models import RoleAssignment
    from huying.accounts.roles import Role

    RoleAssignment.objects.create(user=clerk2, role=Role.COMMUNITY_STAFF, org_unit=v.unit)
    seen = topic.version
    services.topic_accept(actor=v.staff, topic_id=topic.pk, version=seen)
    with pytest.raises(ConcurrentModification):
        services.topic_decline(actor=clerk2, topic_id=topic.pk, version=seen, note="重复议题")
    topic.refresh_from_db()
    assert topic.status == "deliberating" and not topic.outcome_note


def test_figures_count_sources_decisions_publication_and_rectification(world: Any) -> None:
    v = village(world)
    done = services.topic_raise(actor=v.staff, unit=v.unit, title="修缮文化广场", text="广场地砖破损。")
    done = services.topic_accept(actor=v.staff, topic_id=done.pk, version=done.version)
    hold(v, done, present=5, yes=5)
    hold(v, done, present=5, yes=5)
    done.refresh_from_db()
    done = services.work_start(
        actor=v.staff,
        topic_id=done.pk,
        version=done.version,
        milestones=[("施工", timezone.localdate() + dt.timedelta(days=3))],
    )
    services.work_complete(actor=v.staff, topic_id=done.pk, version=done.version, note="完工")
    declined = services.topic_raise(actor=v.staff, unit=v.unit, title="拆戏台", text="是否拆除。", source="deputy")
    services.topic_decline(actor=v.staff, topic_id=declined.pk, version=declined.version, note="不属于村务")
    services.topic_raise(actor=v.staff, unit=v.unit, title="修水渠", text="水渠渗漏。", source="appeal", source_ref="x")
    survey = services.survey_open(
        actor=v.staff, unit=v.unit, title="两委测评", body_id=v.committees.pk, sample_body_id=v.group.pk
    )
    ballots = {e.pk: "satisfied" if i < 4 else "unsatisfied" for i, e in enumerate(survey.sample.order_by("id"))}
    services.survey_record(actor=v.staff, survey_id=survey.pk, ballots=ballots)
    services.survey_close(actor=v.staff, survey_id=survey.pk, version=survey.version)
    f = figures_for(v.unit, timezone.localdate().year)
    assert dict(f.by_source)["两委提出"] == 1 and dict(f.by_source)["代表接待"] == 1
    assert (f.raised, f.decided, f.done, f.declined) == (3, 1, 1, 1)
    assert f.resolution_rate == 50  # one done of the two that went to consultation or wait for it
    assert (f.rectifications_opened, f.rectifications_closed) == (1, 0)
    assert f.satisfaction[0][0] == "村两委" and f.satisfaction[0][2] == 80


def test_a_body_of_a_kind_keeps_its_rule_and_members_for_their_term(world: Any) -> None:
    v = village(world)
    council = body_create(v.unit, Body.Kind.COUNCIL, "议事会", [Seat("甲"), Seat("乙")])
    assert (council.quorum_num, council.quorum_den, council.majority_base) == (1, 2, "present")
    reps = Body.objects.get(pk=v.representatives.pk)
    assert (reps.quorum_num, reps.quorum_den, reps.quorum_strict) == (2, 3, False)
