"""Two organisers drawing at once with different seeds: one draw stands, the other is refused."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import OperationalError, connection

from huying.accounts.models import User
from huying.core.errors import ConcurrentModification, ValidationFailed
from huying.opendays import errors, services, states
from huying.opendays.models import Draw, Registration
from tests.fixtures import make_user

from .factories import fill_pool, make_event


@pytest.mark.django_db(transaction=True)
def test_two_draws_at_once_exactly_one_stands(world: Any) -> None:
    od = make_event(world)
    make_user("organiser2", "open_day_org", world.street)
    services.event_transition(actor=od.organiser, event=od.event, action="announce")
    fill_pool(od.event, n=10)
    services.event_transition(actor=od.organiser, event=od.event, action="close_registration")
    services.lottery_publish(actor=od.organiser, event=od.event)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user: User, seed: str) -> str:
        # SQLite's shared-cache test database answers a lock at once; wait as a file database would.
        for _ in range(300):
            try:
                services.draw_run(actor=user, event=od.event.pk, seed=seed)
                return "ok"
            except ConcurrentModification:
                return "refused"
            except ValidationFailed as exc:
                assert exc.code == errors.SEED_PUBLISHED
                return "refused"
            except OperationalError as exc:
                if connection.vendor != "sqlite" or "locked" not in str(exc):
                    raise
                connection.close()
                time.sleep(0.01)
        return "gave up"

    def draw(username: str, seed: str) -> None:
        try:
            user = User.objects.get(username=username)
            barrier.wait(timeout=10)
            result = attempt(user, seed)
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=draw, args=a) for a in (("organiser", "11 22 33"), ("organiser2", "44 55 66"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["ok", "refused"]
    drawn = Draw.objects.get(event=od.event, sequence=0)
    invited = sorted(
        Registration.objects.filter(event=od.event, status=states.INVITED).values_list("number", flat=True)
    )
    assert drawn.seed in ("11 22 33", "44 55 66") and invited == drawn.chosen
