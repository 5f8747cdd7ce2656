"""Demo grid layer: three streets of the seed places with grids, grid workers, liaison members,
a few thousand households with tags and valid ID numbers, a season of visits and a few tasks.

- 滨城区 市中街道 (黄河社区, 渤海社区) and 市西街道 (碧林社区), around 117.97 E 37.38 N;
- 章丘区 双山街道 (山泉社区), around 117.53 E 36.71 N;
- 招远市 辛庄镇 with its 党建示范区 over two villages (示范区 → 村 → 联户党员), around 120.30 E 37.45 N.

Grids are a lattice of rectangles (WGS-84), so they never overlap. Households, residents, tags and
visits are bulk-inserted and the counters rebuilt once (``grid_counts_rebuild``). Idempotent: a
layer that already has grids is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.core.validators import id_check_char
from huying.grids import services
from huying.grids.cadence import due_on, effective_interval
from huying.grids.models import Grid, GridStaff, GridTaskAssignment, Household, Resident, Tag, Visit
from huying.grids.services import tasks as task_services
from huying.organisations.models import Division, OrgUnit

from ..registry import DemoRun
from . import places
from .appeals_structure import DEMO_PASSWORD

CELL = 0.004  # degrees: a grid of about 350 m × 450 m
HOUSEHOLDS_PER_GRID = 160
CASES = 12  # findings of the demo worker's grid turned into appeals on the visit channel
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英玉兰志强桂英海燕明亮淑珍德胜凤英立新红梅长海丽华文斌"
ROADS = ["黄河路", "渤海路", "新立河路", "长江路", "黄河五路", "渤海七路", "明泉路", "龙山路", "金城路", "罗峰路"]
TAG_SHARE = {"lone_elderly": 0.05, "lone_high_age": 0.02, "high_age": 0.08, "dibao": 0.04, "tekun": 0.01,
             "disabled": 0.03, "left_behind_child": 0.02, "veteran": 0.03}  # fmt: skip

# (street key, street name, street division, parent unit name, parent division, communities, origin lon/lat, zone)
# communities: (unit name, short name, 12-digit code, grids)
PLACES: list[dict[str, Any]] = [
    {"street": "滨城区市中街道办事处", "communities": [("市中街道黄河社区居民委员会", "黄河社区", "371602001001", 3),
                                                     ("市中街道渤海社区居民委员会", "渤海社区", "371602001002", 2)],
     "origin": (117.960, 37.370), "zone": None},
    {"street": "滨城区市西街道办事处", "communities": [("市西街道碧林社区居民委员会", "碧林社区", "371602004001", 3)],
     "origin": (117.930, 37.370), "zone": None},
    {"street": "章丘区双山街道办事处", "division": ("370114002", "双山街道", "370114"), "parent": ("章丘区人民政府", "370114"),
     "communities": [("双山街道山泉社区居民委员会", "山泉社区", "370114002001", 3)], "origin": (117.530, 36.700), "zone": None},
    {"street": "招远市辛庄镇人民政府", "division": ("370685102", "辛庄镇", "370685"), "parent": ("招远市人民政府", "370685"),
     "communities": [("辛庄镇宅上村村民委员会", "宅上村", "370685102201", 2), ("辛庄镇马埠庄村村民委员会", "马埠庄村", "370685102202", 2)],
     "origin": (120.300, 37.450), "zone": "辛庄镇第一党建示范区"},
]  # fmt: skip
# Demo accounts of the grid layer (printed in the account table when present).
GRID_WORKER_USER = "wanggeyuan"
LIAISON_USER = "lianhu"


def _rect(lon: float, lat: float, width: float = CELL, height: float = CELL) -> dict[str, Any]:
    ring = [[lon, lat], [lon + width, lat], [lon + width, lat + height], [lon, lat + height], [lon, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def _division(code: str, name: str, level: str, parent_code: str) -> Division:
    found = Division.objects.filter(code=code, valid_to__isnull=True).first()
    if found is not None:
        return found
    parent = Division.objects.filter(code=parent_code, valid_to__isnull=True).first()
    return Division.objects.create(code=code, name=name, level=level, parent=parent)


def _street(place: dict[str, Any]) -> OrgUnit:
    if "parent" not in place:
        return OrgUnit.objects.get(name=place["street"])
    parent_name, parent_div = place["parent"]
    parent = places.unit(
        parent_name, OrgUnit.Kind.GOVERNMENT, None, division=Division.objects.filter(code=parent_div).first()
    )
    code, name, county = place["division"]
    return places.unit(
        place["street"], OrgUnit.Kind.TOWNSHIP, parent, division=_division(code, name, "township", county)
    )


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))


class _Ids:
    """Valid, unique 公民身份号码 of the place's county (address code in force since 2000)."""

    def __init__(self) -> None:
        self.n = 0
        self.used: set[str] = set()

    def make(self, county: str, birth: dt.date) -> str:
        while True:
            self.n += 1
            body = f"{county}{birth:%Y%m%d}{self.n % 1000:03d}"
            if body not in self.used:
                self.used.add(body)
                return body + id_check_char(body)


