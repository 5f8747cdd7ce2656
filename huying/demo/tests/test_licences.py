"""The e-licence builder: the demo citizens' licences, authorisations, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from huying.accounts.models import User
from huying.core.validators import normalize_id_number
from huying.licences import selectors, types
from huying.licences.models import Authorisation, Licence

pytestmark = pytest.mark.django_db


def test_demo_licences_idempotent():
    call_command("demo", "--only", "licences", "--licences", "30", stdout=StringIO())
    total = Licence.objects.count()
    citizen = User.objects.get(username="citizen")
    assert citizen.id_number.startswith("3716") and normalize_id_number(citizen.id_number) == citizen.id_number
    for type_code in (
        types.ID_CARD,
        types.HOUSEHOLD_REGISTER,
        types.SOCIAL_SECURITY_CARD,
        types.REAL_ESTATE_CERTIFICATE,
    ):
        assert selectors.valid_licence_for(citizen.id_number, type_code) is not None
    assert Licence.objects.filter(type__code=types.FOOD_BUSINESS_LICENCE).exists()
    assert Authorisation.objects.count() == 2
    assert total >= 30
    call_command("demo", "--only", "licences", "--licences", "30", stdout=StringIO())
    assert Licence.objects.count() == total and Authorisation.objects.count() == 2
