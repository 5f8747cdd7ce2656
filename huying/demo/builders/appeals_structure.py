"""The demo city's structure and people: divisions, the org tree, the 派单目录 and time limits, and the
demo accounts (one handler per unit). Everything is found or created, so running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.appeals.models import Category, CategoryRoute, TimeLimitRule
from huying.organisations.models import Division, OrgUnit
from huying.organisations.reference import load_reference_divisions
from huying.organisations.services import org_unit_create

from . import appeals_data as cat

DEMO_PASSWORD = "huying2026"


# --- structure: divisions, units, 派单目录, time limits ------------------------------------------


@dataclass
class Structure:
    divisions: dict[str, Division]
    units: dict[str, OrgUnit]
    categories: dict[str, Category]


def ensure_structure() -> Structure:
    """Create (or find) the divisions, org tree and 派单目录. Idempotent."""
    load_reference_divisions()
    divisions = {d.code: d for d in Division.objects.filter(valid_to__isnull=True)}
    for code, name, level, parent in cat.TOWNSHIPS:
        if code not in divisions:
            divisions[code] = Division.objects.create(code=code, name=name, level=level, parent=divisions[parent])

    units: dict[str, OrgUnit] = {}
    for key, name, short, kind, parent_key, div_code in cat.UNITS:
        parent_unit = units[parent_key] if parent_key else None
        unit = OrgUnit.objects.filter(name=name, parent=parent_unit).first()
        if unit is None:
            division = divisions.get(div_code) if div_code else None
            unit = org_unit_create(name=name, short_name=short, kind=kind, parent=parent_unit, division=division)
        units[key] = unit

    categories: dict[str, Category] = {}
    for code, name in cat.PARENTS:
        categories[code], _ = Category.objects.get_or_create(code=code, defaults={"name": name})
    for code, name, unit_key, keywords, *_texts in cat.LEAVES:
        categories[code], _ = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "parent": categories[code[:2]],
                "unit": units[unit_key],
                "keywords": keywords,
                "allows_anonymous": code not in cat.NO_ANONYMOUS,
            },
        )
    for code in cat.STREET_MATTERS:
        for div_code, unit_key in cat.STREET_OFFICES.items():
            CategoryRoute.objects.get_or_create(
                category=categories[code], division=divisions[div_code], defaults={"unit": units[unit_key]}
            )
    for cat_code, urgency, amount, limit_unit in cat.TIME_LIMITS:
        TimeLimitRule.objects.get_or_create(
            category=categories[cat_code] if cat_code else None,
            urgency=urgency,
            defaults={"amount": amount, "unit": limit_unit},
        )
    return Structure(divisions=divisions, units=units, categories=categories)


# --- accounts ---------------------------------------------------------------------------------


@dataclass
class DemoAccount:
    username: str
    display_name: str
    role: str  # a Role value, "citizen" or "superuser"
    unit_key: str | None
    page: str
    phone: str = ""


DEMO_ACCOUNTS = [
    DemoAccount("admin", "系统管理员", "superuser", None, "/admin/ 系统配置（派单目录、时限、日历、审计日志）"),
    DemoAccount("operator", "王坐席", Role.OPERATOR, "hotline", "/ → 坐席工作台：受理、派单、回访"),
    DemoAccount("supervisor", "周督办", Role.SUPERVISOR, "city", "/ → 督办看板：超期、退单、延期审核；/dashboard/"),
    DemoAccount("chengguan", "李承办", Role.HANDLER, "chengguan", "/ → 承办单位待办：签收、答复"),
    DemoAccount("zhujian", "赵承办", Role.HANDLER, "zhujian", "/ → 承办单位待办"),
    DemoAccount("shizhong", "孙网格", Role.HANDLER, "shizhong", "/ → 承办单位待办（街道，属地派单）"),
    DemoAccount("gongdian", "钱供电", Role.HANDLER, "gongdian", "/ → 承办单位待办（公共服务企业）"),
    DemoAccount(
        "citizen", "张三", "citizen", None, "/ → 我的诉求、我的办件、我的证照（亮证）、评价", phone="13800138000"
    ),
]
# Units without a handler account of their own (the top of the tree).
_NO_HANDLER = {"city", "hotline"}


def ensure_accounts(structure: Structure) -> dict[str, User]:
    """Create the demo accounts and one handler account per unit (username = the unit key).

    Idempotent: existing users keep their password. All share DEMO_PASSWORD; the hash is
    computed once because password hashing is deliberately slow.
    """
    password_hash = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    wanted: list[tuple[str, str, str, str | None, str]] = [
        (a.username, a.display_name, a.role, a.unit_key, a.phone) for a in DEMO_ACCOUNTS
    ]
    named = {a.unit_key for a in DEMO_ACCOUNTS if a.role == Role.HANDLER}
    for key, _name, short, *_rest in cat.UNITS:
        if key not in _NO_HANDLER and key not in named:
            wanted.append((key, f"{short}承办人", Role.HANDLER, key, ""))
    for username, display_name, role, unit_key, phone in wanted:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, display_name=display_name, phone=phone, password=password_hash)
            if role == "superuser":
                user.is_staff = user.is_superuser = True
            user.save()
        if unit_key and role in Role.values:
            RoleAssignment.objects.get_or_create(user=user, role=role, org_unit=structure.units[unit_key])
        users[username] = user
    return users


def account_rows(structure: Structure) -> list[tuple[str, str, str, str, str]]:
    """(role label, unit, username, password, page) for the printed table."""
    rows = []
    for a in DEMO_ACCOUNTS:
        if a.role == "superuser":
            role_label = "超级管理员"
        elif a.role == "citizen":
            role_label = f"群众（手机 {a.phone}）"
        else:
            role_label = str(Role(a.role).label)
        unit = structure.units[a.unit_key].label if a.unit_key else "—"
        rows.append((role_label, unit, a.username, DEMO_PASSWORD, a.page))
    return rows + hall_account_rows()


# The service-hall demos (demo_halls, demo_applications) create these; listed when present.
HALL_ACCOUNTS = [
    ("chuangkou1", "/applications/accept/ · /hall/windows/ · /licences/verify/"),
    ("shenpi_shenpi", "/applications/review/ · /ratings/cases/"),
    ("shenpi_renshe", "/applications/review/"),
    ("dating", "/hall/ · /hall/planner/ · /applications/figures/"),
    ("bangban1", "/applications/projects/ · /applications/proxies/"),
    # The grid demo (huying.demo.builders.grids) creates these.
    ("wanggeyuan", "/grids/visits/ 走访 · /grids/report/ 随手拍 · /grids/cases/ 网格事件 · /grids/tasks/"),
    ("lianhu", "/grids/visits/ 走访 · /grids/tasks/"),
    # The points demo (huying.demo.builders.points) creates these.
    ("shangjia", "/points/merchant/ 积分兑换收银 · /points/merchant/statement/"),
    ("jifen", "/points/review/ 积分审核 · /points/figures/"),
    # The deputies' demo (huying.demo.builders.deputies) creates these.
    ("daibiao", "/deputies/desk/ 代表履职：接待、转办、建议、述职"),
    ("fagongwei", "/deputies/drafts/ 立法征求意见 · /deputies/suggestions/ · /deputies/filing/ · /deputies/figures/"),
    ("xinxiyuan", "/deputies/drafts/ 线下征集、意见整理"),
    ("tiaojie", "/deputies/mediation/ 代表调解室"),
    # The open-day demo (huying.demo.builders.opendays) creates this one.
    ("kaifangri", "/opendays/manage/ 开放日：名额、抽签、替补、座谈交办"),
    # The self-governance demo (huying.demo.builders.community) creates these.
    ("cunwu", "/community/ 东关村议题、会议、村务公开 · /community/board/dongguan/"),
    ("shequ", "/community/ 虎山社区议事会、居务公开 · /community/board/hushan/"),
    # The volunteering demo (huying.demo.builders.volunteers) creates this one; its volunteer is a citizen.
    ("zhiyuan", "/volunteers/activities/ 活动与需求 · /volunteers/hours/ 时长确认 · /volunteers/figures/"),
    # The doorstep demos (huying.demo.builders.servicepoints, .canteens) create these.
    ("cunzhan", "/points-of-service/proxy/ 村级全程代办 · /points-of-service/manage/"),
    ("zxchuangkou", "/applications/accept/ 张星镇综合窗口"),
    ("shitang", "/canteens/ 就餐登记 · 月度结算 · 进货查验"),
    ("lc_minzheng", "/canteens/ 助餐老人审核 · 结算审核 · /canteens/figures/ · /points-of-service/figures/"),
]


def hall_account_rows() -> list[tuple[str, str, str, str, str]]:
    rows = []
    for username, page in HALL_ACCOUNTS:
        grant = RoleAssignment.objects.filter(user__username=username).select_related("org_unit").first()
        if grant is not None:
            rows.append((str(Role(grant.role).label), grant.org_unit.label, username, DEMO_PASSWORD, page))
    return rows