def _users(password: str) -> dict[str, User]:
    users = {}
    for username, display in ((GRID_WORKER_USER, "赵网格"), (LIAISON_USER, "李党员")):
        user = User.objects.filter(username=username).first() or User.objects.create(
            username=username, display_name=display, password=password
        )
        users[username] = user
    return users


def _build_layer() -> list[Grid]:
    today = timezone.localdate()
    since = today.replace(day=1) - dt.timedelta(days=120)
    grids: list[Grid] = []
    for place in PLACES:
        street = _street(place)
        lon0, lat0 = place["origin"]
        zone = None
        if place["zone"]:
            zone_name = place["zone"]
            width = CELL * max(c[-1] for c in place["communities"])
            zone = services.grid_create(actor=None, unit=street, code=f"{place['division'][0]}000001",
                                        name=zone_name, boundary=_rect(lon0, lat0, width, CELL * len(place["communities"])),
                                        level=Grid.Level.DEMO_ZONE, valid_from=since)  # fmt: skip
        for row, (name, short, code, n) in enumerate(place["communities"]):
            division = _division(code, short, "village", code[:9])
            community = places.unit(name, OrgUnit.Kind.COMMUNITY, street, division=division)
            for col in range(n):
                grids.append(
                    services.grid_create(
                        actor=None,
                        unit=community,
                        code=f"{code}{col + 1:03d}",
                        name=f"{division.name}第{col + 1}网格",
                        boundary=_rect(lon0 + col * CELL, lat0 + row * CELL),
                        parent=zone,
                        supervision_phone="0543-3161234",
                        valid_from=since,
                    )
                )
    return grids


def _build_staff(grids: list[Grid], users: dict[str, User], rng: random.Random) -> dict[int, list[GridStaff]]:
    liaisons: dict[int, list[GridStaff]] = {}
    for i, grid in enumerate(grids):
        user = users[GRID_WORKER_USER] if i == 0 else None
        services.grid_staff_add(actor=None, grid=grid, kind=GridStaff.Kind.FULL_TIME, name="赵网格" if i == 0 else _person(rng),
                                phone=f"139054{i:05d}", user=user, is_leader=True, valid_from=grid.valid_from)  # fmt: skip
        posts = []
        for j in range(3):
            user = users[LIAISON_USER] if i == 0 and j == 0 else None
            posts.append(services.grid_staff_add(actor=None, grid=grid, kind=GridStaff.Kind.LIAISON, name="李党员" if user else _person(rng),
                                                 phone=f"137054{i:03d}{j:02d}", user=user, valid_from=grid.valid_from))  # fmt: skip
        liaisons[grid.pk] = posts
    return liaisons


def _build_households(grids: list[Grid], liaisons: dict[int, list[GridStaff]], rng: random.Random) -> None:
    tags = {t.code: t for t in Tag.objects.all()}
    ids = _Ids()
    households = []
    for grid in grids:
        for k in range(HOUSEHOLDS_PER_GRID):
            households.append(Household(grid=grid, number=f"{k + 1:04d}", address=f"{rng.choice(ROADS)}{rng.randint(1, 800)}号",
                                        phone=f"138{rng.randint(0, 99999999):08d}", liaison=liaisons[grid.pk][k % 3],
                                        resident_count=rng.randint(1, 4)))  # fmt: skip
    Household.objects.bulk_create(households, batch_size=1000)
    households = list(Household.objects.filter(grid__in=grids).select_related("grid"))
    residents, links = [], []
    for h in households:
        county = h.grid.area_code[:6]
        for m in range(h.resident_count):
            birth = dt.date(
                rng.randint(2000, 2015) if m >= 2 else rng.randint(1940, 1990), rng.randint(1, 12), rng.randint(1, 28)
            )
            relation = (
                Resident.Relation.HEAD if m == 0 else Resident.Relation.SPOUSE if m == 1 else Resident.Relation.CHILD
            )
            residents.append(Resident(household=h, name=_person(rng), id_number=ids.make(county, birth), relation=relation, birth_date=birth))  # fmt: skip
        links += [Household.tags.through(household_id=h.pk, tag_id=tags[c].pk) for c, p in TAG_SHARE.items() if c in tags and rng.random() < p]  # fmt: skip
    Resident.objects.bulk_create(residents, batch_size=2000)
    Household.tags.through.objects.bulk_create(links, batch_size=2000)


