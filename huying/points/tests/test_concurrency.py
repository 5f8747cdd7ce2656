"""Fifty cashiers' phones redeeming against one balance at the same moment: never overdrawn, and the
balance is the sum of its postings afterwards. Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from huying.accounts.selectors import actor_for
from huying.points import errors
from huying.points.ledger_models import Redemption
from huying.points.services import redeem
from tests.fixtures.concurrency import race

from .factories import balance, build, grant
from .invariants import assert_ledger_sound

pytestmark = pytest.mark.django_db(transaction=True)
PARALLEL = 50


def test_fifty_parallel_redemptions_never_overdraw(world: Any) -> None:
    p = build(world)
    grant(world.citizen, 1000, p.scheme, "start")
    holder = actor_for(world.citizen)
    tokens = [redeem.token_issue(actor=holder) for _ in range(PARALLEL)]
    outcomes = race([lambda t=t: redeem.redeem(actor=actor_for(p.cashier), token=t, points="30") for t in tokens])
    assert len(outcomes) == PARALLEL
    assert outcomes.count("ok") == 1000 // 30  # 33 fit in the balance
    assert outcomes.count(errors.INSUFFICIENT_POINTS) == PARALLEL - 1000 // 30
    assert balance(world.citizen) == 1000 - 33 * 30
    assert Redemption.objects.count() == 33
    assert_ledger_sound()
