"""Fixtures of the ratings tests: fake rated acts registered for every kind (and removed after),
hall and hotline staff, a case put into any status through the services. (``client_for`` and
``problem`` come from tests.fixtures.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.core.registry import RatedAct, rating_acts
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create
from huying.ratings import services
from huying.ratings.models import RectificationCase
from huying.ratings.states import CaseAction, CaseStatus, Channel, Resolution, RevisitView
from tests.fixtures import World, make_user

KINDS = ("application", "window_visit", "appeal")
# A Monday in a year chinesecalendar covers; rated the next day unless a test says otherwise.
ACT_AT = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))
RATED_AT = ACT_AT + dt.timedelta(days=1)


@dataclass
class FakeActs:
    acts: dict[tuple[str, str], RatedAct] = field(default_factory=dict)
    counter: int = 0

    def add(
        self,
        *,
        unit: OrgUnit | None,
        rater: User | None = None,
        kind: str = "application",
        ref: str = "",
        phone: str = "13800138000",
        occurred_at: dt.datetime = ACT_AT,
        title: str = "",
        served_by: tuple[User, ...] = (),
    ) -> RatedAct:
        self.counter += 1
        ref = ref or f"B{self.counter:06d}"
        act = RatedAct(
            kind=kind,
            ref=ref,
            title=title or f"测试事项{self.counter}",
            unit_id=unit.pk if unit else None,
            rater_user_id=rater.pk if rater else None,
            rater_phone=phone,
            occurred_at=occurred_at,
            served_by=frozenset(u.pk for u in served_by),
        )
        self.acts[(kind, ref)] = act
        return act

    def resolver(self, kind: str) -> Callable[[str], RatedAct | None]:
        return lambda ref: self.acts.get((kind, ref))

    def sampler(self, kind: str) -> Callable[[int], list[RatedAct]]:
        return lambda limit: [a for (k, _), a in self.acts.items() if k == kind][:limit]


def _swap(registry: Any, items: dict[str, Any]) -> dict[str, Any]:
    saved = dict(registry._items)
    for key, item in items.items():
        registry._items[key] = item
    return saved


@pytest.fixture
def acts() -> Iterator[FakeActs]:
    fake = FakeActs()
    saved_acts = _swap(rating_acts, {k: fake.resolver(k) for k in KINDS})
    yield fake
    rating_acts._items.clear()
    rating_acts._items.update(saved_acts)


@dataclass
class Hall:
    hall: OrgUnit
    clerk: User
    hall_manager: User
    urban_clerk: User  # 综合窗口 staff of 城管局: unit staff for its cases
    housing_reviewer: User
    urban_supervisor: User  # supervises 城管局 only


@pytest.fixture
def hall(world: World) -> Hall:
    centre = org_unit_create(name="滨州市政务服务中心", kind=OrgUnit.Kind.DEPARTMENT, parent=world.city)
    return Hall(
        hall=centre,
        clerk=make_user("clerk", Role.CLERK, centre, display_name="窗口甲"),
        hall_manager=make_user("hallmgr", Role.HALL_MANAGER, centre, display_name="大厅乙"),
        urban_clerk=make_user("urbanclerk", Role.CLERK, world.urban, display_name="城管窗口"),
        housing_reviewer=make_user("housingrev", Role.REVIEWER, world.housing, display_name="住建审批"),
        urban_supervisor=make_user("urbansup", Role.SUPERVISOR, world.urban, display_name="城管督查"),
    )


def rate_bad(world: World, acts: FakeActs, *, level: int = 2, now: dt.datetime = RATED_AT, **kw: Any) -> Any:
    act = acts.add(unit=kw.pop("unit", world.urban), rater=kw.pop("rater", world.citizen), **kw)
    return services.rating_submit(
        kind=act.kind, ref=act.ref, level=level, channel=Channel.WEB, user=world.citizen, comment="窗口态度差", now=now
    )


# The steps that bring a case from OPEN to each status, with the actor of each.
PATH: list[tuple[str, dict[str, Any]]] = [
    (CaseAction.VERIFY, {"note": "已电话联系评价人，情况属实", "contact_person": "李承办"}),
    (CaseAction.RECTIFY, {"note": "已对窗口人员批评教育"}),
    (CaseAction.ANSWER, {"note": "已整改，感谢监督"}),
    (CaseAction.REVISIT, {"note": "评价人认可整改", "revisit_view": RevisitView.SATISFIED}),
    (CaseAction.CLOSE, {"note": ""}),
]
STEPS_TO = {
    CaseStatus.OPEN: 0,
    CaseStatus.VERIFIED: 1,
    CaseStatus.RECTIFIED: 2,
    CaseStatus.ANSWERED: 3,
    CaseStatus.REVISITED: 4,
    CaseStatus.CLOSED: 5,
}


def payload_for(action: str) -> dict[str, Any]:
    if action == CaseAction.EXPLAIN:
        return {
            "note": "需协调相关部门",
            "resolution": Resolution.SCHEDULED,
            "ledger_entry": "台账2026-001",
            "rectify_by": "2026-12-31",
        }
    return dict(next((p for a, p in PATH if a == action), {"note": "说明"}))


def case_in(
    world: World, acts: FakeActs, status: str, *, revisit_view: str = RevisitView.SATISFIED, **kw: Any
) -> RectificationCase:
    """A bad rating's case taken along PATH to ``status`` (the 回访 records ``revisit_view``)."""
    rating = rate_bad(world, acts, **kw)
    case = rating.case
    if status == CaseStatus.EXPLAINED:
        case = services.case_transition(
            actor=world.handler, case=case, action=CaseAction.VERIFY, now=RATED_AT, **payload_for(CaseAction.VERIFY)
        )
        return services.case_transition(
            actor=world.handler, case=case, action=CaseAction.EXPLAIN, now=RATED_AT, **payload_for(CaseAction.EXPLAIN)
        )
    for action, payload in PATH[: STEPS_TO[CaseStatus(status)]]:
        if action == CaseAction.REVISIT:
            payload = {**payload, "revisit_view": revisit_view}
        case = services.case_transition(actor=world.handler, case=case, action=action, now=RATED_AT, **payload)
    assert case.status == status
    return RectificationCase.objects.get(pk=case.pk)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
