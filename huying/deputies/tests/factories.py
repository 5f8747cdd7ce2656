"""The deputies' corner of the test city: the district congress, a liaison station that is also a
legislative contact point (Shixi street style), a deputy, legislative staff, an informant, a mediator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.deputies.models import Committee, ContactPoint, DeputyProfile, Informant
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create
from tests.fixtures import make_user


@dataclass
class Deputies:
    congress: OrgUnit
    point: ContactPoint
    staff: User
    informant: User
    deputy_user: User
    deputy: DeputyProfile
    mediator: User
    mediator2: User
    committee: Committee


def build(world: Any) -> Deputies:
    congress = org_unit_create(name="滨城区人大常委会", kind=OrgUnit.Kind.DEPARTMENT, parent=world.city)
    point = ContactPoint.objects.create(
        name="市西街道彩虹湖社区人大代表联络站",
        unit=world.street,
        is_legislative_point=True,
        is_station=True,
        address="彩虹湖社区党群服务中心",
        latitude=37.383,
        longitude=118.016,
        reception_day_of_month=6,
    )
    staff = make_user("lawstaff", Role.LEGISLATIVE_STAFF, congress, display_name="韩法工")
    informant = make_user("informant", Role.CONTACT_POINT, world.community, display_name="冯信息")
    Informant.objects.create(point=point, user=informant, name="冯信息", phone="13700137000")
    deputy_user = make_user("deputy", Role.DEPUTY, world.street, display_name="田代表")
    deputy = DeputyProfile.objects.create(user=deputy_user, name="田代表", level="区人大代表", station=point)
    mediator = make_user("mediator", Role.MEDIATOR, world.street, display_name="吴调解")
    mediator2 = make_user("mediator2", Role.MEDIATOR, world.street, display_name="郑调解")
    committee = Committee.objects.create(
        name="市西街道人民调解委员会", unit=world.street, registration="滨城司调备〔2024〕12号"
    )
    return Deputies(congress, point, staff, informant, deputy_user, deputy, mediator, mediator2, committee)
