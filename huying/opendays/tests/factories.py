"""Builders for open-day tests: an event with quotas, registrants through the real registration."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.core.notify import sms_outbox
from huying.core.validators import id_check_char
from huying.opendays import services
from huying.opendays.models import Event, Registration
from tests.fixtures import World, make_user

QUOTAS = """feature,value,min,max,population_share
gender,male,2,3,0.5
gender,female,2,3,0.5
political_status,party_member,0,2,0.1
political_status,masses,2,4,0.9
district,东区,1,3,0.5
district,西区,1,3,0.5
"""


def id_number(born: dt.date, seq: int, male: bool) -> str:
    first17 = f"110101{born:%Y%m%d}{seq % 100:02d}{1 if male else 2}"
    return first17 + id_check_char(first17)


def last_code(phone: str) -> str:
    for to, text in reversed(sms_outbox):
        if to == phone:
            found = re.search(r"(\d{6})", text)
            assert found
            return found.group(1)
    raise AssertionError(f"no code for {phone}")


@dataclass
class OpenDay:
    world: World
    organiser: User
    event: Event


def make_event(world: World, *, panel_size: int = 4, quotas: str = QUOTAS, **extra: Any) -> OpenDay:
    organiser = make_user("organiser", Role.OPEN_DAY_ORGANISER, world.street, display_name="吴组织")
    now = timezone.now()
    event = services.event_create(
        actor=organiser,
        unit=world.street,
        title="市中街道政府开放日",
        area="市中街道",
        venue="市中街道便民服务中心",
        starts_at=now + dt.timedelta(days=20),
        registration_ends_at=now + dt.timedelta(days=10),
        panel_size=panel_size,
        seed_source="现场请三位参加人各报一个两位数",
        exclusions=["本街道在职工作人员"],
        **extra,
    )
    services.quotas_set(actor=organiser, event=event, text=quotas)
    return OpenDay(world, organiser, event)


def register(
    event: Event,
    i: int,
    *,
    user: User | None = None,
    male: bool = True,
    party: bool = False,
    district: str = "东区",
    household: str | None = None,
    born: dt.date = dt.date(1980, 5, 1),
) -> Registration:
    phone = f"1370000{i:04d}"
    services.phone_code_send(phone=phone)
    return services.registration_submit(
        actor=user,
        event=event,
        name=f"居民{i}",
        phone=phone,
        code=last_code(phone),
        id_number=id_number(born, i, male),
        basis="reside",
        political_status="party_member" if party else "masses",
        occupation="enterprise",
        district=district,
        household=household or f"户{i}",
        no_exclusion=True,
    )


def fill_pool(event: Event, n: int = 12) -> list[Registration]:
    """A pool skewed towards men and Party members, in two districts; households of two for some."""
    out = []
    for i in range(n):
        out.append(
            register(
                event,
                i,
                male=i % 3 != 0,
                party=i % 4 == 0,
                district="东区" if i % 2 else "西区",
                household=f"户{i // 2}" if i < 4 else None,
            )
        )
    return out
