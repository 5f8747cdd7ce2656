"""Two counters record the same card in the same slot at once: one meal. Two civil-affairs staff
approve the same statement from the same version: one wins, the other gets changed_meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.canteens import services
from huying.canteens.models import Canteen, Meal, Settlement
from huying.canteens.states import Category, SettlementStatus, Slot
from tests.fixtures import make_user
from tests.fixtures.concurrency import race

from .factories import build, enrol

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_counters_one_meal(world: Any) -> None:
    w = build(world)
    enrol(w, 1, "C001", Category.TEKUN)
    make_user("shitang2", Role.CANTEEN_STAFF, w.community)
    canteen = Canteen.objects.get(pk=w.canteen.pk)

    def counter(username: str) -> Callable[[], Any]:
        return lambda: services.meal_record(
            actor=User.objects.get(username=username), canteen=canteen, identifier="C001", slot=Slot.LUNCH
        )

    outcomes = race([counter("shitang"), counter("shitang2")])
    assert outcomes == ["ok", "slot_taken"]
    assert Meal.objects.count() == 1


def test_two_approvers_one_wins(world: Any) -> None:
    w = build(world)
    enrol(w, 1, "C001", Category.TEKUN)
    make_user("minzheng2", Role.CIVIL_AFFAIRS, w.bureau)
    s = services.settlement_generate(actor=w.staff, canteen=w.canteen, month=w.canteen.created_at.date())
    s = services.settlement_act(actor=w.staff, settlement=s, action="confirm")

    def approve(username: str) -> Callable[[], Any]:
        # Both approvers opened the settlement before either pressed 审核: each holds the same version.
        actor, opened = User.objects.get(username=username), Settlement.objects.get(pk=s.pk)
        return lambda: services.settlement_act(
            actor=actor, settlement=opened, action="approve", expected_version=s.version
        )

    assert race([approve("minzheng"), approve("minzheng2")]) == ["changed_meanwhile", "ok"]
    assert Settlement.objects.get(pk=s.pk).status == SettlementStatus.APPROVED
