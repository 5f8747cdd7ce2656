"""Small grid worlds for the tests, built through the services."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from huying.accounts.models import User
from huying.grids import services
from huying.grids.models import Grid, GridStaff
from huying.organisations.models import OrgUnit

AREA = "371602001001"  # 滨城区 · a street (001) · a community (001)
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def make_id(n: int, birth: str = "19800101") -> str:
    """A valid GB 11643 number (ISO 7064 MOD 11-2 check). The address code is the one in force at
    birth: 滨城区 371602 exists since 2000; before that, 惠民县 372321."""
    region = "371602" if birth >= "2000" else "372321"
    body = f"{region}{birth}{n % 1000:03d}"
    return body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
    }


@dataclass
class GridWorld:
    community: OrgUnit
    west: Grid  # 118.00–118.01 E, 37.00–37.01 N
    east: Grid  # 118.01–118.02 E
    worker: User  # 专职网格员 of west
    liaison: User  # 联户党员 of west
    east_worker: User
    worker_post: GridStaff
    liaison_post: GridStaff


def user(username: str) -> User:
    return User.objects.create_user(username=username, password="pass-1234-huying", display_name=username)


def build(world: Any) -> GridWorld:
    community = world.community
    west = services.grid_create(
        actor=None,
        unit=community,
        code=AREA + "001",
        name="黄河社区第1网格",
        boundary=square(118.0, 37.0),
        supervision_phone="0543-3161234",
    )
    east = services.grid_create(
        actor=None, unit=community, code=AREA + "002", name="黄河社区第2网格", boundary=square(118.01, 37.0)
    )
    worker, liaison, east_worker = user("zhaofeng"), user("party1"), user("east1")
    worker_post = services.grid_staff_add(
        actor=None,
        grid=west,
        kind=GridStaff.Kind.FULL_TIME,
        name="赵锋",
        phone="13905431234",
        user=worker,
        is_leader=True,
    )
    liaison_post = services.grid_staff_add(
        actor=None, grid=west, kind=GridStaff.Kind.LIAISON, name="李党员", phone="13905435678", user=liaison
    )
    services.grid_staff_add(
        actor=None, grid=east, kind=GridStaff.Kind.FULL_TIME, name="钱网格", phone="13905439999", user=east_worker
    )
    return GridWorld(community, west, east, worker, liaison, east_worker, worker_post, liaison_post)


REGISTER_HEADERS = [
    "网格编码",
    "户号",
    "住址",
    "户联系电话",
    "联户党员电话",
    "户标签",
    "姓名",
    "与户主关系",
    "身份证号",
    "个人联系电话",
]


def register_xlsx(rows: list[list[Any]]) -> io.BytesIO:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(REGISTER_HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out
