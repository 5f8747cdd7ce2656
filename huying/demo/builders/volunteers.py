"""Demo of volunteering (志愿服务) in 滨城区: the 文明实践 network (centre → institutes → stations),
four teams, sixty volunteers of the organisation and one who registered on the phone, a monthly
micro-service station on the 17th, needs on the menu (some claimed, served, rated and certified),
courses, a week of the hall duty post and a call-out.

Demo accounts: ``zhiyuan`` (志愿服务组织管理员, 市中街道) and ``zhiyuanzhe`` (a citizen registered as a
volunteer). Choices come from a seeded random generator and names, never from database ids.
Idempotent: a deployment that already has stations is left alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.core.notify import sms_muted
from huying.core.validators import id_check_char
from huying.organisations.models import OrgUnit
from huying.volunteers import matching, rotating, services, skills
from huying.volunteers.activity_models import Activity, Project
from huying.volunteers.extra_models import CallOut, CallOutInvite, Course, DutyShift, TrainingAttendance
from huying.volunteers.models import Need, Station, Team, Volunteer

from ..registry import DemoRun
from .appeals_structure import DEMO_PASSWORD

ORGANISER_USER = "zhiyuan"
VOLUNTEER_USER = "zhiyuanzhe"
LAT, LON = 37.380, 117.970
STATIONS = [  # (name, level, parent name, unit name, lat offset, lon offset)
    ("滨城区新时代文明实践中心", "centre", None, "滨城区市中街道办事处", 0.0, 0.0),
    ("市中街道新时代文明实践所", "institute", "滨城区新时代文明实践中心", "滨城区市中街道办事处", 0.004, 0.002),
    ("市西街道新时代文明实践所", "institute", "滨城区新时代文明实践中心", "滨城区市西街道办事处", -0.002, -0.03),
    ("黄河社区新时代文明实践站", "station", "市中街道新时代文明实践所", "滨城区市中街道办事处", 0.006, 0.006),
    ("渤海社区新时代文明实践站", "station", "市中街道新时代文明实践所", "滨城区市中街道办事处", -0.006, 0.008),
]  # fmt: skip
TEAMS = [("市中街道“361”志愿服务队", "关爱帮扶"), ("学雷锋志愿服务队", "大厅引导"), ("帮办代办志愿服务队", "帮办代办"),
         ("乡村儒学讲师团", "宣讲授课")]  # fmt: skip
NEEDS = [("帮独居老人买菜送药", ["delivery", "elder_care"]), ("修理漏水的水龙头", ["plumbing"]),
         ("给孩子辅导数学作业", ["tutoring"]), ("上门为瘫痪老人理发", ["haircut"]), ("教老人用智能手机挂号", ["digital"]),
         ("陪同残疾人办理残疾证", ["proxy", "disability"]), ("楼道杂物清理", ["cleanup"]), ("邻里纠纷调解", ["mediation"]),
         ("企业员工急救培训", ["first_aid"]), ("社区垃圾分类宣传", ["garbage"])]  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英玉兰志强桂英海燕明亮淑珍德胜凤英立新红梅长海丽华文斌"


def _id(rng: random.Random, n: int) -> str:
    birth = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(365 * 45))
    region = "371602" if birth.year >= 2000 else "372321"
    body = f"{region}{birth:%Y%m%d}{n % 1000:03d}"
    return body + id_check_char(body)


def _users() -> tuple[User, User]:
    password = make_password(DEMO_PASSWORD)
    made = []
    for username, name, phone in ((ORGANISER_USER, "陈组织", ""), (VOLUNTEER_USER, "刘志愿", "13905431717")):
        user = User.objects.filter(username=username).first() or User.objects.create(
            username=username, display_name=name, phone=phone, password=password
        )
        made.append(user)
    return made[0], made[1]


def _network(street: OrgUnit) -> dict[str, Station]:
    units = {u.name: u for u in OrgUnit.objects.filter(name__in={s[3] for s in STATIONS})}
    made: dict[str, Station] = {}
    for name, level, parent, unit, dlat, dlon in STATIONS:
        made[name] = Station.objects.create(
            name=name, level=level, parent=made.get(parent or ""), org_unit=units.get(unit, street),
            latitude=LAT + dlat, longitude=LON + dlon, address=name.replace("新时代文明实践", "") + "党群服务中心",
        )  # fmt: skip
    return made


def _volunteers(rng: random.Random, organiser: User, teams: list[Team]) -> list[Volunteer]:
    leaves = list(skills.SKILL_NAMES)
    made = []
    for n in range(60):
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
        made.append(services.volunteer_register(
            actor=organiser, real_name=name, id_number=_id(rng, n), phone=f"139{rng.randrange(10**8):08d}",
            skill_codes=rng.sample(leaves, rng.randint(1, 3)), availability=rng.getrandbits(21),
            latitude=LAT + rng.uniform(-0.03, 0.03), longitude=LON + rng.uniform(-0.04, 0.04),
            publish_consent=rng.random() < 0.7, team=teams[n % len(teams)], for_self=False,
        ))  # fmt: skip
    return made


def _serve(need: Need, volunteer: Volunteer, organiser: User, rating: int) -> None:
    """Claim, sign in and out at the place, confirm hours, rate: the whole loop through the services."""
    claimed = services.need_claim(actor=volunteer.user, need_id=need.pk, version=need.version)
    activity = Activity.objects.get(need=claimed)
    for step, moment in ((services.sign_in, need.starts_at), (services.sign_out, need.ends_at)):
        code = rotating.current_code(activity.qr_secret, activity.pk, now=moment.timestamp(), period=activity.qr_period)
        signup = step(actor=volunteer.user, activity_id=activity.pk, code=code, latitude=activity.latitude,
                      longitude=activity.longitude, now=moment)  # fmt: skip
    services.hours_confirm(actor=organiser, signup_id=signup.pk, version=signup.version)
    fresh = Need.objects.get(pk=need.pk)
    services.need_rate(actor=fresh.requester, need_id=fresh.pk, version=fresh.version, rating=rating)


def _needs(rng: random.Random, citizen: User, me: Volunteer, organiser: User) -> int:
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    for i, (title, wanted) in enumerate(NEEDS):
        start = today + dt.timedelta(days=(i % 5) - 3)
        need = services.need_publish(
            actor=citizen, title=title, address=f"黄河{i % 8 + 1}路{rng.randint(1, 200)}号", latitude=LAT + rng.uniform(-0.01, 0.01),
            longitude=LON + rng.uniform(-0.01, 0.01), starts_at=start, ends_at=start + dt.timedelta(hours=2),
            skill_codes=wanted, contact_name="张三", contact_phone="13800138000",
        )  # fmt: skip
        if start < today and not skills.decode(need.skills).isdisjoint(skills.decode(me.skills)):
            _serve(need, me, organiser, rating=5 - i % 2)
    return len(NEEDS)


def _hall_unit() -> OrgUnit | None:
    if not apps.is_installed("huying.halls"):
        return None
    from huying.halls.models import Hall

    found = Hall.objects.filter(is_active=True).select_related("unit").first()
    return found.unit if found else None


def _activities(organiser: User, street: OrgUnit, me: Volunteer, volunteers: list[Volunteer]) -> None:
    project = Project.objects.create(name="每月17日移动微服务站", kind=Project.Kind.SERVICE, owner=street,
                                     target_group="社区居民", description="理发、家电维修、健康义诊、政策咨询")  # fmt: skip
    Project.objects.create(name="乡村儒学进村讲堂", kind=Project.Kind.CULTURE, owner=street, target_group="村民")
    Project.objects.create(name="爱心义卖手工品", kind=Project.Kind.CHARITY, owner=street, target_group="困难家庭")
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime(today.year, today.month, 17, 9)) + dt.timedelta(days=31)
    start = start.replace(day=17)
    series = services.activity_create(
        actor=organiser, org_unit=street, title="移动微服务站", address="黄河社区广场", latitude=LAT, longitude=LON,
        starts_at=start, ends_at=start + dt.timedelta(hours=3), capacity=8, skill_codes=["haircut", "electric", "health_talk"],
        project=project, monthly_day=17, months=3,
    )  # fmt: skip
    services.signup_create(actor=me.user, activity_id=series[0].pk)
    course = Course.objects.create(
        name="志愿者通识培训", org_unit=street, held_at=timezone.now() - dt.timedelta(days=20)
    )
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(course=course, volunteer=v) for v in [me, *volunteers[:30]]
    )
    # The 学雷锋岗 is in the city's service hall; the street's organiser keeps its roster too.
    hall = _hall_unit() or street
    RoleAssignment.objects.get_or_create(user=organiser, role=Role.VOLUNTEER_ORG, org_unit=hall)
    base = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    DutyShift.objects.bulk_create(
        DutyShift(hall=hall, volunteer=v, starts_at=base + dt.timedelta(days=d), ends_at=base + dt.timedelta(days=d, hours=3))
        for d, v in enumerate(volunteers[:5])
    )  # fmt: skip
    callout = CallOut.objects.create(title="防汛转移群众", org_unit=street, skills="|rescue|", target=10)
    CallOutInvite.objects.bulk_create(CallOutInvite(callout=callout, volunteer=v) for v in volunteers[:12])


def build(run: DemoRun) -> None:
    if Station.objects.exists():
        run.write("志愿服务演示数据：已有阵地，跳过。")
        return
    street = OrgUnit.objects.filter(name="滨城区市中街道办事处").first()
    citizen = User.objects.filter(username="citizen").first()
    if street is None or citizen is None:
        run.write("志愿服务演示数据：缺少市中街道或群众账号，跳过。")
        return
    rng = random.Random(run.seed)
    with sms_muted(), transaction.atomic():
        organiser, volunteer_user = _users()
        RoleAssignment.objects.get_or_create(user=organiser, role=Role.VOLUNTEER_ORG, org_unit=street)
        stations = _network(street)
        teams = [Team.objects.create(name=name, org_unit=street, station=stations["黄河社区新时代文明实践站"],
                                     speciality=spec) for name, spec in TEAMS]  # fmt: skip
        volunteers = _volunteers(rng, organiser, teams)
        me = Volunteer.objects.filter(user=volunteer_user).first() or services.volunteer_register(
            actor=volunteer_user, real_name="刘志愿", id_number=_id(rng, 999), phone="13905431717",
            skill_codes=["elder_care", "delivery", "haircut", "plumbing", "digital", "tutoring"],
            availability=matching.ALL_SLOTS, latitude=LAT, longitude=LON, publish_consent=True,
        )  # fmt: skip
        me.teams.add(teams[0])
        needs = _needs(rng, citizen, me, organiser)
        _activities(organiser, street, me, volunteers)
        services.certificate_issue(actor=volunteer_user, issuer_id=street.pk)
    run.write(run.success(f"志愿服务演示数据已生成：{len(stations)} 个阵地，{len(teams)} 支队伍，"
                          f"{len(volunteers) + 1} 名志愿者，{needs} 条需求。"))  # fmt: skip
    run.write(f"志愿服务演示账号：{ORGANISER_USER}（志愿服务组织管理员，/volunteers/activities/），"
              f"{VOLUNTEER_USER}（志愿者，/volunteers/），密码 {DEMO_PASSWORD}。")  # fmt: skip
