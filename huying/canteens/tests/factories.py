"""A small Licang: the district, its civil-affairs bureau, 虎山路街道 and a community with one canteen,
Licang's price rule (8 yuan; 2 yuan for 低保 and 特困), canteen staff and civil-affairs staff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.canteens import services
from huying.canteens.models import Canteen, Elder, PriceTier
from huying.canteens.states import Category, ElderAction, Source
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create
from tests.fixtures import make_user

RULE = "李沧区社区助老食堂就餐补贴"


def licang_tiers(since: dt.date = dt.date(2023, 1, 1)) -> None:
    PriceTier.objects.create(rule=RULE, category="", list_price=Decimal("15"), self_pay=Decimal("8"), valid_from=since)
    for cat in (Category.TEKUN, Category.DIBAO):
        PriceTier.objects.create(
            rule=RULE, category=cat, list_price=Decimal("15"), self_pay=Decimal("2"), valid_from=since
        )


def make_id(n: int, birth: str = "19450301") -> str:
    from huying.core.validators import id_check_char

    body = f"372321{birth}{n % 1000:03d}"  # a county code python-stdnum accepts for a 1945 birth
    return body + id_check_char(body)


@dataclass
class Licang:
    district: OrgUnit
    bureau: OrgUnit
    community: OrgUnit
    canteen: Canteen
    other: Canteen  # another canteen of the district
    staff: User
    other_staff: User
    civil: User


def canteen(code: str, name: str, unit: OrgUnit, lon: float, lat: float) -> Canteen:
    data = {
        "code": code,
        "name": name,
        "operator": "青岛颐和养老服务中心",
        "licence_number": "JY23702130012345",
        "address": name,
        "longitude": lon,
        "latitude": lat,
        "hours": "11:00-12:30；17:00-18:00",
        "slots": "lunch,dinner",
        "capacity": 40,
        "annual_subsidy": "100000",
    }
    return services.canteen_save(actor=None, data=data, unit=unit)


def build(world: Any) -> Licang:
    district = org_unit_create(name="青岛市李沧区人民政府", kind=OrgUnit.Kind.GOVERNMENT, parent=world.city)
    bureau = org_unit_create(name="李沧区民政局", kind=OrgUnit.Kind.DEPARTMENT, parent=district)
    street = org_unit_create(name="李沧区虎山路街道办事处", kind=OrgUnit.Kind.TOWNSHIP, parent=district)
    community = org_unit_create(name="虎山路街道东山社区", kind=OrgUnit.Kind.COMMUNITY, parent=street)
    other_street = org_unit_create(name="李沧区李村街道办事处", kind=OrgUnit.Kind.TOWNSHIP, parent=district)
    licang_tiers()
    return Licang(
        district=district,
        bureau=bureau,
        community=community,
        canteen=canteen("LC-HS-01", "东山社区助老食堂", community, 120.418, 36.170),
        other=canteen("LC-LC-01", "李村街道助老食堂", other_street, 120.430, 36.160),
        staff=make_user("shitang", Role.CANTEEN_STAFF, community, display_name="食堂小刘"),
        other_staff=make_user("licunshitang", Role.CANTEEN_STAFF, other_street),
        civil=make_user("minzheng", Role.CIVIL_AFFAIRS, bureau, display_name="民政老王"),
    )


def enrol(w: Licang, n: int, card: str, *cats: str, delivery: bool = False, approve_on: dt.date | None = None) -> Elder:
    elder = services.elder_enrol(
        actor=w.staff,
        canteen=w.canteen,
        name=f"老人{n}",
        id_number=make_id(n),
        card_number=card,
        categories=[
            {"category": c, "source": Source.EXCHANGE, "source_date": "2024-01-05", "care_level": "severe"}
            for c in cats
        ],
        delivery_needed=delivery,
    )
    return services.elder_transition(
        actor=w.civil, elder=elder, action=ElderAction.APPROVE, on=approve_on or dt.date(2024, 1, 10)
    )
