"""Demo of deputies and legislation, in the style of 滨城区市西街道: a legislative contact point that is
also the deputies' liaison station (reception on the 6th of every month), a draft with opinions at every
stage, suggestions at different stages, a mediation case with an effective agreement, and the filing
review's expert pool. Idempotent: a demo contact point already there leaves everything alone."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.deputies.models import Committee, ContactPoint, DeputyProfile, Expert, Informant, MediationCase
from huying.deputies.services import drafts, filing, mediation, reports, stations, suggestions
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create

from ..registry import DemoRun
from .appeals_structure import DEMO_PASSWORD, ensure_structure

POINT = "市西街道碧林花园基层立法联系点（人大代表联络站）"
# (username, name, role, unit key); the congress's staff sit in the district congress's standing committee.
ACCOUNTS = [
    ("daibiao", "田旭明", Role.DEPUTY, "shixi"),
    ("weiyuan", "顾志谦", Role.DEPUTY, "shixi"),
    ("fagongwei", "韩法工", Role.LEGISLATIVE_STAFF, "renda"),
    ("xinxiyuan", "冯信息", Role.CONTACT_POINT, "shixi"),
    ("tiaojie", "吴调解", Role.MEDIATOR, "shixi"),
]
DRAFT_TEXT = """滨州市文明行为促进条例（草案征求意见稿）
第一章 总则
第一条 为了培育和践行社会主义核心价值观，引导和促进文明行为，提升社会文明程度，根据有关法律、法规，结合本市实际，制定本条例。
第二条 本市行政区域内文明行为的促进及其相关工作，适用本条例。
第二章 文明行为规范
第三条 公民应当自觉遵守公共秩序，践行下列文明行为：
（一）乘坐公共交通工具时主动为老、幼、病、残、孕等乘客让座；
（二）在公共场所保持安静，不大声喧哗；
（三）文明养犬，及时清理犬只粪便；
（四）按照规定分类投放生活垃圾。
机动车驾驶人应当礼让行人，不随意鸣笛。
第四条 鼓励公民参加志愿服务、无偿献血和见义勇为。
第三章 附则
第五条 本条例自2027年5月1日起施行。
"""
OPINIONS = [  # (article label, content, channel, final state)
    ("第三条", "建议增加“不在楼道堆放杂物”一项，消防通道被占问题很突出。", "online", "adopted"),
    ("第三条", "楼道堆物应当写进条例。", "offline", "merged"),
    ("第三条", "文明养犬要明确牵绳长度。", "offline", "reference"),
    ("第四条", "志愿服务时长应当和积分挂钩。", "online", "submitted"),
    ("第五条", "施行日期太近，宣传时间不够。", "offline", "organised"),
    ("", "条例整体很好，希望加大宣传。", "online", "collected"),
]


def _units() -> dict[str, OrgUnit]:
    structure = ensure_structure()
    units = dict(structure.units)
    renda = OrgUnit.objects.filter(name="滨城区人大常委会").first()
    if renda is None:
        renda = org_unit_create(name="滨城区人大常委会", kind=OrgUnit.Kind.DEPARTMENT, parent=units["city"])
    units["renda"] = renda
    return units


def _users(units: dict[str, OrgUnit]) -> dict[str, User]:
    password = make_password(DEMO_PASSWORD)
    users = {}
    for username, name, role, unit_key in ACCOUNTS:
        user = User.objects.filter(username=username).first() or User.objects.create(
            username=username, display_name=name, password=password
        )
        RoleAssignment.objects.get_or_create(user=user, role=role, org_unit=units[unit_key])
        users[username] = user
    return users


def _draft(point: ContactPoint, users: dict[str, User], today: dt.date) -> None:
    staff, informant = users["fagongwei"], users["xinxiyuan"]
    draft = drafts.draft_create(
        actor=staff, title="滨州市文明行为促进条例（草案征求意见稿）", issuing_body="滨州市人大常委会法制工作委员会",
        text=DRAFT_TEXT, opens_on=today - dt.timedelta(days=20), closes_on=today + dt.timedelta(days=15), points=[point],
    )  # fmt: skip
    articles = {n.label: n.pk for n in draft.nodes.filter(kind="article")}
    session = drafts.session_record(actor=informant, draft_id=draft.pk, point_id=point.pk, kind="market",
                                    held_on=today - dt.timedelta(days=6), place="碧林花园社区广场", attendees=60)  # fmt: skip
    citizen = User.objects.filter(username="citizen").first()
    first = None
    for label, content, channel, state in OPINIONS:
        node = articles.get(label)
        if channel == "online" and citizen is not None:
            o = drafts.opinion_submit(actor=citizen, draft_id=draft.pk, node_id=node, content=content, may_publish=True)
        else:
            o = drafts.opinion_record_offline(actor=informant, session_id=session.pk, node_id=node, content=content)
        if state == "collected":
            continue
        if state == "merged" and first is not None:
            drafts.opinion_merge(actor=informant, opinion_id=o.pk, version=o.version, into_id=first.pk)
            continue
        o = drafts.opinion_organise(actor=informant, opinion_id=o.pk, version=o.version)
        first = first or o
        if state == "organised":
            continue
        o = drafts.opinion_submit_upward(actor=staff, opinion_id=o.pk, version=o.version, recipient=draft.issuing_body)
        if state in ("adopted", "reference"):
            reason = "已增加第三条第（五）项" if state == "adopted" else "养犬管理另有专门规定，留作参考"
            drafts.opinion_answer(actor=staff, opinion_id=o.pk, version=o.version, outcome=state, reason=reason)
    reports.summary_notice(draft)


def _receptions(point: ContactPoint, users: dict[str, User], day_id: int) -> None:
    """A resident's booking for the next reception day and a walk-in answered on the spot."""
    citizen = User.objects.filter(username="citizen").first()
    if citizen is not None:
        stations.booking_create(actor=citizen, day_id=day_id, name="张三", phone="13800138000",
                                matter="碧林花园小区夜间施工噪音扰民，希望代表协调。")  # fmt: skip
    walk_in = stations.reception_record(actor=users["daibiao"], station_id=point.pk, visitor_name="李桂英",
                                        matter="咨询城乡居民医保缴费时间。")  # fmt: skip
    stations.reception_route(actor=users["daibiao"], reception_id=walk_in.pk, version=walk_in.version,
                             routing="answered", answer="已告知每年9月至12月在社区或手机缴费。")  # fmt: skip


