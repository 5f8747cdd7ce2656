"""Builders for volunteering tests: a station network in 滨城区, volunteers with accounts, needs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from huying.accounts.roles import Role
from huying.core.validators import id_check_char
from huying.volunteers import matching, services
from huying.volunteers.models import Need, Station, Volunteer
from tests.fixtures import World, make_user

LAT, LON = 37.38, 117.97  # 滨城区 市中街道


def make_id(n: int, birth: str = "19900101") -> str:
    region = "371602" if birth >= "2000" else "372321"  # 滨城区 since 2000, 惠民县 before
    body = f"{region}{birth}{n % 1000:03d}"
    return body + id_check_char(body)


def stations(world: World) -> Station:
    centre = Station.objects.create(name="滨城区新时代文明实践中心", level=Station.Level.CENTRE,
                                    org_unit=world.street, latitude=LAT, longitude=LON)  # fmt: skip
    return Station.objects.create(name="黄河社区新时代文明实践站", level=Station.Level.STATION, parent=centre,
                                  org_unit=world.community, latitude=LAT, longitude=LON)  # fmt: skip


def organiser(world: World) -> Any:
    return make_user("volorg", Role.VOLUNTEER_ORG, world.street, display_name="陈组织")


def volunteer(n: int, skills: list[str], *, lat: float = LAT, lon: float = LON, **extra: Any) -> Volunteer:
    user = make_user(f"vol{n}", phone=f"1380000{n:04d}")
    return services.volunteer_register(
        actor=user, real_name=f"志愿者{n}", id_number=make_id(n), phone=f"1380000{n:04d}", skill_codes=skills,
        availability=matching.ALL_SLOTS, latitude=lat, longitude=lon, publish_consent=True, **extra,
    )  # fmt: skip


def need(world: World, skills: list[str], *, start: dt.datetime | None = None, hours: int = 2, **extra: Any) -> Need:
    begin = start or timezone.now() - dt.timedelta(minutes=10)
    fields: dict[str, Any] = {
        "actor": world.citizen, "title": "帮助独居老人买菜", "address": "黄河路1号", "latitude": LAT, "longitude": LON,
        "starts_at": begin, "ends_at": begin + dt.timedelta(hours=hours), "skill_codes": skills,
        "contact_name": "张三", "contact_phone": "13800138000",
    }  # fmt: skip
    fields.update(extra)
    return services.need_publish(**fields)
