"""Two volunteers claiming one need at the same moment: one wins, the other is told (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from huying.volunteers import errors, services
from huying.volunteers.activity_models import Activity, SignUp
from huying.volunteers.models import Need
from tests.fixtures.concurrency import race

from .factories import need, stations, volunteer


@pytest.mark.django_db(transaction=True)
def test_two_volunteers_claiming_at_once_exactly_one_wins(world: Any) -> None:
    stations(world)
    people = [volunteer(1, ["elder_care"]), volunteer(2, ["elder_care"])]
    n = need(world, ["elder_care"])
    outcomes = race(
        [lambda user=p.user: services.need_claim(actor=user, need_id=n.pk, version=n.version) for p in people]
    )
    assert outcomes == sorted(["ok", errors.NEED_TAKEN])
    fresh = Need.objects.get(pk=n.pk)
    assert fresh.claimed_by in people and fresh.version == n.version + 1
    assert Activity.objects.count() == 1 and SignUp.objects.count() == 1
