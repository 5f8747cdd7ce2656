"""A small doorstep world: 招远's county hall, 张星镇's centre and 徐家党建示范区 (a village centre)
with its proxy list, the pension item, a village clerk, the town window's clerk and a reviewer."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.catalogue.models import Material, ServiceItem
from huying.catalogue.tests.factories import make_item
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create
from huying.servicepoints import services
from huying.servicepoints.models import CentreClerk, ServicePoint
from huying.servicepoints.spatial import point_index_invalidate
from huying.servicepoints.states import Kind
from tests.fixtures import make_user

PENSION = "371685000000010000001"  # 城乡居民基本养老保险待遇领取
DISABILITY = "371685000000010000002"  # 困难残疾人生活补贴
RESIDENT_ID = "372725196411070029"  # 柴大妈, 60 (the county code in force at her birth)


@dataclass
class Doorstep:
    town: OrgUnit
    village: OrgUnit
    pension: ServiceItem
    disability: ServiceItem
    hall: ServicePoint  # 招远市政务服务中心 (accepts)
    town_centre: ServicePoint  # 张星镇便民服务中心 (accepts)
    centre: ServicePoint  # 徐家党建示范区党群服务中心 (proxies)
    other: ServicePoint  # 金岭镇大户陈家 centre, another clerk's
    clerk: User  # 代办员 of the centre
    other_clerk: User
    window: User  # comprehensive window of the town
    reviewer: User


def point(code: str, name: str, kind: str, lon: float, lat: float, unit: OrgUnit | None = None) -> ServicePoint:
    data = {
        "code": code,
        "name": name,
        "kind": kind,
        "address": name,
        "longitude": lon,
        "latitude": lat,
        "hours": "8:30-17:00",
        "windows": 2,
    }
    return services.point_save(actor=None, data=data, unit=unit)


def build(world: Any) -> Doorstep:
    point_index_invalidate()
    zhaoyuan = org_unit_create(name="招远市人民政府", kind=OrgUnit.Kind.GOVERNMENT, parent=world.city)
    renshe = org_unit_create(name="招远市人力资源和社会保障局", kind=OrgUnit.Kind.DEPARTMENT, parent=zhaoyuan)
    town = org_unit_create(name="招远市张星镇人民政府", kind=OrgUnit.Kind.TOWNSHIP, parent=zhaoyuan)
    village = org_unit_create(name="张星镇徐家党建示范区", kind=OrgUnit.Kind.COMMUNITY, parent=town)
    jinling = org_unit_create(name="招远市金岭镇人民政府", kind=OrgUnit.Kind.TOWNSHIP, parent=zhaoyuan)
    pension = make_item(
        PENSION,
        "城乡居民基本养老保险待遇领取",
        renshe,
        item_type=ServiceItem.ItemType.PUBLIC_SERVICE,
        applicant_kind=ServiceItem.ApplicantKind.PERSON,
        legal_days=20,
        promised_days=5,
        conditions="年满60周岁、累计缴费满15年的城乡居民基本养老保险参保人。",
        max_visits=2,
    )
    Material.objects.create(item=pension, key="id_card", name="申请人居民身份证", sort=0)
    Material.objects.create(item=pension, key="bank_card", name="社会保障卡或银行卡", sort=1)
    disability = make_item(
        DISABILITY,
        "困难残疾人生活补贴申请",
        renshe,
        item_type=ServiceItem.ItemType.PUBLIC_SERVICE,
        applicant_kind=ServiceItem.ApplicantKind.PERSON,
    )
    hall = point("ZY-HALL", "招远市政务服务中心", Kind.COUNTY_HALL, 120.4340, 37.3550, zhaoyuan)
    town_centre = point("ZY-ZX", "张星镇便民服务中心", Kind.TOWNSHIP_CENTRE, 120.3010, 37.4700, town)
    centre = point("ZY-ZX-XJ", "徐家党建示范区党群服务中心", Kind.PARTY_CENTRE, 120.2950, 37.4820, village)
    other = point("ZY-JL-DHCJ", "大户陈家党建示范区党群服务中心", Kind.PARTY_CENTRE, 120.2290, 37.3120, jinling)
    for p in (hall, town_centre):
        services.point_set_items(actor=None, point=p, accepts=[PENSION, DISABILITY])
    for p in (centre, other):
        services.point_set_items(actor=None, point=p, guides=[PENSION], proxies=[PENSION])
    clerk = make_user("xujia", Role.VILLAGE_CLERK, village, display_name="徐家代办员")
    other_clerk = make_user("jinling", Role.VILLAGE_CLERK, jinling, display_name="金岭代办员")
    CentreClerk.objects.create(point=centre, user=clerk)
    CentreClerk.objects.create(point=other, user=other_clerk)
    window = make_user("zxwindow", Role.CLERK, town, display_name="镇综合窗口")
    reviewer = make_user("zyrenshe", Role.REVIEWER, renshe, display_name="人社审核")
    return Doorstep(
        town, village, pension, disability, hall, town_centre, centre, other, clerk, other_clerk, window, reviewer
    )


def register_xlsx(rows: list[list[Any]], headers: list[str] | None = None) -> io.BytesIO:
    from openpyxl import Workbook

    from huying.servicepoints.importing import HEADERS

    book = Workbook()
    sheet = book.active
    sheet.title = "服务点"
    sheet.append(headers or list(HEADERS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer
