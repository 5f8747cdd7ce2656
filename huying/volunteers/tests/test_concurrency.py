"""Two volunteers claiming one need at the same moment: one wins, the other is told (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import OperationalError, connection

from huying.core.errors import ConcurrentModification
from huying.volunteers import errors, services
from huying.volunteers.activity_models import Activity, SignUp
from huying.volunteers.models import Need

from .factories import need, stations, volunteer


@pytest.mark.django_db(transaction=True)
def test_two_volunteers_claiming_at_once_exactly_one_wins(world: Any) -> None:
    stations(world)
    people = [volunteer(1, ["elder_care"]), volunteer(2, ["elder_care"])]
    n = need(world, ["elder_care"])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user: Any) -> str:
        # SQLite's in-memory test database answers a lock at once ("table is locked") where the file
        # database of a deployment waits; wait here as it would. PostgreSQL never takes this branch.
        for _ in range(200):
            try:
                services.need_claim(actor=user, need_id=n.pk, version=n.version)
                return "ok"
            except ConcurrentModification as exc:
                return exc.code
            except OperationalError as exc:
                if connection.vendor != "sqlite" or "locked" not in str(exc):
                    raise
                connection.close()
                time.sleep(0.01)
        return "gave up"

    def claim(user: Any) -> None:
        try:
            barrier.wait(timeout=10)
            result = attempt(user)
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(p.user,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == sorted(["ok", errors.NEED_TAKEN])
    fresh = Need.objects.get(pk=n.pk)
    assert fresh.claimed_by in people and fresh.version == n.version + 1
    assert Activity.objects.count() == 1 and SignUp.objects.count() == 1
