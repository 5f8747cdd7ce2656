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
from typing import Any

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from huying.accounts.models import RoleAssignment
from huying.accounts.roles import Role
from huying.appeals import services, stats
from huying.appeals.models import Appeal
from huying.appeals.states import AppealType, Channel, Status, Urgency
from huying.core.notify import sms_muted
from huying.core.validators import id_check_char
from huying.organisations.models import OrgUnit

from . import appeals_data as cat
from . import appeals_voice
from .appeals_flows import Case, CaseSteps
from .appeals_history import HistoryExecutor, ServiceExecutor, Stop
from .appeals_irrigation import irrigation_well_case
from .appeals_structure import ensure_accounts, ensure_structure

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


class DemoBuilder(CaseSteps):
    def __init__(self, *, seed: int, now: dt.datetime | None = None, log: Callable[[str], None] = print):
        self.rng = random.Random(seed)
        self.now = now or timezone.now()
        self.log = log
        self.structure = ensure_structure()
        self.users = ensure_accounts(self.structure)
        self.operator = self.users["operator"]
        self.supervisor = self.users["supervisor"]
        self.citizen = self.users["citizen"]
        self.handlers = {}
        for ra in RoleAssignment.objects.filter(role=Role.HANDLER).select_related("user"):
            self.handlers.setdefault(ra.org_unit_id, ra.user)
        self._route_cache: dict[tuple[int, int], OrgUnit] = {}
        self._deck: list[cat.Leaf] = []
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

    def _id_number(self, division_code: str) -> str:
        """A valid 18-digit ID number: check digit computed, county code in force at birth."""
        county = division_code[:6]
        for _ in range(50):
            birth = dt.date(1950, 1, 1) + dt.timedelta(days=self.rng.randrange(365 * 52))
            for code in [county, *cat.PREDECESSOR_CODES.get(county, [])]:
                body = f"{code}{birth:%Y%m%d}{self.rng.randrange(1, 1000):03d}"
                number = body + id_check_char(body)
                if ric.is_valid(number):
                    return number
        return ""

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

    def _case(self, submitted_at: dt.datetime) -> Case:
        rng = self.rng
        parent = rng.choices(list(_PARENT_WEIGHTS), weights=list(_PARENT_WEIGHTS.values()))[0]
        # Every matter of the 派单目录 comes up through the year (dealt like cards from a shuffled
        # deck, so each has enough handled appeals to learn and measure from); the parents' weights
        # tilt the rest.
        leaf = rng.choice(self.leaves_by_parent[parent]) if rng.random() < 0.2 else self._next_leaf()
        place = rng.choices(cat.PLACES, weights=[p[2] for p in cat.PLACES])[0]
        channel = rng.choices(list(_CHANNEL_WEIGHTS), weights=list(_CHANNEL_WEIGHTS.values()))[0]
        case = Case(submitted_at=submitted_at, leaf=leaf, place=place, channel=channel)
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

    def _next_leaf(self) -> cat.Leaf:
        if not self._deck:
            self._deck = list(cat.LEAVES)
            self.rng.shuffle(self._deck)
        return self._deck.pop()

    def _texts(self, case: Case) -> tuple[str, str, str]:
        """Title, content and address from the category's templates and the place."""
        _code, _name, _unit, _kw, title, content, _reply = case.leaf
        _div, label, _w, roads, compounds = case.place
        road, compound = self.rng.choice(roads), self.rng.choice(compounds)
        values = {"place": label, "road": road, "xiaoqu": compound, "n": self.rng.randrange(1, 30)}
        content = content.format(**values).replace("来电人反映：", _CHANNEL_OPENERS[case.channel], 1)
        extra = self.rng.choice(_EXTRAS)
        other = self.rng.choice(cat.LEAVES)[5].format(**values)
        title, content = appeals_voice.retell(
            self.rng,
            channel=case.channel,
            content=content + extra,
            title=title.format(**values),
            other=other,
            values=values,
        )
        address = f"{label}{compound}" if "{xiaoqu}" in case.leaf[5] else f"{label}{road}"
        return title[:120] or case.leaf[1], content, address

    def _submit(self, case: Case, **overrides: Any) -> Appeal:
        code = case.leaf[0]
        division = self.structure.divisions[case.place[0]]
        title, content, address = self._texts(case)
        county = case.place[0][:6]
        lat, lon = cat.COUNTY_CENTRES[county]
        if case.flow == "answer":
            cat_code, question, _answer = self.rng.choice(cat.CONSULTS)
            values = {"place": case.place[1], "road": case.place[3][0], "xiaoqu": case.place[4][0], "n": 1}
            said = appeals_voice.retell_question(self.rng, channel=case.channel, question=question, values=values)
            code, title, content = cat_code, question, f"{_CHANNEL_OPENERS[case.channel]}{said}"
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

    def _run(self, case: Case) -> None:
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

    def _run_history(self, case: Case) -> bool:
        """Replay a finished appeal in memory; False when its life reaches into the present."""
        self.ex = self.history
        self.history.begin()
        try:
            self._run(case)
        except Stop:
            return False
        self.history.keep()
        return True

    def build(self, n_appeals: int) -> Counter[str]:
        """Generate the appeals; returns how many ended in each status."""
        cases = [self._case(t) for t in self._submitted_times(max(n_appeals - 6, 0))]
        live: list[Case] = []
        # The demo must not "text" thousands of made-up phone numbers. The bulk-written history
        # bypasses the counters, so they are rebuilt once at the end.
        with sms_muted(), transaction.atomic():
            for case in cases:
                settled = self.now - case.submitted_at > dt.timedelta(days=12)
                if not (settled and not case.stop_at and not case.stuck and self._run_history(case)):
                    live.append(case)
            written = self.history.flush()
            self.ex = self.services
            irrigation_well_case(self)
            for case in live:
                self._run(case)
            marked = services.appeals_sweep_overdue(now=self.now)
            stats.stats_rebuild()
        self.log(
            f"历史工单批量写入 {written} 件，近期工单经业务服务生成 {len(live) + 6} 件；超期巡检标记/升级 {marked} 件。"
        )
        return Counter(Appeal.objects.values_list("status", flat=True))
