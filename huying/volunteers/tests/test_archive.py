from __future__ import annotations

import pytest

from huying.core.errors import ValidationFailed
from huying.volunteers import errors, matching, services, skills
from huying.volunteers.models import Volunteer
from tests.fixtures import make_user

from .factories import LAT, LON, make_id, organiser, stations, volunteer


def test_registration_validates_the_id_number_and_refuses_a_second_one(world):
    first = volunteer(1, ["elder_care"])
    assert first.number.startswith("ZY90") and first.gender == "M" and first.birth_date.year == 1990
    other = make_user("other")
    with pytest.raises(ValidationFailed) as exc:
        services.volunteer_register(actor=other, real_name="王五", id_number=make_id(1), phone="13900000000",
                                    skill_codes=["haircut"], availability=1, latitude=LAT, longitude=LON,
                                    publish_consent=False)  # fmt: skip
    assert exc.value.code == errors.ALREADY_REGISTERED
    bad = make_id(2)[:-1] + ("0" if make_id(2)[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as exc:
        services.volunteer_register(actor=other, real_name="王五", id_number=bad, phone="13900000000",
                                    skill_codes=["haircut"], availability=1, latitude=LAT, longitude=LON,
                                    publish_consent=False)  # fmt: skip
    assert exc.value.code == "invalid_id_number"
    assert Volunteer.objects.count() == 1


def test_a_minor_needs_the_guardians_consent(world):
    minor = make_id(3, birth="20150101")
    args = {"actor": make_user("kid"), "real_name": "小明", "id_number": minor, "phone": "13900000001", "skill_codes": ["art"],
                "availability": 1, "latitude": LAT, "longitude": LON, "publish_consent": False}  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        services.volunteer_register(**args)
    assert exc.value.code == errors.GUARDIAN_REQUIRED and not Volunteer.objects.exists()
    made = services.volunteer_register(
        **args, guardian_name="王父", guardian_phone="13900000002", guardian_consent=True
    )
    assert made.guardian_consent


def test_unknown_skills_are_refused_and_a_branch_means_its_leaves(world):
    with pytest.raises(ValidationFailed) as exc:
        volunteer(4, ["juggling"])
    assert exc.value.code == errors.UNKNOWN_SKILL
    made = volunteer(5, ["medical"])
    assert skills.decode(made.skills) == set(skills.BRANCHES["medical"])


def test_an_organisation_registers_into_its_own_team_only(world):
    stations(world)
    org = organiser(world)
    team = services.team_create(actor=org, name="黄河社区志愿服务队", org_unit=world.community)
    made = services.volunteer_register(actor=org, real_name="赵六", id_number=make_id(6), phone="13900000006",
                                       skill_codes=["delivery"], availability=matching.ALL_SLOTS, latitude=LAT,
                                       longitude=LON, publish_consent=True, team=team, for_self=False)  # fmt: skip
    assert made.user is None and list(made.teams.all()) == [team]


def test_star_levels_are_data():
    from decimal import Decimal

    assert [skills.stars(Decimal(h)) for h in (99, 100, 299, 300, 600, 1000, 1499, 1500)] == [0, 1, 1, 2, 3, 4, 4, 5]