def _suggestions(users: dict[str, User], units: dict[str, OrgUnit], now: dt.datetime) -> None:
    staff, deputy = users["fagongwei"], users["daibiao"]
    lead, co = units["chengguan"], units["zhujian"]
    stages = ["submitted", "assigned", "replied", "closed"]
    titles = ["碧林花园小区增设充电桩", "黄河路公交站点加装候车亭", "渤海二十一路路灯修复", "西城佳苑楼道堆物清理"]
    for stage, title in zip(stages, titles, strict=True):
        s = suggestions.suggestion_create(actor=deputy, title=title, content=f"建议：{title}，方便群众生活。")
        if stage == "submitted":
            continue
        s = suggestions.suggestion_assign(actor=staff, suggestion_id=s.pk, version=s.version, lead_unit=lead,
                                          co_units=[co], single_matter=True, now=now - dt.timedelta(days=40))  # fmt: skip
        if stage == "assigned":
            continue
        handler = (
            User.objects.filter(role_assignments__role=Role.HANDLER, role_assignments__org_unit=lead)
            .order_by("username")
            .first()
        )
        s = suggestions.suggestion_accept(actor=handler, suggestion_id=s.pk, version=s.version)
        s = suggestions.suggestion_reply(actor=handler, suggestion_id=s.pk, version=s.version, reply_class="A",
                                         reply_mode="in_person", text="已完成，并当面向代表答复。")  # fmt: skip
        if stage == "closed":
            suggestions.suggestion_feedback(actor=deputy, suggestion_id=s.pk, version=s.version,
                                            attitude="satisfied", result="satisfied")  # fmt: skip


