"""Builds the demo deployment of 滨州市12345 through the services, so every row is one the
platform itself could have written: timelines, deadlines, 督办 levels and counters included.

Each appeal walks its life with ``now=`` set to past times. Appeals are generated one at a time;
an appeal whose next step would lie in the future simply stays where it is, which is how the
recent ones end up open. Everything is seeded, so a given ``--seed`` gives the same city.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.organisations.models import Division, OrgUnit
from huying.organisations.reference import load_reference_divisions
from huying.organisations.services import org_unit_create

from .. import selectors, services, stats
from ..models import Appeal, Category, CategoryRoute, TimeLimitRule
from ..states import Action, AppealType, Channel, Resolution, Satisfaction, Status, Urgency
from . import demo_catalogue as cat
from .demo_history import HistoryExecutor, ServiceExecutor, Stop

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
]


def hall_account_rows() -> list[tuple[str, str, str, str, str]]:
    rows = []
    for username, page in HALL_ACCOUNTS:
        grant = RoleAssignment.objects.filter(user__username=username).select_related("org_unit").first()
        if grant is not None:
            rows.append((str(Role(grant.role).label), grant.org_unit.label, username, DEMO_PASSWORD, page))
    return rows


# --- appeals ----------------------------------------------------------------------------------

_PHONE_PREFIXES = "133 135 136 137 138 139 150 151 152 155 157 158 159 176 177 178 180 182 183 185 186 187 188 189 199"
_CHANNEL_WEIGHTS: dict[str, float] = {
    Channel.HOTLINE: 70,
    Channel.WEB: 8,
    Channel.MOBILE: 10,
    Channel.GRID: 6,
    Channel.REPRESENTATIVE: 2,
    Channel.OPEN_DAY: 1,
    Channel.VISIT: 3,
}
_CHANNEL_OPENERS: dict[str, str] = {
    Channel.HOTLINE: "来电人反映：",
    Channel.WEB: "网民留言：",
    Channel.MOBILE: "市民通过手机随手拍反映：",
    Channel.GRID: "网格员巡查上报：",
    Channel.REPRESENTATIVE: "人大代表转交群众意见：",
    Channel.OPEN_DAY: "政府开放日市民代表反映：",
    Channel.VISIT: "入户走访中群众反映：",
}
_PARENT_WEIGHTS = {
    "01": 22,
    "02": 12,
    "03": 6,
    "04": 8,
    "05": 8,
    "06": 5,
    "07": 6,
    "08": 6,
    "09": 7,
    "10": 10,
    "11": 4,
    "12": 4,
    "13": 4,
}
_EXTRAS = [
    "",
    "",
    "此前已向物业反映过多次，一直没有解决。",
    "希望尽快处理并回复。",
    "周边很多居民都有意见。",
    "希望有关部门重视。",
]
# Recent appeals that stop at a given open status, so every status shows up in the demo.
_OPEN_TARGETS = [
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.DISPATCHED,
    Status.RETURN_REQUESTED,
    Status.HANDLING,
    Status.HANDLING,
    Status.EXTENSION_REQUESTED,
    Status.SUSPENDED,
    Status.REPLIED,
    Status.REPLIED,
    Status.UNSATISFIED,
]


@dataclass
class _Case:
    """The decisions for one appeal, made up front from the random stream."""

    submitted_at: dt.datetime
    leaf: cat.Leaf
    place: tuple[str, str, int, list[str], list[str]]
    channel: str
    stop_at: str | None = None
    flow: str = "dispatch"  # dispatch | answer | refer | refuse | withdraw
    returns: str = ""  # "" | approve | reject
    extension: str = ""  # "" | approve | reject
    suspend: bool = False
    supervise: bool = False
    late: bool = False
    stuck: bool = False
    assist: bool = False
    repeats: int = 0
    neighbour_merge: bool = False
    outcome: str = "satisfied"  # satisfied | basically | partly | unsatisfied
    citizen: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class DemoBuilder:
    def __init__(self, *, seed: int, now: dt.datetime | None = None, log: Callable[[str], None] = print):
        self.rng = random.Random(seed)
        self.now = now or timezone.now()
        self.log = log
        self.structure = ensure_structure()
        self.users = ensure_accounts(self.structure)
        self.operator = self.users["operator"]
        self.supervisor = self.users["supervisor"]
        self.citizen = self.users["citizen"]
        self.handlers: dict[int, User] = {}
        for ra in RoleAssignment.objects.filter(role=Role.HANDLER).select_related("user"):
            self.handlers.setdefault(ra.org_unit_id, ra.user)
        self._route_cache: dict[tuple[int, int], OrgUnit] = {}
        self.leaves_by_parent: dict[str, list[cat.Leaf]] = {}
        for leaf in cat.LEAVES:
            self.leaves_by_parent.setdefault(leaf[0][:2], []).append(leaf)
        self.services = ServiceExecutor(self.now)
        self.history = HistoryExecutor(self.now, {u.pk for u in self.handlers.values()})
        self.ex: ServiceExecutor | HistoryExecutor = self.services
        self.departments = [
            u for k, u in self.structure.units.items() if u.kind == OrgUnit.Kind.DEPARTMENT and k != "shenpi"
        ]

    # helpers -----------------------------------------------------------------------------

    def _phone(self) -> str:
        if self.rng.random() < 0.06:
            return f"0543{self.rng.randrange(2000000, 8999999)}"
        return self.rng.choice(_PHONE_PREFIXES.split()) + f"{self.rng.randrange(10**8):08d}"

    def _name(self) -> str:
        return self.rng.choice(cat.SURNAMES) + "".join(self.rng.sample(cat.GIVEN, self.rng.choice([1, 2])))

    def _id_number(self, division_code: str) -> str:
        """A valid 18-digit ID number: check digit computed, county code in force at birth."""
        county = division_code[:6]
        for _ in range(50):
            birth = dt.date(1950, 1, 1) + dt.timedelta(days=self.rng.randrange(365 * 52))
            for code in [county, *cat.PREDECESSOR_CODES.get(county, [])]:
                body = f"{code}{birth:%Y%m%d}{self.rng.randrange(1, 1000):03d}"
                total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(body))
                number = body + "10X98765432"[total % 11]
                if ric.is_valid(number):
                    return number
        return ""

    def _unit_for(self, category: Category, division: Division) -> OrgUnit:
        key = (category.pk, division.pk)
        if key not in self._route_cache:
            unit = selectors.suggest_unit(category, division)
            assert unit is not None, category
            self._route_cache[key] = unit
        return self._route_cache[key]

    def _handler(self, unit: OrgUnit) -> User:
        return self.handlers[unit.pk]

    def _minutes(self, lo: float, hi: float) -> dt.timedelta:
        return dt.timedelta(minutes=self.rng.uniform(lo, hi))

    def _hours(self, lo: float, hi: float) -> dt.timedelta:
        return dt.timedelta(hours=self.rng.uniform(lo, hi))

    def _office_hours(self, t: dt.datetime) -> dt.datetime:
        """Move a unit's action into 8:30–18:00 local time (the hotline itself works around the clock)."""
        local = timezone.localtime(t)
        if local.hour < 8:
            local = local.replace(hour=8, minute=30 + self.rng.randrange(30))
        elif local.hour >= 18:
            local = (local + dt.timedelta(days=1)).replace(hour=8, minute=30 + self.rng.randrange(30))
        return local

    def act(self, appeal: Appeal, case: _Case, t: dt.datetime, user: Any, action: str, **payload: Any) -> Appeal:
        if t > self.now - dt.timedelta(minutes=2):
            raise Stop
        appeal = self.ex.act(appeal, t, user, action, **payload)
        if case.stop_at and appeal.status == case.stop_at:
            raise Stop
        return appeal

    def sweep(self, appeal: Appeal, t: dt.datetime) -> None:
        self.ex.sweep(appeal, t)

    # cases -----------------------------------------------------------------------------------

    def _submitted_times(self, n: int) -> list[dt.datetime]:
        times = []
        for _ in range(n):
            days = self.rng.uniform(0, 10) if self.rng.random() < 0.04 else self.rng.uniform(0, 365)
            t = timezone.localtime(self.now - dt.timedelta(days=days))
            hour = self.rng.choices(
                range(24), weights=[1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 8, 9, 11, 11, 10, 9, 8, 7, 6, 4, 3, 2]
            )[0]
            t = t.replace(hour=hour, minute=self.rng.randrange(60), second=self.rng.randrange(60))
            if t > self.now - dt.timedelta(minutes=10):
                t = self.now - self._minutes(10, 600)
            times.append(t)
        return sorted(times)

    def _case(self, submitted_at: dt.datetime) -> _Case:
        rng = self.rng
        parent = rng.choices(list(_PARENT_WEIGHTS), weights=list(_PARENT_WEIGHTS.values()))[0]
        leaf = rng.choice(self.leaves_by_parent[parent])
        place = rng.choices(cat.PLACES, weights=[p[2] for p in cat.PLACES])[0]
        channel = rng.choices(list(_CHANNEL_WEIGHTS), weights=list(_CHANNEL_WEIGHTS.values()))[0]
        case = _Case(submitted_at=submitted_at, leaf=leaf, place=place, channel=channel)
        age = self.now - submitted_at
        r = rng.random()
        if r < 0.20:
            case.flow = "answer"
        elif r < 0.22:
            case.flow = "refer"
        elif r < 0.23:
            case.flow = "refuse"
        elif r < 0.235:
            case.flow = "withdraw"
        case.citizen = channel in (Channel.WEB, Channel.MOBILE) and rng.random() < 0.12
        case.returns = rng.choices(["", "approve", "reject"], weights=[94, 4.5, 1.5])[0]
        case.extension = rng.choices(["", "approve", "reject"], weights=[93, 5.5, 1.5])[0]
        case.suspend = rng.random() < 0.015
        case.supervise = rng.random() < 0.02
        case.late = rng.random() < 0.04
        case.assist = rng.random() < 0.05
        case.repeats = rng.choices([0, 1, 2], weights=[96, 3, 1])[0]
        case.neighbour_merge = rng.random() < 0.01
        case.outcome = rng.choices(["satisfied", "basically", "partly", "unsatisfied"], weights=[57, 31, 3, 9])[0]
        if age < dt.timedelta(days=10) and case.flow == "dispatch":
            if rng.random() < 0.35:
                case.stop_at = rng.choice(_OPEN_TARGETS)
                if case.stop_at == Status.RETURN_REQUESTED:
                    case.returns = "pending"
                elif case.stop_at == Status.EXTENSION_REQUESTED:
                    case.extension = "pending"
                elif case.stop_at == Status.SUSPENDED:
                    case.suspend = True
                elif case.stop_at == Status.UNSATISFIED:
                    case.outcome = "unsatisfied"
            elif age > dt.timedelta(days=6) and rng.random() < 0.3:
                case.stuck = True  # the unit sits on it: overdue at the final sweep
        return case

    def _texts(self, case: _Case) -> tuple[str, str, str]:
        """Title, content and address from the category's templates and the place."""
        _code, _name, _unit, _kw, title, content, _reply = case.leaf
        _div, label, _w, roads, compounds = case.place
        road, compound = self.rng.choice(roads), self.rng.choice(compounds)
        values = {"place": label, "road": road, "xiaoqu": compound, "n": self.rng.randrange(1, 30)}
        content = content.format(**values).replace("来电人反映：", _CHANNEL_OPENERS[case.channel], 1)
        extra = self.rng.choice(_EXTRAS)
        address = f"{label}{compound}" if "{xiaoqu}" in case.leaf[5] else f"{label}{road}"
        return title.format(**values)[:120], content + extra, address

    def _submit(self, case: _Case, **overrides: Any) -> Appeal:
        code = case.leaf[0]
        division = self.structure.divisions[case.place[0]]
        title, content, address = self._texts(case)
        county = case.place[0][:6]
        lat, lon = cat.COUNTY_CENTRES[county]
        if case.flow == "answer":
            cat_code, question, _answer = self.rng.choice(cat.CONSULTS)
            code, title, content = cat_code, question, f"{_CHANNEL_OPENERS[case.channel]}{question}。"
        elif case.flow == "refer":
            target, question, _answer = self.rng.choice(cat.REFER_CASES)
            case.extra["refer"] = (target, _answer)
            title, content = question[3:20], f"{_CHANNEL_OPENERS[case.channel]}{question[3:]}。"
        elif case.flow == "refuse":
            question, answer = self.rng.choice(cat.REFUSE_CASES)
            case.extra["refuse"] = answer
            title, content = question[3:20], f"{_CHANNEL_OPENERS[case.channel]}{question[3:]}。"
        category = self.structure.categories[code]
        if case.flow in ("refer", "refuse"):
            appeal_type = AppealType.HELP
        elif title.startswith("咨询"):
            appeal_type = AppealType.CONSULT
        elif title.startswith("建议"):
            appeal_type = AppealType.SUGGESTION
        else:
            appeal_type = self.rng.choices(
                [AppealType.COMPLAINT, AppealType.HELP, AppealType.REPORT], weights=[55, 30, 15]
            )[0]
        urgency = Urgency.GENERAL
        if code in cat.URGENT_PRONE:
            urgency = self.rng.choices([Urgency.GENERAL, Urgency.URGENT, Urgency.EMERGENCY], weights=[45, 45, 10])[0]
        elif self.rng.random() < 0.04:
            urgency = Urgency.URGENT
        anonymous = (
            case.channel in (Channel.WEB, Channel.MOBILE)
            and appeal_type == AppealType.REPORT
            and category.allows_anonymous
            and self.rng.random() < 0.3
        )
        fields: dict[str, Any] = {
            "channel": case.channel,
            "appeal_type": appeal_type,
            "urgency": urgency,
            "title": title,
            "content": content,
            "category": category,
            "division": division,
            "address": address,
            "latitude": round(lat + self.rng.uniform(-0.04, 0.04), 6),
            "longitude": round(lon + self.rng.uniform(-0.05, 0.05), 6),
            "requester_name": "" if anonymous else self._name(),
            "requester_phone": "" if anonymous else self._phone(),
            "requester_id_number": self._id_number(case.place[0]) if self.rng.random() < 0.15 else "",
            "is_anonymous": anonymous,
            "is_confidential": appeal_type == AppealType.REPORT and self.rng.random() < 0.7,
            "detect_repeat": False,
        }
        if anonymous:
            fields["requester_id_number"] = ""
        if case.citizen:
            fields.update(citizen=self.citizen, requester_name="张三", requester_phone="13800138000")
        fields.update(overrides)
        actor = self.citizen if case.citizen else self.operator
        appeal = self.ex.submit(actor=actor, at=case.submitted_at, **fields)
        case.extra["reply"] = case.leaf[6]
        case.extra["fields"] = fields
        return appeal

    def _run(self, case: _Case) -> None:
        appeal = self._submit(case)
        if case.stop_at == Status.SUBMITTED:
            return
        try:
            if case.flow == "dispatch":
                self._dispatch_flow(appeal, case)
            else:
                self._intake_flow(appeal, case)
        except Stop:
            if self.ex is self.history:
                raise

    def _run_history(self, case: _Case) -> bool:
        """Replay a finished appeal in memory; False when its life reaches into the present."""
        self.ex = self.history
        self.history.begin()
        try:
            self._run(case)
        except Stop:
            return False
        self.history.keep()
        return True

    def _intake_flow(self, appeal: Appeal, case: _Case) -> None:
        op = self.operator
        t = case.submitted_at + self._minutes(2, 9)
        if case.flow == "answer":
            answer = next(a for c, q, a in cat.CONSULTS if q == appeal.title)
            self.act(appeal, case, t, op, Action.ANSWER, note=answer)
        elif case.flow == "refer":
            target, note = case.extra["refer"]
            self.act(appeal, case, t, op, Action.REFER, note=note, refer_target=target)
        elif case.flow == "refuse":
            self.act(appeal, case, t, op, Action.REFUSE, note=case.extra["refuse"])
        else:
            user = self.citizen if case.citizen else op
            self.act(appeal, case, t, user, Action.WITHDRAW, note="诉求人表示问题已自行解决，申请撤回。")

    def _dispatch_flow(self, appeal: Appeal, case: _Case) -> None:
        rng, op = self.rng, self.operator
        hotline = case.channel == Channel.HOTLINE
        t = case.submitted_at + (self._minutes(1, 6) if hotline else self._hours(0.2, 14))
        appeal = self.act(appeal, case, t, op, Action.ACCEPT)
        assert appeal.category is not None and appeal.division is not None
        lead = self._unit_for(appeal.category, appeal.division)
        assists: list[OrgUnit] = []
        if case.assist:
            assists = [rng.choice([u for u in self.departments if u.pk != lead.pk])]
        t += self._minutes(1, 30)
        appeal = self.act(appeal, case, t, op, Action.DISPATCH, lead_unit=lead, assist_units=assists)
        signed = False
        if case.returns:
            t = self._office_hours(t + self._hours(0.5, 8))
            appeal = self.act(
                appeal,
                case,
                t,
                self._handler(lead),
                Action.REQUEST_RETURN,
                note="经核实，该事项属于属地管理范围，不属于本单位职责，申请退回改派。",
            )
            t += self._hours(1, 6)
            if case.returns == "approve":
                alt = self._return_target(lead, appeal.division)
                appeal = self.act(
                    appeal,
                    case,
                    t,
                    op,
                    Action.APPROVE_RETURN,
                    note=f"经审核同意退单，改派{alt.label}办理。",
                    lead_unit=alt,
                )
                lead, assists = alt, []  # the re-dispatch replaces every assignment
            else:
                appeal = self.act(
                    appeal,
                    case,
                    t,
                    op,
                    Action.REJECT_RETURN,
                    note="经审核，该事项在派单目录中属于贵单位职责，驳回退单，请按时办理。",
                )
                signed = True
        handler = self._handler(lead)
        if not signed:
            late_sign = rng.random() < 0.04
            t += self._hours(25, 50) if late_sign else self._hours(0.2, 6)
            appeal = self.act(appeal, case, t, handler, Action.SIGN)
        if assists:
            t = t_assist = self._office_hours(t + self._hours(1, 6))
            self.ex.assist_report(
                appeal, t_assist, self._handler(assists[0]), assists[0], "协办单位已配合现场核查，意见已反馈主办单位。"
            )
        if case.extension:
            t = self._office_hours(t + self._hours(20, 60))
            days = rng.choice([3, 5, 5, 7, 10])
            appeal = self.act(
                appeal,
                case,
                t,
                handler,
                Action.REQUEST_EXTENSION,
                note="该事项需协调多个单位现场会商，短期内无法办结，申请延期。",
                extension_days=days,
            )
            t += self._hours(1, 6)
            if case.extension == "approve":
                appeal = self.act(appeal, case, t, op, Action.APPROVE_EXTENSION, note="情况属实，同意延期。")
            else:
                appeal = self.act(appeal, case, t, op, Action.REJECT_EXTENSION, note="延期理由不充分，请按原时限办理。")
        if case.suspend:
            t = self._office_hours(t + self._hours(6, 40))
            appeal = self.act(appeal, case, t, handler, Action.SUSPEND, note="诉求人外出，暂无法入户核实，中止办理。")
            t = self._office_hours(t + self._hours(40, 140))
            appeal = self.act(appeal, case, t, handler, Action.RESUME)
        if case.supervise:
            t += self._hours(2, 20)
            appeal = self.act(
                appeal, case, t, self.supervisor, Action.SUPERVISE, note="请加快办理进度，按时答复诉求人。"
            )
        self._reply_and_follow_up(appeal, case, t, handler)

    def _reply_and_follow_up(self, appeal: Appeal, case: _Case, t: dt.datetime, handler: User) -> None:
        rng, op = self.rng, self.operator
        for round_ in range(3):
            due = appeal.due_at
            assert due is not None
            if case.stuck:
                t_reply = self.now + dt.timedelta(days=30)
            elif case.late and round_ == 0:
                t_reply = due + self._hours(4, 100)
            else:
                room = max((due - t).total_seconds(), 3600.0)
                t_reply = t + dt.timedelta(seconds=room * rng.uniform(0.1, 0.85))
                if appeal.time_limit_unit == TimeLimitRule.Unit.WORKDAYS:
                    t_reply = min(self._office_hours(t_reply), due)
            if round_ == 0:
                # After the last step so far: a repeat's history line records the status it found,
                # so it must not fall inside an extension request or a suspension already written.
                self._repeat_calls(appeal, case, t, t_reply)
            for lateness in (dt.timedelta(minutes=2), dt.timedelta(days=1, minutes=2), dt.timedelta(days=3, minutes=2)):
                # Only sweeps after the last step so far, so the history stays in time order.
                if t < due + lateness < min(t_reply, self.now):
                    self.sweep(appeal, due + lateness)
            appeal = self.act(appeal, case, t_reply, handler, Action.REPLY, note=self._reply_text(case))
            t = t_reply + self._hours(2, 60)
            outcome = (
                case.outcome if round_ == 0 else rng.choices(["satisfied", "basically", "unsatisfied"], [50, 38, 12])[0]
            )
            resolution, satisfaction = {
                "satisfied": (Resolution.RESOLVED, Satisfaction.SATISFIED),
                "basically": (Resolution.RESOLVED, Satisfaction.BASICALLY),
                "partly": (Resolution.PARTLY, Satisfaction.BASICALLY),
                "unsatisfied": (Resolution.UNRESOLVED, Satisfaction.UNSATISFIED),
            }[outcome]
            follower = self.citizen if case.citizen else op
            appeal = self.act(
                appeal, case, t, follower, Action.FOLLOW_UP, resolution=resolution, satisfaction=satisfaction
            )
            if appeal.status == Status.CLOSED:
                return
            t += self._hours(1, 20)
            if round_ < 2 and rng.random() < 0.7:
                appeal = self.act(
                    appeal, case, t, op, Action.REOPEN, note="回访诉求人表示问题未解决，退回承办单位重新办理。"
                )
                continue
            self.act(
                appeal,
                case,
                t,
                self.supervisor,
                Action.CLOSE,
                note="经督办核实，承办单位已依法依规答复，诉求人要求超出政策规定，予以办结。",
            )
            return

    def _reply_text(self, case: _Case) -> str:
        return f"{case.extra['reply']}已电话联系诉求人告知办理结果。"

    def _return_target(self, lead: OrgUnit, division: Division | None) -> OrgUnit:
        """Where a returned order goes: the street office of the place, else another department."""
        div = division
        while div is not None:
            key = cat.STREET_OFFICES.get(div.code)
            if key and self.structure.units[key].pk != lead.pk:
                return self.structure.units[key]
            div = div.parent
        return self.rng.choice([u for u in self.departments if u.pk != lead.pk])

    def _repeat_calls(self, lead: Appeal, case: _Case, start: dt.datetime, end: dt.datetime) -> None:
        """The same person calls again while the order is open: the service merges it (并单)."""
        fields = {**case.extra["fields"], "citizen": None, "channel": Channel.HOTLINE}
        last = min(end, self.now - dt.timedelta(minutes=10))
        if last <= start:
            return
        for _ in range(case.repeats if fields["requester_phone"] else 0):
            t = start + (last - start) * self.rng.uniform(0.1, 0.9)
            self.ex.submit_repeat(
                lead=lead, actor=self.operator, at=t, **{**fields, "content": f"再次来电：{lead.content}"}
            )
        if case.neighbour_merge:
            t = start + (last - start) * self.rng.uniform(0.1, 0.9)
            neighbour = self.ex.submit(
                actor=self.operator,
                at=t,
                **{
                    **fields,
                    "requester_name": self._name(),
                    "requester_phone": self._phone(),
                    "requester_id_number": "",
                    "is_anonymous": False,
                    "content": f"邻居反映同一问题：{lead.content}",
                },
            )
            self.ex.act(neighbour, t + self._minutes(1, 5), self.operator, Action.MERGE, merge_into=lead)

    # the irrigation-well caller (seed 004) ------------------------------------------------------

    def irrigation_well_case(self) -> Appeal:
        """One farmer calls six times about the electricity price of his irrigation well."""
        op, sup = self.operator, self.supervisor
        gongdian, nongye = self.structure.units["gongdian"], self.structure.units["nongye"]
        power = self._handler(gongdian)
        division = self.structure.divisions["371681101202"]
        phone, name = "15054388216", "孟庆林"
        content = (
            "来电人反映：邹平市韩店镇孟家村本人耕地旁的灌溉用机井，电价每度比家里生活用电还高，"
            "浇一次地要多花几十块钱，认为不合理，希望核查机井电价。"
        )
        fields: dict[str, Any] = {
            "channel": Channel.HOTLINE,
            "appeal_type": AppealType.COMPLAINT,
            "title": "灌溉机井电价高于家庭用电价",
            "category": self.structure.categories["1101"],
            "division": division,
            "address": "邹平市韩店镇孟家村村东机井",
            "requester_name": name,
            "requester_phone": phone,
        }
        t = timezone.localtime(self.now - dt.timedelta(days=150)).replace(hour=9, minute=12)
        lead = services.appeal_submit(actor=op, now=t, content=content, detect_repeat=False, **fields).appeal

        def step(delta: dt.timedelta, user: Any, action: str, **payload: Any) -> None:
            nonlocal t, lead
            t = t + delta
            lead = services.appeal_transition(actor=user, appeal=lead.pk, action=action, now=t, **payload)

        def call_again(delta: dt.timedelta, text: str) -> None:
            nonlocal t
            t = t + delta
            result = services.appeal_submit(actor=op, now=t, content=f"{text}{content[6:]}", **fields)
            assert result.repeat_of is not None and result.repeat_of.pk == lead.pk, "irrigation repeat not merged"

        step(dt.timedelta(minutes=4), op, Action.ACCEPT)
        step(dt.timedelta(minutes=6), op, Action.DISPATCH, lead_unit=gongdian, assist_units=[nongye])
        step(dt.timedelta(hours=3), power, Action.SIGN)
        services.appeal_assist_report(
            actor=self._handler(nongye),
            appeal_id=lead.pk,
            note="农业农村局意见：该机井属小农水项目，产权已移交村集体。",
            now=t + dt.timedelta(hours=20),
        )
        call_again(dt.timedelta(days=2), "来电人再次来电，至今没人给说法：")
        step(
            dt.timedelta(days=1),
            power,
            Action.REPLY,
            note="经核实，该机井执行农业生产电价，每千瓦时低于居民生活电价，供电公司未多收费用。",
        )
        step(
            dt.timedelta(days=1),
            op,
            Action.FOLLOW_UP,
            resolution=Resolution.UNRESOLVED,
            satisfaction=Satisfaction.UNSATISFIED,
        )
        step(dt.timedelta(hours=2), op, Action.REOPEN, note="诉求人称实际缴费高于生活电价，请核实村里收费情况。")
        call_again(dt.timedelta(days=3), "来电人第三次来电，称村里收费标准不清楚：")
        call_again(dt.timedelta(days=2), "来电人又来电，称马上要春灌了：")
        step(
            dt.timedelta(days=1),
            sup,
            Action.SUPERVISE,
            note="该诉求人多次来电，请供电公司会同农业农村部门、镇村查明原因。",
        )
        step(
            dt.timedelta(hours=5),
            power,
            Action.REPLY,
            note="经再次核实，供电公司按农业生产电价收费，差价系村里代收的机井维护费用。",
        )
        step(
            dt.timedelta(days=1),
            op,
            Action.FOLLOW_UP,
            resolution=Resolution.PARTLY,
            satisfaction=Satisfaction.UNSATISFIED,
        )
        step(dt.timedelta(hours=3), op, Action.REOPEN, note="诉求人对维护费用收取标准仍有异议，请组织镇村联合处理。")
        call_again(dt.timedelta(days=2), "来电人来电，要求村里公开机井维护费：")
        call_again(dt.timedelta(days=3), "来电人第六次来电，要求公开维护费用明细：")
        step(
            dt.timedelta(days=2),
            power,
            Action.REPLY,
            note=(
                "韩店镇组织孟家村、管区、供电所、农业农村部门及小农水项目单位召开联席会议：机井属小农水项目，"
                "产权移交村集体，维护费用此前计入电费收取。现已由村委会公开维护费用明细，按实际支出分摊，"
                "诉求人认可。"
            ),
        )
        step(
            dt.timedelta(days=1),
            op,
            Action.FOLLOW_UP,
            resolution=Resolution.RESOLVED,
            satisfaction=Satisfaction.BASICALLY,
        )
        return lead

    # the whole run ------------------------------------------------------------------------------

    def build(self, n_appeals: int) -> Counter[str]:
        """Generate the appeals; returns how many ended in each status."""
        cases = [self._case(t) for t in self._submitted_times(max(n_appeals - 6, 0))]
        live: list[_Case] = []
        # The demo must not "text" thousands of made-up phone numbers, and the counters are
        # rebuilt once at the end instead of being kept row by row.
        with (
            mock.patch("huying.appeals.services.send_sms"),
            mock.patch("huying.appeals.stats.apply_delta"),
            transaction.atomic(),
        ):
            for case in cases:
                settled = self.now - case.submitted_at > dt.timedelta(days=12)
                if not (settled and not case.stop_at and not case.stuck and self._run_history(case)):
                    live.append(case)
            written = self.history.flush()
            self.ex = self.services
            self.irrigation_well_case()
            for case in live:
                self._run(case)
            marked = services.appeals_sweep_overdue(now=self.now)
            stats.stats_rebuild()
        self.log(
            f"历史工单批量写入 {written} 件，近期工单经业务服务生成 {len(live) + 6} 件；超期巡检标记/升级 {marked} 件。"
        )
        return Counter(Appeal.objects.values_list("status", flat=True))
