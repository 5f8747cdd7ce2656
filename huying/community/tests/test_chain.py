"""Lishan's chain through the services: a liaison member's visit raises a matter, the party group drafts
a proposal, the branch decides with its quorum, the committees carry it out and publish progress, a low
rating opens a rectification, a re-rating closes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.community import errors, services
from huying.community.models import Body, DocumentVersion, Posting, Rectification, Topic
from huying.community.services.board import needs_repost
from huying.community.states import PublicationStatus, RectificationStatus, TopicStatus
from huying.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from huying.grids import services as grid_services
from huying.grids.models import Household, VisitFinding
from huying.grids.services.visits import FindingInput
from huying.grids.tests.factories import build

from .factories import person, village
from .helpers import hold

pytestmark = pytest.mark.django_db


def _finding(world: Any) -> tuple[Any, VisitFinding]:
    g = build(world)
    household = Household.objects.create(grid=g.west, number="0007", address="东关村三组7号", liaison=g.liaison_post)
    visit = grid_services.visit_record(
        actor=g.liaison, household=household, summary="入户走访",
        findings=[FindingInput("livelihood", "村西头路灯坏了半年，老人晚上出门不便。")],
    )  # fmt: skip
    return g, visit.findings.get()


def _publish(v: Any, publication: Any) -> Any:
    for actor, action in ((v.staff, "submit"), (v.supervisor, "pass"), (v.staff, "approve"), (v.staff, "publish")):
        publication.refresh_from_db()
        publication = services.publication_act(
            actor=actor, publication_id=publication.pk, version=publication.version, action=action
        )
    return publication


def test_the_lishan_chain_end_to_end(world: Any) -> None:
    g, finding = _finding(world)
    v = village(world, liaison=g.liaison)
    topic = services.topic_from_finding(actor=g.liaison, finding_id=finding.pk, title="修复村西头路灯")
    assert topic.source == Topic.Source.VISIT and topic.status == TopicStatus.RAISED and topic.unit == v.unit
    with pytest.raises(ValidationFailed):  # the same finding twice
        services.topic_from_finding(actor=g.liaison, finding_id=finding.pk)
    topic = services.topic_accept(actor=v.staff, topic_id=topic.pk, version=topic.version)
    assert topic.status == TopicStatus.DELIBERATING and topic.step == 1 and topic.owner == v.committees

    hold(v, topic, present=4, yes=4, option="建议更换为太阳能路灯6盏")  # 小组理事
    topic.refresh_from_db()
    assert topic.step == 2 and topic.proposal == "建议更换为太阳能路灯6盏"
    hold(v, topic, present=5, yes=4, option="同意更换太阳能路灯6盏，两委负责实施")  # 支部议事: 4 of 7 members
    topic.refresh_from_db()
    assert topic.status == TopicStatus.DECIDED and topic.resolution.startswith("同意更换")
    publication = topic.publications.get()
    assert publication.status == PublicationStatus.DRAFT and "应到7人，实到5人" in publication.body

    due = timezone.localdate() + dt.timedelta(days=14)
    topic = services.work_start(actor=v.staff, topic_id=topic.pk, version=topic.version, milestones=[("采购安装", due)])
    milestone = topic.milestones.get()
    services.progress_add(actor=v.staff, topic_id=topic.pk, note="已安装4盏。", milestone_id=milestone.pk, publish=True)
    publication = _publish(v, topic.publications.get())
    assert publication.status == PublicationStatus.PUBLISHED and "已安装4盏" in publication.body
    assert publication.versions.count() == 1 and publication.postings.filter(removed_at=None).count() == 1
    topic.refresh_from_db()
    topic = services.work_complete(actor=v.staff, topic_id=topic.pk, version=topic.version, note="6盏全部点亮。")
    assert topic.status == TopicStatus.DONE

    survey = services.survey_open(
        actor=v.staff, unit=v.unit, title="路灯项目满意度", topic_id=topic.pk, sample_body_id=v.representatives.pk
    )
    entries = list(survey.sample.order_by("id"))
    services.survey_record(
        actor=v.staff, survey_id=survey.pk, ballots={e.pk: "satisfied" if i < 17 else "unsatisfied" for i, e in enumerate(entries)}
    )  # fmt: skip
    survey = services.survey_close(actor=v.staff, survey_id=survey.pk, version=survey.version)
    assert survey.satisfaction == 85
    rect = Rectification.objects.get(survey=survey)
    assert rect.status == RectificationStatus.OPEN and rect.due > timezone.localdate()
    with pytest.raises(ValidationFailed):  # re-rating only after the committees report
        services.survey_open(
            actor=v.staff, unit=v.unit, title="再测评", topic_id=topic.pk, sample_body_id=v.representatives.pk,
            rerates_id=rect.pk,
        )  # fmt: skip
    rect = services.rectification_report(
        actor=v.staff, rectification_id=rect.pk, version=rect.version, note="加装2盏。"
    )
    again = services.survey_open(
        actor=v.staff, unit=v.unit, title="再测评", topic_id=topic.pk, sample_body_id=v.representatives.pk,
        rerates_id=rect.pk,
    )  # fmt: skip
    ballots = {e.pk: "fairly" if i < 19 else "unsatisfied" for i, e in enumerate(again.sample.order_by("id"))}
    services.survey_record(actor=v.staff, survey_id=again.pk, ballots=ballots)
    again = services.survey_close(actor=v.staff, survey_id=again.pk, version=again.version)
    rect.refresh_from_db()
    assert again.satisfaction == 95 and rect.status == RectificationStatus.CLOSED
    assert not Rectification.objects.filter(survey=again).exists()


def test_a_rerating_below_the_threshold_reopens_the_rectification_with_a_new_deadline(world: Any) -> None:
    v = village(world)
    survey = services.survey_open(
        actor=v.staff, unit=v.unit, title="两委年度测评", body_id=v.committees.pk, sample_body_id=v.representatives.pk,
        instrument="score",
    )  # fmt: skip
    services.survey_record(actor=v.staff, survey_id=survey.pk, ballots={e.pk: 80 for e in survey.sample.all()})
    survey = services.survey_close(actor=v.staff, survey_id=survey.pk, version=survey.version)
    rect = survey.rectification
    rect = services.rectification_report(actor=v.staff, rectification_id=rect.pk, version=rect.version, note="整改")
    again = services.survey_open(
        actor=v.staff, unit=v.unit, title="再测评", body_id=v.committees.pk, sample_body_id=v.representatives.pk,
        instrument="score", rerates_id=rect.pk,
    )  # fmt: skip
    services.survey_record(actor=v.staff, survey_id=again.pk, ballots={e.pk: 89 for e in again.sample.all()})
    services.survey_close(actor=v.staff, survey_id=again.pk, version=again.version)
    rect.refresh_from_db()
    assert rect.status == RectificationStatus.OPEN


def test_bad_input_changes_nothing(world: Any) -> None:
    v = village(world)
    topic = services.topic_raise(actor=v.staff, unit=v.unit, title="修缮文化广场", text="广场地砖破损。")
    topic = services.topic_accept(actor=v.staff, topic_id=topic.pk, version=topic.version)
    with pytest.raises(ValidationFailed) as late:  # notice the same day as the meeting
        services.meeting_schedule(
            actor=v.staff, topic_id=topic.pk, held_at=timezone.now(), notice="通知", options=["修缮"]
        )
    assert late.value.code == errors.NOTICE_TOO_LATE and not topic.meetings.exists()
    now = timezone.now()
    meeting = services.meeting_schedule(
        actor=v.staff, topic_id=topic.pk, held_at=now, notified_at=now - dt.timedelta(days=2), notice="通知",
        options=["修缮"],
    )  # fmt: skip
    members = [m.pk for m in v.group.members.all()]
    with pytest.raises(ValidationFailed) as quorum:  # 2 of 5: not more than half
        services.meeting_open(actor=v.staff, meeting_id=meeting.pk, version=meeting.version, present=members[:2])
    assert quorum.value.code == errors.NO_QUORUM
    meeting.refresh_from_db()
    assert meeting.status == "notified" and not meeting.attendance.exists()
    outsider = v.branch.members.first()
    with pytest.raises(ValidationFailed) as stranger:
        services.meeting_open(
            actor=v.staff, meeting_id=meeting.pk, version=meeting.version, present=[*members[:3], outsider.pk]
        )
    assert stranger.value.code == errors.NOT_A_MEMBER
    meeting = services.meeting_open(actor=v.staff, meeting_id=meeting.pk, version=meeting.version, present=members[:3])
    option = meeting.options.first()
    with pytest.raises(ValidationFailed) as absent:
        services.meeting_record_votes(actor=v.staff, meeting_id=meeting.pk, votes={members[4]: option.pk})
    assert absent.value.code == errors.NOT_PRESENT
    with pytest.raises(ValidationFailed) as not_member:  # a branch member voting in the party group's meeting
        services.meeting_cast(actor=outsider.user, meeting_id=meeting.pk, option_id=option.pk)
    assert not_member.value.code == errors.NOT_A_MEMBER and not meeting.votes.exists()
    services.meeting_cast(actor=v.group.members.first().user, meeting_id=meeting.pk, option_id=option.pk)
    assert meeting.votes.count() == 1


def test_a_statutory_matter_needs_the_representatives_and_their_two_thirds(world: Any) -> None:
    v = village(world)
    topic = services.topic_raise(
        actor=v.staff, unit=v.unit, title="村集体收益分配", text="2026年集体收益如何使用。",
        statutory_matter="collective_income",
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:  # the default path ends at the branch
        services.topic_accept(actor=v.staff, topic_id=topic.pk, version=topic.version)
    assert refused.value.code == errors.NEEDS_ASSEMBLY
    topic = services.topic_accept(actor=v.staff, topic_id=topic.pk, version=topic.version, path_id=v.assembly_path.pk)
    with pytest.raises(ValidationFailed) as short:
        hold(v, topic, present=13, yes=13)
    assert short.value.code == errors.NO_QUORUM
    topic.meetings.update(status="cancelled")
    hold(v, topic, present=14, yes=7)  # 7 of 14 present: not a majority
    topic.refresh_from_db()
    assert topic.status == TopicStatus.DELIBERATING
    hold(v, topic, present=14, yes=8)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.DECIDED


def test_a_majority_against_declines_the_topic(world: Any) -> None:
    v = village(world)
    topic = services.topic_raise(actor=v.staff, unit=v.unit, title="拆除旧戏台", text="是否拆除。")
    topic = services.topic_accept(actor=v.staff, topic_id=topic.pk, version=topic.version)
    hold(v, topic, present=5, yes=1)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.DECLINED
    with pytest.raises(InvalidTransition):
        services.work_start(
            actor=v.staff, topic_id=topic.pk, version=topic.version, milestones=[("x", timezone.localdate())]
        )


def test_residents_proposal_needs_its_signatures_and_strangers_see_nothing(world: Any) -> None:
    v = village(world)
    topic = services.topic_propose(actor=world.citizen, unit=v.unit, title="增设快递柜", text="村里没有快递柜。")
    assert topic.status == TopicStatus.COLLECTING
    for i in range(3):
        services.topic_sign(actor=person(f"cunmin{i}"), topic_id=topic.pk)
    with pytest.raises(ValidationFailed) as twice:
        services.topic_sign(actor=world.citizen, topic_id=topic.pk)
    assert twice.value.code == errors.ALREADY_SIGNED
    topic = services.topic_sign(actor=world.other_citizen, topic_id=topic.pk)
    assert topic.status == TopicStatus.RAISED and topic.signatures.count() == 5
    with pytest.raises(NotFound):  # another unit's staff
        services.topic_accept(actor=world.handler, topic_id=topic.pk, version=topic.version)
    with pytest.raises(PermissionDenied):  # the supervisory committee reviews publications, it does not accept topics
        services.topic_accept(actor=v.supervisor, topic_id=topic.pk, version=topic.version)


def test_rules_of_procedure_change_only_through_a_decided_topic(world: Any) -> None:
    v = village(world)
    document = services.document_create(
        actor=v.staff, unit=v.unit, kind="compact", title="东关村村规民约", text_="第一条 …"
    )
    topic = services.document_revision_raise(
        actor=v.staff, document_id=document.pk, title="修订村规民约（禁放烟花）", proposed_text="第一条 …\n第二条 禁放",
        reason="群众提议",
    )  # fmt: skip
    topic = services.topic_accept(actor=v.staff, topic_id=topic.pk, version=topic.version)
    hold(v, topic, present=5, yes=5)
    assert DocumentVersion.objects.filter(document=document).count() == 1
    hold(v, topic, present=5, yes=4)
    latest = DocumentVersion.objects.filter(document=document).order_by("-number").first()
    assert latest.number == 2 and "禁放" in latest.text and latest.topic_id == topic.pk


def test_supervisory_committee_seats_no_committee_member(world: Any) -> None:
    from huying.community.setup import Seat, body_create

    v = village(world)
    chair = person("zhuren")
    body_create(v.unit, Body.Kind.COMMITTEES, "新两委", [Seat("主任", chair)])
    with pytest.raises(ValidationFailed) as conflict:
        body_create(v.unit, Body.Kind.SUPERVISORY, "新监委会", [Seat("主任", chair)])
    assert conflict.value.code == errors.SUPERVISOR_CONFLICT


def test_a_posting_that_came_down_early_must_go_up_again(world: Any) -> None:
    v = village(world)
    publication = services.publication_create(
        actor=v.staff, unit=v.unit, item_code="relief", title="第四季度救助资金", body="共发放……"
    )
    publication = _publish(v, publication)
    with pytest.raises(ValidationFailed) as early:
        services.posting_take_down(actor=v.staff, publication_id=publication.pk)
    assert early.value.code == errors.POSTED_TOO_SHORT
    with pytest.raises(ValidationFailed):
        services.publication_act(
            actor=v.staff, publication_id=publication.pk, version=publication.version, action="archive"
        )
    services.posting_take_down(actor=v.staff, publication_id=publication.pk, came_down=True, reason="大风刮落")
    assert needs_repost(publication)
    services.posting_repost(actor=v.staff, publication_id=publication.pk)
    assert not needs_repost(publication) and Posting.objects.filter(publication=publication).count() == 2