def _mediation(users: dict[str, User], committee: Committee) -> None:
    mediator = users["tiaojie"]
    case = mediation.mediation_register(
        actor=mediator, committee=committee, source=MediationCase.Source.RECEPTION, category=MediationCase.Category.PROPERTY,
        facts="小区消防通道被业主车辆长期占用，物业与业主发生争执。", claims="业主要求物业划定临时停车位",
        parties=[{"name": "碧林花园物业服务中心"}, {"name": "业主代表王先生", "phone": "13605430000"}],
    )  # fmt: skip
    for party in case.parties.all():
        mediation.party_consent(actor=mediator, case_id=case.pk, party_id=party.pk, consents=True)
    case = mediation.mediation_transition(actor=mediator, case_id=case.pk, version=case.version, action="start")
    mediation.session_log(actor=mediator, case_id=case.pk, note="邀请田旭明代表参与（双方同意），现场查看消防通道。")
    case = mediation.mediation_agree(actor=mediator, case_id=case.pk, version=case.version,
                                     responsibilities="物业未及时划线负次要责任，占道业主负主要责任。",
                                     agreement="物业在小区东侧划定临时停车位20个，业主不再占用消防通道。",
                                     performance="物业于两周内完成划线，街道与代表回访。")  # fmt: skip
    for party in case.parties.all():
        mediation.agreement_sign(actor=mediator, case_id=case.pk, party_id=party.pk)
    mediation.agreement_sign(actor=mediator, case_id=case.pk)
    mediation.agreement_seal(actor=mediator, case_id=case.pk, version=case.version)


def _filing(users: dict[str, User], units: dict[str, OrgUnit], today: dt.date) -> None:
    fields = list(filing.FIELDS)
    for i in range(8):
        Expert.objects.create(name=f"咨询专家{i + 1:02d}", fields=f"{fields[i]}、{fields[(i + 1) % 8]}",
                              term_start=today - dt.timedelta(days=400), term_end=today + dt.timedelta(days=700))  # fmt: skip
    staff = users["fagongwei"]
    doc = filing.document_file(actor=staff, title="滨州市城市道路挖掘管理办法", maker=units["chengguan"], field="urban",
                               published_on=today - dt.timedelta(days=20))  # fmt: skip
    filing.review_start(
        actor=staff, document_id=doc.pk, version=doc.version, experts=2, random_seed="binzhou-demo-2026"
    )
    filing.document_file(actor=staff, title="滨州市住房公积金缴存管理规定", maker=units["zhujian"], field="finance",
                         published_on=today - dt.timedelta(days=45))  # fmt: skip


def build(run: DemoRun) -> None:
    if ContactPoint.objects.filter(name=POINT).exists():
        run.write("人大代表与立法演示数据：已存在，跳过。")
        return
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        units = _units()
        users = _users(units)
        point = ContactPoint.objects.create(name=POINT, unit=units["shixi"], is_station=True, address="滨城区市西街道碧林花园社区党群服务中心",
                                            latitude=37.3790, longitude=117.9420, reception_day_of_month=6)  # fmt: skip
        Informant.objects.create(point=point, user=users["xinxiyuan"], name="冯信息")
        DeputyProfile.objects.create(user=users["daibiao"], name="田旭明", level="滨州市人大代表", station=point)
        DeputyProfile.objects.create(
            user=users["weiyuan"], name="顾志谦", kind=DeputyProfile.Kind.CPPCC, level="滨州市政协委员", station=point
        )
        days = stations.reception_days_plan(station=point, start=today, months=3)
        _receptions(point, users, days[0].pk)
        committee = Committee.objects.create(
            name="市西街道人民调解委员会", unit=units["shixi"], registration="滨城司调备〔2024〕12号"
        )
        _draft(point, users, today)
        _suggestions(users, units, now)
        _mediation(users, committee)
        _filing(users, units, today)
    run.write(
        run.success(
            "人大代表与立法演示数据已生成：联系点/联络站 1 个，草案 1 部（意见 6 条），建议 4 件，调解案件 1 件，备案文件 2 件。"
        )
    )
