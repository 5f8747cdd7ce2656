"""Shared test fixtures: a small city built through the services, as a deployment would be."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.appeals.models import Category
from huying.organisations.models import Division, OrgUnit
from huying.organisations.reference import load_reference_divisions
from huying.organisations.services import org_unit_create


@pytest.fixture(autouse=True, scope="session")
def _test_clock() -> Iterator[None]:
    """HUYING_TEST_CLOCK=2026-11-24T00:05:00+08:00 runs the whole suite from that moment (the clock ticks).

    Tests meet real clocks: CI starts at any hour. Running the suite just after midnight, late at night or on a
    weekend finds the tests (and demo commands) that only pass in office hours.
    """
    clock = os.environ.get("HUYING_TEST_CLOCK")
    if not clock:
        yield
        return
    with time_machine.travel(dt.datetime.fromisoformat(clock), tick=True):
        yield


@dataclass
class World:
    city: OrgUnit
    hotline: OrgUnit
    urban: OrgUnit  # 城管局
    housing: OrgUnit  # 住建局
    street: OrgUnit  # 滨城区 市中街道
    community: OrgUnit
    operator: User
    handler: User  # 城管局
    housing_handler: User
    street_handler: User
    supervisor: User
    citizen: User
    other_citizen: User
    cat_noise: Category
    cat_road: Category
    cat_heating: Category
    binzhou: Division
    bincheng: Division


def make_user(username: str, role: str | None = None, unit: OrgUnit | None = None, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password="pass-1234-huying", **extra)
    if role and unit:
        RoleAssignment.objects.create(user=user, role=role, org_unit=unit)
    return user


@pytest.fixture
def world(db: Any) -> World:
    load_reference_divisions()
    binzhou = Division.objects.get(code="371600")
    bincheng = Division.objects.get(code="371602")
    city = org_unit_create(name="滨州市人民政府", kind=OrgUnit.Kind.GOVERNMENT, division=binzhou)
    hotline = org_unit_create(name="滨州市12345政务服务便民热线中心", kind=OrgUnit.Kind.HOTLINE_CENTRE, parent=city)
    urban = org_unit_create(name="滨州市城市管理局", short_name="市城管局", kind=OrgUnit.Kind.DEPARTMENT, parent=city)
    housing = org_unit_create(
        name="滨州市住房和城乡建设局", short_name="市住建局", kind=OrgUnit.Kind.DEPARTMENT, parent=city
    )
    street = org_unit_create(
        name="滨城区市中街道办事处", short_name="市中街道", kind=OrgUnit.Kind.TOWNSHIP, parent=city, division=bincheng
    )
    community = org_unit_create(name="黄河社区居委会", kind=OrgUnit.Kind.COMMUNITY, parent=street)
    parent_cat = Category.objects.create(code="01", name="城市管理")
    cat_noise = Category.objects.create(
        code="0101", name="噪音扰民", parent=parent_cat, unit=urban, keywords="噪音 施工 夜间"
    )
    cat_road = Category.objects.create(code="0102", name="道路破损", parent=parent_cat, unit=urban, keywords="道路 坑")
    cat_heating = Category.objects.create(
        code="0201", name="供暖问题", unit=housing, keywords="暖气 供暖", allows_anonymous=False
    )
    return World(
        city=city,
        hotline=hotline,
        urban=urban,
        housing=housing,
        street=street,
        community=community,
        operator=make_user("operator", Role.OPERATOR, hotline, display_name="王坐席"),
        handler=make_user("urban", Role.HANDLER, urban, display_name="李承办"),
        housing_handler=make_user("housing", Role.HANDLER, housing, display_name="赵承办"),
        street_handler=make_user("street", Role.HANDLER, street, display_name="孙网格"),
        supervisor=make_user("supervisor", Role.SUPERVISOR, city, display_name="周督办"),
        citizen=make_user("citizen", phone="13800138000", display_name="张三"),
        other_citizen=make_user("citizen2", phone="13900139000", display_name="李四"),
        cat_noise=cat_noise,
        cat_road=cat_road,
        cat_heating=cat_heating,
        binzhou=binzhou,
        bincheng=bincheng,
    )
