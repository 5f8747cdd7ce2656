"""A small hall on top of the shared ``world``: 3 comprehensive windows, a 公安 special window (letter B),
two clerks of the hall's unit, a hall manager, and catalogue items of two departments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.catalogue.models import Bundle, BundleItem, ServiceItem
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create
from tests.fixtures import make_user

from ..models import Hall, Window


@dataclass
class HallWorld:
    world: Any
    shenpi: OrgUnit
    police: OrgUnit
    hall: Hall
    windows: list[Window]  # 1..3 comprehensive
    special: Window  # 6: 公安
    clerk: User
    clerk2: User
    manager: User
    outsider_clerk: User  # CLERK of another unit
    item_police: ServiceItem
    item_housing: ServiceItem
    bundle: Bundle


def make_item(code: str, name: str, unit: OrgUnit) -> ServiceItem:
    return ServiceItem.objects.create(
        code=code,
        name=name,
        unit=unit,
        item_type=ServiceItem.ItemType.PUBLIC_SERVICE,
        level=ServiceItem.Level.CITY,
        applicant_kind=ServiceItem.ApplicantKind.PERSON,
        review_mode=ServiceItem.ReviewMode.INSTANT,
        legal_days=5,
        promised_days=1,
    )


@pytest.fixture
def hw(world: Any) -> HallWorld:
    shenpi = org_unit_create(name="滨州市行政审批服务局", kind=OrgUnit.Kind.DEPARTMENT, parent=world.city)
    police = org_unit_create(name="滨州市公安局", kind=OrgUnit.Kind.DEPARTMENT, parent=world.city)
    hall = Hall.objects.create(name="滨州市政务服务中心", unit=shenpi)
    windows = [
        Window.objects.create(hall=hall, number=n, label=f"综合{n}", kind=Window.Kind.COMPREHENSIVE) for n in (1, 2, 3)
    ]
    special = Window.objects.create(hall=hall, number=6, label="公安", kind=Window.Kind.SPECIAL, prefix="B")
    special.units.add(police)
    item_police = make_item("POLICE-001", "居民身份证换领", police)
    item_housing = make_item("HOUSING-001", "商品房预售许可", world.housing)
    bundle = Bundle.objects.create(code="kaiban", name="开办企业一件事", lead_unit=shenpi)
    BundleItem.objects.create(bundle=bundle, item=item_housing)
    return HallWorld(
        world=world,
        shenpi=shenpi,
        police=police,
        hall=hall,
        windows=windows,
        special=special,
        clerk=make_user("clerk", Role.CLERK, shenpi, display_name="窗口甲"),
        clerk2=make_user("clerk2", Role.CLERK, shenpi, display_name="窗口乙"),
        manager=make_user("dating", Role.HALL_MANAGER, shenpi, display_name="大厅管理"),
        outsider_clerk=make_user("faraway", Role.CLERK, world.street, display_name="外单位"),
        item_police=item_police,
        item_housing=item_housing,
        bundle=bundle,
    )


def at(hour: int, minute: int = 0, day: dt.date | None = None) -> dt.datetime:
    """An aware time today (or on ``day``) in the local zone."""
    day = day or timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