def _build_visits(grids: list[Grid], rng: random.Random) -> int:
    """About four months of monthly visits (most households each month, fewer this month)."""
    now = timezone.now()
    this_month = timezone.localdate().replace(day=1)
    intervals: dict[int, list[int | None]] = {}
    for hid, interval in Household.tags.through.objects.values_list("household_id", "tag__visit_interval_days"):
        intervals.setdefault(hid, []).append(interval)
    visits, updates = [], []
    for h in Household.objects.filter(grid__in=grids).select_related("liaison"):
        last = None
        for months_back in (3, 2, 1, 0):
            start = (this_month - dt.timedelta(days=28 * months_back)).replace(day=1)
            if rng.random() > (0.45 if months_back == 0 else 0.9):
                continue
            at = timezone.make_aware(dt.datetime.combine(start, dt.time(9)) + dt.timedelta(days=rng.randint(0, 24), hours=rng.randint(0, 8)))  # fmt: skip
            if at >= now:
                continue
            visits.append(Visit(household=h, visitor=h.liaison, visited_at=at, channel=rng.choice(list(Visit.Channel.values)[:2]),
                                summary="入户走访，了解家庭近况。"))  # fmt: skip
            last = at
        h.last_visited_at = last
        h.visit_due_on = due_on(last_visited_at=last, interval_days=effective_interval(None, intervals.get(h.pk, [])),
                                registered_on=timezone.localdate(h.created_at))  # fmt: skip
        updates.append(h)
    Visit.objects.bulk_create(visits, batch_size=2000)
    Household.objects.bulk_update(updates, ["last_visited_at", "visit_due_on"], batch_size=1000)
    return len(visits)


def _build_tasks(grids: list[Grid], worker: User) -> None:
    """A cold-wave task from each street; the demo grid worker has claimed theirs."""
    today = timezone.localdate()
    streets = {g.unit.parent_id: g.unit.parent for g in grids if g.unit.parent is not None}
    for street in sorted(streets.values(), key=lambda u: u.path):
        task_services.task_create(actor=None, unit=street, title="寒潮期间走访所有独居老人", kind="visit",
                                  description="逐户查看取暖、用电和饮食情况，发现问题当场上报。", due=today + dt.timedelta(days=7))  # fmt: skip
    first = GridTaskAssignment.objects.filter(grid=grids[0]).first()
    if first is not None:
        task_services.task_claim(actor=worker, assignment_id=first.pk, version=first.version)


def _build_cases(grid: Grid, worker: User, rng: random.Random) -> int:
    """The demo worker's visits this week whose findings became appeals (open cases on the map)."""
    lon, lat = grid.boundary["coordinates"][0][0]
    made = 0
    texts = [("safety", "楼道堆放杂物，存在消防隐患。"), ("environment", "小区垃圾清运不及时。"),
             ("livelihood", "独居老人家中暖气不热。"), ("dispute", "邻里因停车位发生纠纷。")]  # fmt: skip
    for h in Household.objects.filter(grid=grid).order_by("number")[:CASES]:
        visit = services.visit_record(actor=worker, household=h, visited_at=timezone.now() - dt.timedelta(days=rng.randint(1, 6)),
                                      findings=[texts[made % len(texts)]], latitude=f"{lat + CELL / 2:.6f}",
                                      longitude=f"{lon + CELL * rng.uniform(0.2, 0.8):.6f}")  # fmt: skip
        services.visit_finding_to_appeal(actor=worker, finding=visit.findings.get(), auto_dispatch=False)
        made += 1
    return made


def _grant_roles(grids: list[Grid], users: dict[str, User]) -> None:
    first = grids[0].unit
    for username, role in ((GRID_WORKER_USER, Role.GRID_WORKER), (LIAISON_USER, Role.LIAISON)):
        RoleAssignment.objects.get_or_create(user=users[username], role=role, org_unit=first)


def build(run: DemoRun) -> None:
    if Grid.objects.exists():
        run.write("网格演示数据：已有网格，跳过。")
        return
    rng = random.Random(run.seed)
    with transaction.atomic():
        users = _users(make_password(DEMO_PASSWORD))
        grids = _build_layer()
        liaisons = _build_staff(grids, users, rng)
        _build_households(grids, liaisons, rng)
        visits = _build_visits(grids, rng)
        services.grid_counts_rebuild()
        _grant_roles(grids, users)
        _build_tasks(grids, users[GRID_WORKER_USER])
        cases = _build_cases(grids[0], users[GRID_WORKER_USER], rng)
    households = Household.objects.count()
    run.write(
        run.success(
            f"网格演示数据已生成：{len(grids)} 个网格，{households} 户，{visits} 次走访，{cases} 件走访转诉求。"
        )
    )
