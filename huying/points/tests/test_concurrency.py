"""Fifty cashiers' phones redeeming against one balance at the same moment: never overdrawn, and the
balance is the sum of its postings afterwards. Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import OperationalError, connection

from huying.accounts.selectors import actor_for
from huying.core.errors import ValidationFailed
from huying.points import errors
from huying.points.ledger_models import Redemption
from huying.points.services import redeem

from .factories import balance, build, grant
from .invariants import assert_ledger_sound

pytestmark = pytest.mark.django_db(transaction=True)
PARALLEL = 50


def _attempt(cashier: Any, token: str) -> str:
    # SQLite's shared-cache in-memory test database answers a lock with "table is locked" at once
    # instead of waiting on busy_timeout as a deployment's file does: wait here the way the file would.
    for _ in range(2000):
        try:
            redeem.redeem(actor=actor_for(cashier), token=token, points="30")
            return "ok"
        except ValidationFailed as exc:
            return exc.code
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            connection.close()
            time.sleep(0.005)
    return "gave up"


def test_fifty_parallel_redemptions_never_overdraw(world: Any) -> None:
    p = build(world)
    grant(world.citizen, 1000, p.scheme, "start")
    holder = actor_for(world.citizen)
    tokens = [redeem.token_issue(actor=holder) for _ in range(PARALLEL)]
    barrier = threading.Barrier(PARALLEL)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(token: str) -> None:
        try:
            barrier.wait(timeout=30)
            result = _attempt(p.cashier, token)
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == PARALLEL
    assert outcomes.count("ok") == 1000 // 30  # 33 fit in the balance
    assert outcomes.count(errors.INSUFFICIENT_POINTS) == PARALLEL - 1000 // 30
    assert balance(world.citizen) == 1000 - 33 * 30
    assert Redemption.objects.count() == 33
    assert_ledger_sound()
