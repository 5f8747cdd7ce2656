"""Optimistic concurrency: two people acting on one order from the same version; one wins."""

from __future__ import annotations

from typing import Any

import pytest

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.appeals import services
from huying.appeals.models import Appeal, AppealEvent
from huying.appeals.states import Action, Status
from huying.core.errors import ConcurrentModification
from tests.fixtures import make_user
from tests.fixtures.concurrency import race

from .factories import appeal_in


@pytest.mark.django_db
def test_second_actor_with_a_stale_version_gets_changed_meanwhile(world: Any) -> None:
    appeal = appeal_in(world, Status.DISPATCHED)
    colleague = make_user("urban2", Role.HANDLER, world.urban)
    seen = appeal.version
    services.appeal_transition(actor=world.handler, appeal=appeal.pk, action=Action.SIGN, expected_version=seen)
    with pytest.raises(ConcurrentModification) as exc:
        services.appeal_transition(
            actor=colleague, appeal=appeal.pk, action=Action.REQUEST_RETURN, note="非本单位", expected_version=seen
        )
    assert exc.value.status == 409
    assert exc.value.data["current_version"] == seen + 1
    fresh = Appeal.objects.get(pk=appeal.pk)
    assert (fresh.status, fresh.version) == (Status.HANDLING, seen + 1)
    assert AppealEvent.objects.filter(appeal=appeal, action=Action.SIGN).count() == 1
    assert not AppealEvent.objects.filter(appeal=appeal, action=Action.REQUEST_RETURN).exists()


@pytest.mark.django_db
def test_stale_version_on_the_hotline_side(world: Any) -> None:
    appeal = appeal_in(world, Status.ACCEPTED)
    seen = appeal.version
    services.appeal_transition(
        actor=world.operator, appeal=appeal.pk, action=Action.DISPATCH, lead_unit=world.urban, expected_version=seen
    )
    with pytest.raises(ConcurrentModification):
        services.appeal_transition(
            actor=world.supervisor,
            appeal=appeal.pk,
            action=Action.DISPATCH,
            lead_unit=world.housing,
            expected_version=seen,
        )
    fresh = Appeal.objects.get(pk=appeal.pk)
    assert (fresh.lead_unit_id, fresh.version) == (world.urban.pk, seen + 1)
    assert AppealEvent.objects.filter(appeal=appeal, action=Action.DISPATCH).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_threads_signing_at_once_exactly_one_wins(world: Any) -> None:
    appeal = appeal_in(world, Status.DISPATCHED)
    make_user("urban2", Role.HANDLER, world.urban)
    seen = appeal.version
    outcomes = race(
        [
            lambda name=name: services.appeal_transition(
                actor=User.objects.get(username=name), appeal=appeal.pk, action=Action.SIGN, expected_version=seen
            )
            for name in ("urban", "urban2")
        ]
    )
    assert outcomes == ["changed_meanwhile", "ok"]
    fresh = Appeal.objects.get(pk=appeal.pk)
    assert (fresh.status, fresh.version) == (Status.HANDLING, seen + 1)
    assert AppealEvent.objects.filter(appeal=appeal, action=Action.SIGN).count() == 1
