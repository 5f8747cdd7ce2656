"""Demo of self-governance (基层自治): a Lishan-style village (党小组 → 党支部, the 两委 carry out; a
村民代表会议 of 20 for the matters of 村委会组织法 Art. 24) and a Licang-style residents' community
(居民议事会), with bodies, members, topics at every stage, a published notice board, a survey that
opened and closed a rectification, member appraisals and the village compact.

Everything goes through the services, as the staff would do it. Idempotent: a village already
configured is left alone. Accounts: ``cunwu`` (村务工作人员, 东关村), ``shequ`` (社区工作人员, 虎山社区),
``jianwei`` (东关村村务监督委员会)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.community import services
from huying.community.models import Body, CommunityProfile, PathStep, Topic
from huying.community.setup import Seat, body_create, community_configure, path_create
from huying.organisations.models import OrgUnit

from ..registry import DemoRun
from . import places
from .appeals_structure import DEMO_PASSWORD

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英玉兰志强桂英海燕明亮淑珍德胜凤英立新红梅长海丽华"


def _names(count: int, offset: int) -> list[str]:
    return [
        SURNAMES[(offset + i) % len(SURNAMES)] + GIVEN[(offset * 3 + i * 2) % (len(GIVEN) - 1) :][:2]
        for i in range(count)
    ]


def _users(password: str) -> dict[str, User]:
    users = {}
    for username, display in (("cunwu", "王文书"), ("shequ", "刘社工"), ("jianwei", "赵监委"), ("hsjianwei", "孙监委")):
        user = User.objects.filter(username=username).first()
        users[username] = user or User.objects.create(username=username, display_name=display, password=password)
    return users


def _seats(names: list[str], posts: tuple[str, ...] = ()) -> list[Seat]:
    return [Seat(n, post=posts[i] if i < len(posts) else "", is_woman=i % 3 == 1) for i, n in enumerate(names)]


def _hold(staff: User, topic: Topic, option: str, present: int, yes: int, minutes: str = "") -> None:
    now = timezone.now()
    meeting = services.meeting_schedule(
        actor=staff, topic_id=topic.pk, held_at=now - dt.timedelta(hours=2), notified_at=now - dt.timedelta(days=3),
        notice=f"定于今日召开会议，讨论「{topic.title}」。", options=[option], place="党群服务中心会议室",
    )  # fmt: skip
    members = list(meeting.body.members.order_by("id"))
    came = [m.pk for m in members[:present]]
    meeting = services.meeting_open(actor=staff, meeting_id=meeting.pk, version=meeting.version, present=came)
    adopt, reject = meeting.options.get(rejects=False), meeting.options.get(rejects=True)
    votes = {pk: adopt.pk if i < yes else reject.pk for i, pk in enumerate(came)}
    services.meeting_record_votes(actor=staff, meeting_id=meeting.pk, votes=votes)
    meeting.refresh_from_db()
    services.meeting_close(actor=staff, meeting_id=meeting.pk, version=meeting.version, minutes=minutes)


def _publish(staff: User, supervisor: User, publication: Any) -> None:
    for actor, action in ((staff, "submit"), (supervisor, "pass"), (staff, "approve"), (staff, "publish")):
        publication.refresh_from_db()
        services.publication_act(actor=actor, publication_id=publication.pk, version=publication.version, action=action)


def _rate(staff: User, survey: Any, satisfied: int) -> Any:
    entries = list(survey.sample.order_by("id"))
    ballots = {e.pk: "satisfied" if i < satisfied else "unsatisfied" for i, e in enumerate(entries)}
    services.survey_record(actor=staff, survey_id=survey.pk, ballots=ballots)
    survey.refresh_from_db()
    return services.survey_close(actor=staff, survey_id=survey.pk, version=survey.version)


def _village(users: dict[str, User]) -> dict[str, Any]:
    township = places.unit("沂源县历山街道办事处", OrgUnit.Kind.TOWNSHIP, places.yiyuan())
    unit = places.unit("历山街道东关村村民委员会", OrgUnit.Kind.COMMUNITY, township)
    community_configure(
        unit, slug="dongguan", adult_residents=860, households=312, board_location="村委会大院东墙公开栏"
    )
    RoleAssignment.objects.get_or_create(user=users["cunwu"], role=Role.COMMUNITY_STAFF, org_unit=unit)
    group = body_create(unit, Body.Kind.PARTY_GROUP, "第一党小组", _seats(_names(6, 1), ("党小组长",)))
    branch = body_create(
        unit, Body.Kind.BRANCH, "东关村党支部", _seats(_names(9, 4), ("支部书记", "组织委员", "宣传委员"))
    )
    committees = body_create(
        unit, Body.Kind.COMMITTEES, "东关村两委", _seats(_names(5, 4), ("书记兼主任", "副主任", "委员"))
    )
    reps = body_create(unit, Body.Kind.REPRESENTATIVES, "东关村村民代表会议", _seats(_names(20, 9)))
    supervisory_seats = [Seat("赵监委", users["jianwei"], "主任"), *_seats(_names(2, 15))]
    body_create(unit, Body.Kind.SUPERVISORY, "东关村村务监督委员会", supervisory_seats)
    path_create(unit, "党员问事→小组理事→支部议事→两委办事", [(group, PathStep.Purpose.DELIBERATE), (branch, PathStep.Purpose.DECIDE)],
                committees, is_default=True)  # fmt: skip
    assembly = path_create(
        unit, "村民代表会议决定（组织法第二十四条事项）", [(reps, PathStep.Purpose.DECIDE)], committees
    )
    return {"unit": unit, "committees": committees, "reps": reps, "assembly": assembly}


def _village_topics(users: dict[str, User], v: dict[str, Any]) -> None:
    staff, unit, today = users["cunwu"], v["unit"], timezone.localdate()
    lamp = services.topic_raise(actor=staff, unit=unit, title="修复村西头路灯", text="联户党员走访时群众反映：村西头路灯坏了半年，老人晚上出门不便。",
                                affected="三组、四组村民")  # fmt: skip
    lamp = services.topic_accept(actor=staff, topic_id=lamp.pk, version=lamp.version)
    _hold(staff, lamp, "建议更换为太阳能路灯6盏", 5, 5)
    _hold(staff, lamp, "同意更换太阳能路灯6盏，两委负责实施", 7, 6, "预算1.8万元，从村集体公益金列支。")
    lamp.refresh_from_db()
    lamp = services.work_start(actor=staff, topic_id=lamp.pk, version=lamp.version,
                               milestones=[("采购", today + dt.timedelta(days=7)), ("安装", today + dt.timedelta(days=21))])  # fmt: skip
    services.progress_add(actor=staff, topic_id=lamp.pk, note="6盏太阳能路灯已全部安装点亮。", publish=True)
    _publish(staff, users["jianwei"], lamp.publications.get())
    lamp.refresh_from_db()
    services.work_complete(actor=staff, topic_id=lamp.pk, version=lamp.version, note="6盏路灯全部点亮。")
    survey = services.survey_open(actor=staff, unit=unit, title="村西头路灯项目满意度测评", topic_id=lamp.pk,
                                  sample_body_id=v["reps"].pk)  # fmt: skip
    survey = _rate(staff, survey, 17)
    rect = survey.rectification
    rect = services.rectification_report(actor=staff, rectification_id=rect.pk, version=rect.version,
                                         note="加装2盏路灯，亮灯时间延长至凌晨两点。")  # fmt: skip
    again = services.survey_open(actor=staff, unit=unit, title="路灯整改再测评", topic_id=lamp.pk,
                                 sample_body_id=v["reps"].pk, rerates_id=rect.pk)  # fmt: skip
    _rate(staff, again, 19)
    income = services.topic_raise(actor=staff, unit=unit, title="2026年村集体经营收益使用方案", text="集体土地租金收益12万元的使用。",
                                  statutory_matter="collective_income")  # fmt: skip
    income = services.topic_accept(actor=staff, topic_id=income.pk, version=income.version, path_id=v["assembly"].pk)
    _hold(staff, income, "8万元用于村内道路维修，4万元用于困难群众帮扶", 16, 12)
    income.refresh_from_db()
    services.work_start(actor=staff, topic_id=income.pk, version=income.version,
                        milestones=[("道路维修招标", today + dt.timedelta(days=30))])  # fmt: skip
    road = services.topic_raise(actor=staff, unit=unit, title="硬化村北生产路", text="村北生产路雨天泥泞，农机难行。")
    road = services.topic_accept(actor=staff, topic_id=road.pk, version=road.version)
    _hold(staff, road, "建议硬化村北生产路800米", 5, 4)
    services.topic_propose(actor=users["jianwei"], unit=unit, title="村里增设快递柜", text="取快递要跑到镇上。")


def _village_board(users: dict[str, User], v: dict[str, Any]) -> None:
    staff, unit, today = users["cunwu"], v["unit"], timezone.localdate()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    lines = "\n".join(f"{i}. 村道维修材料费 {800 + 37 * i}.00 元" for i in range(1, 9))
    finance = services.publication_create(actor=staff, unit=unit, item_code="finance", title=f"{last_month:%Y年%m月}村级财务收支明细",
                                          body=lines, period=last_month)  # fmt: skip
    _publish(staff, users["jianwei"], finance)
    services.publication_create(actor=staff, unit=unit, item_code="relief", title="本季度救助资金发放情况",
                                body="临时救助3户，共计4500元。")  # fmt: skip
    services.document_create(actor=staff, unit=unit, kind="compact", title="东关村村规民约",
                             text_="第一条 遵纪守法，爱护公物。\n第二条 移风易俗，红白事简办。")  # fmt: skip
    members = list(v["committees"].members.order_by("id"))
    for i, member in enumerate(members):
        for year, votes in ((today.year - 2, (15, 3, 2)), (today.year - 1, (14, 4, 2))):
            tally = (2, 3, 15) if i == len(members) - 1 else votes
            services.member_appraisal_record(actor=staff, member_id=member.pk, year=year, competent=tally[0],
                                             fairly=tally[1], incompetent=tally[2])  # fmt: skip


def _community(users: dict[str, User]) -> None:
    street = places.unit("李沧区虎山路街道办事处", OrgUnit.Kind.TOWNSHIP, places.licang())
    unit = places.unit("虎山路街道虎山社区居民委员会", OrgUnit.Kind.COMMUNITY, street)
    community_configure(unit, slug="hushan", kind=CommunityProfile.Kind.RESIDENTIAL, adult_residents=5200, households=2300,
                        board_location="社区党群服务中心一楼公开栏", proposal_signatures=10)  # fmt: skip
    staff = users["shequ"]
    RoleAssignment.objects.get_or_create(user=staff, role=Role.COMMUNITY_STAFF, org_unit=unit)
    council = body_create(unit, Body.Kind.COUNCIL, "虎山社区居民议事会", _seats(_names(11, 2), ("议事长",)))
    committees = body_create(unit, Body.Kind.COMMITTEES, "虎山社区两委", _seats(_names(5, 12), ("书记兼主任",)))
    body_create(unit, Body.Kind.REPRESENTATIVES, "虎山社区居民代表会议", _seats(_names(15, 7)))
    body_create(
        unit,
        Body.Kind.SUPERVISORY,
        "虎山社区居务监督委员会",
        [Seat("孙监委", users["hsjianwei"]), *_seats(_names(2, 17))],
    )
    path_create(unit, "居民议事会协商议事", [(council, PathStep.Purpose.DECIDE)], committees, is_default=True)
    lift = services.topic_raise(actor=staff, unit=unit, title="3号楼加装电梯", text="3号楼住户联名申请加装电梯，费用分摊需协商。",
                                scope=Topic.Scope.BUILDING, affected="3号楼1-2单元36户")  # fmt: skip
    lift = services.topic_accept(actor=staff, topic_id=lift.pk, version=lift.version)
    _hold(staff, lift, "按楼层系数分摊费用，一楼住户不出资", 9, 7)
    lift.refresh_from_db()
    services.work_start(actor=staff, topic_id=lift.pk, version=lift.version,
                        milestones=[("报建审批", timezone.localdate() + dt.timedelta(days=45))])  # fmt: skip
    _publish(staff, users["hsjianwei"], lift.publications.get())
    parking = services.topic_raise(actor=staff, unit=unit, title="小区夜间停车管理", text="夜间车辆占用消防通道。")
    services.topic_accept(actor=staff, topic_id=parking.pk, version=parking.version)
    survey = services.survey_open(actor=staff, unit=unit, title="社区两委年度满意度测评", body_id=committees.pk,
                                  sample_body_id=Body.objects.get(unit=unit, kind=Body.Kind.REPRESENTATIVES).pk,
                                  instrument="score")  # fmt: skip
    ballots = {e.pk: 88 + i % 8 for i, e in enumerate(survey.sample.order_by("id"))}
    services.survey_record(actor=staff, survey_id=survey.pk, ballots=ballots)
    survey.refresh_from_db()
    services.survey_close(actor=staff, survey_id=survey.pk, version=survey.version)


def build(run: DemoRun) -> None:
    if CommunityProfile.objects.filter(slug="dongguan").exists():
        run.write("基层自治演示数据已存在，跳过。")
        return
    with transaction.atomic():
        users = _users(make_password(DEMO_PASSWORD))
        village = _village(users)
        _village_topics(users, village)
        _village_board(users, village)
        _community(users)
    run.write(
        run.success(
            f"基层自治演示数据已生成：东关村（/community/board/dongguan/）、虎山社区（/community/board/hushan/），议题 {Topic.objects.count()} 个。"
        )
    )
