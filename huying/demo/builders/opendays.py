"""Demo open day, after Weihai's economic zone: about 60 residents signed up, 24 drawn by age,
gender, political status, occupation and district; the hall, the police station and the utility
tunnel; a forum whose question about cold-storage prices went to the agriculture bureau.

The announcement, registration, lottery and draw are dated in the past (the day itself five days
ago), so every page has something to show. Registrants are inserted directly (the demo sends no
SMS); the lottery, the draw, a decline with its replacement and the forum go through the services.
Idempotent: skipped when an open day exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.core.notify import sms_muted
from huying.opendays import services, states
from huying.opendays.models import Event, Registration
from huying.opendays.services.draw import instance_for, replacement_publish
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create
from huying.selection.quotas import feasibility
from huying.selection.replace import remaining_instance
from huying.selection.synthetic import VOLUNTEERS

from ..registry import DemoRun
from .appeals_structure import DEMO_PASSWORD

ORGANISER_USER = "kaifangri"
REGISTRANTS = 60
PANEL = 24
DISTRICTS = {"皇冠街道": 0.3, "凤林街道": 0.25, "西苑街道": 0.25, "泊于镇": 0.1, "桥头镇": 0.1}
# The zone's adult population by category (shares), the registrants' skew from synthetic.VOLUNTEERS.
POPULATION = """age_band,18-29,19
age_band,30-39,19
age_band,40-49,18
age_band,50-59,20
age_band,60+,24
gender,male,50
gender,female,50
political_status,party_member,9
political_status,league_member,7
political_status,masses,84
occupation,public_sector,8
occupation,enterprise,38
occupation,self_employed,14
occupation,farming,12
occupation,retired,28
""" + "".join(f"district,{d},{int(s * 100)}\n" for d, s in DISTRICTS.items())
CODES = {
    "age_band": {"18-29": "18-29", "30-39": "30-39", "40-49": "40-49", "50-59": "50-59", "60+": "60+"},
    "gender": {"男": "male", "女": "female"},
    "political_status": {"中共党员": "party_member", "共青团员": "league_member", "民主党派": "masses", "群众": "masses"},
    "occupation": {"机关事业单位": "public_sector", "企业职工": "enterprise", "个体经营": "self_employed",
                   "农业": "farming", "学生": "enterprise", "离退休": "retired"},
}  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗于曲丛"
GIVEN = "建国秀英玉兰志强桂英海燕明亮淑珍德胜凤英立新红梅长海丽华文斌"
PROGRAMME = [
    (9, 0, "经区政务服务中心", "参观政务服务大厅：371项事项，年办件19万件", "行政审批服务局"),
    (10, 0, "皇冠派出所", "参观派出所户籍窗口和接处警流程", "公安分局"),
    (11, 0, "城市综合管廊", "参观综合管廊（供水、供热、电力、通信同廊）", "住建局"),
    (14, 30, "管委会二楼会议室", "座谈交流：经区领导现场答复", "管委会"),
]
FORUM = [
    (
        "冷库租金一年比一年高，果农储存苹果越来越难，能不能建公共冷库？",
        "管委会副主任",
        "请农业农村局调研冷库价格，一个月内报告。",
        True,
    ),
    ("管廊建成后，道路还会不会反复开挖？", "住建局局长", "管廊覆盖的路段不再开挖，新建管线一律入廊。", False),
    ("政务大厅能不能周六上午开放？", "行政审批服务局局长", "已试行周六上午延时服务，下月起常态化。", False),
]


def _units() -> dict[str, OrgUnit]:
    zone = OrgUnit.objects.filter(name="威海经济技术开发区管理委员会").first() or org_unit_create(
        name="威海经济技术开发区管理委员会", short_name="威海经区管委会", kind=OrgUnit.Kind.GOVERNMENT
    )
    units = {"zone": zone}
    for key, name, short in (
        ("agri", "威海经区农业农村局", "经区农业农村局"),
        ("housing", "威海经区住房和城乡建设局", "经区住建局"),
    ):
        units[key] = OrgUnit.objects.filter(name=name).first() or org_unit_create(
            name=name, short_name=short, kind=OrgUnit.Kind.DEPARTMENT, parent=zone
        )
    return units


def _organiser(zone: OrgUnit) -> User:
    user = User.objects.filter(username=ORGANISER_USER).first()
    if user is None:
        user = User.objects.create(
            username=ORGANISER_USER, display_name="经区开放日组织人", password=make_password(DEMO_PASSWORD)
        )
    RoleAssignment.objects.get_or_create(user=user, role=Role.OPEN_DAY_ORGANISER, org_unit=zone)
    return user


def _registrants(event: Event, rng: random.Random, citizen: User | None) -> None:
    rows = []
    for i in range(REGISTRANTS):
        feats = {c: rng.choices(list(s), list(s.values()))[0] for c, s in VOLUNTEERS.items() if c in CODES}
        values = {c: CODES[c][v] for c, v in feats.items()}
        district = rng.choices(list(DISTRICTS), list(DISTRICTS.values()))[0]
        phone = f"1386310{i:04d}"
        user = citizen if i == 0 else None
        house = f"{district}-{i // 3 if i < 9 else i}"  # the first nine in households of three
        rows.append(Registration(
            event=event, number=f"{i + 1:03d}", user=user, name=rng.choice(SURNAMES) + rng.choice(GIVEN[::2]) + rng.choice(GIVEN[1::2]),
            phone=citizen.phone if user and citizen and citizen.phone else phone,
            id_hash=hashlib.sha256(f"demo-id-{i}".encode()).hexdigest(), id_last4=f"{i:04d}",
            basis=Registration.Basis.RESIDE, district=district,
            household=hashlib.sha256(house.encode()).hexdigest()[:32], **values,
        ))  # fmt: skip
    Registration.objects.bulk_create(rows)


def _programme(organiser: User, event: Event) -> None:
    for hour, minute, place, activity, host in PROGRAMME:
        services.programme_add(
            actor=organiser, event=event, starts_at=event.starts_at.replace(hour=hour, minute=minute),
            place=place, activity=activity, host=host,
        )  # fmt: skip


def _forum(organiser: User, event: Event, agri: OrgUnit, now: dt.datetime) -> int:
    speakers = list(event.registrations.filter(status=states.CONFIRMED).order_by("number"))
    assigned = 0
    for (text, who, answer, assign), speaker in zip(FORUM, speakers, strict=False):
        item = services.forum_record(actor=organiser, event=event, number=speaker.number, text=text,
                                     answered_by=who, answer=answer)  # fmt: skip
        if assign:
            services.forum_assign(
                actor=organiser, item=item, owner=agri, promised_by=(now + dt.timedelta(days=25)).date(), now=now
            )
            assigned += 1
    return assigned


def _decliner(event: Event) -> Registration:
    """The last invited registrant whose seat someone not drawn can take within the quotas."""
    inst = instance_for(event)
    invited = list(event.registrations.filter(status=states.INVITED).order_by("-number"))
    numbers = [r.number for r in invited]
    for reg in invited:
        sitting = [n for n in numbers if n != reg.number]
        sub = remaining_instance(inst, sitting, numbers, 1)
        if sub.people and feasibility(sub).feasible:
            return reg
    return invited[0]


def build(run: DemoRun) -> None:
    if Event.objects.exists():
        run.write("开放日演示数据：已有开放日，跳过。")
        return
    rng = random.Random(run.seed)
    now = timezone.now()
    day = (now - dt.timedelta(days=5)).replace(hour=9, minute=0, second=0, microsecond=0)
    with sms_muted(), transaction.atomic():
        units = _units()
        organiser = _organiser(units["zone"])
        event = services.event_create(
            actor=organiser, unit=units["zone"], title="威海经济技术开发区首届政府开放日", area="威海经济技术开发区",
            venue="经区政务服务中心及沿线点位", starts_at=day, registration_ends_at=day - dt.timedelta(days=8),
            panel_size=PANEL, seed_source="开放日前一天下午，在政务服务中心由三位报名群众各抽一个两位数，依次连写",
            description="走进政务服务大厅、派出所和城市综合管廊，与经区领导面对面交流。",
            exclusions=["经区机关在职工作人员", "近三年参加过本活动"],
        )  # fmt: skip
        services.quotas_from_population(actor=organiser, event=event, shares_text=POPULATION, tolerance=3)
        services.event_transition(actor=organiser, event=event, action="announce", now=day - dt.timedelta(days=25))
        _registrants(event, rng, User.objects.filter(username="citizen").first())
        services.event_transition(actor=organiser, event=event, action="close_registration")
        services.lottery_publish(actor=organiser, event=event, now=day - dt.timedelta(days=7))
        services.draw_run(actor=organiser, event=event, seed="07 23 41", now=day - dt.timedelta(days=6))
        services.registration_act(actor=organiser, registration=_decliner(event), action="decline")
        replacement_publish(actor=organiser, event=event, now=day - dt.timedelta(days=5))
        services.draw_run(actor=organiser, event=event, seed="19 02 66", now=day - dt.timedelta(days=4))
        for reg in event.registrations.filter(status=states.INVITED):
            services.registration_act(actor=organiser, registration=reg, action="confirm")
        _programme(organiser, event)
        assigned = _forum(organiser, event, units["agri"], day.replace(hour=15))
        services.event_transition(actor=organiser, event=event, action="hold")
    first = event.draws.get(sequence=0)
    run.write(run.success(
        f"开放日演示数据已生成：{REGISTRANTS} 人报名，抽取 {PANEL} 人（最低入选概率 {first.min_chance:.1%}），"
        f"1 人婉拒并递补，座谈 {len(FORUM)} 项、{assigned} 项转为工单。"
    ))  # fmt: skip
