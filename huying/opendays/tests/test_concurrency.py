"""Two organisers drawing at once with different seeds: one draw stands, the other is refused."""

from __future__ import annotations

from typing import Any

import pytest

from huying.accounts.models import User
from huying.opendays import errors, services, states
from huying.opendays.models import Draw, Registration
from tests.fixtures import make_user
from tests.fixtures.concurrency import race

from .factories import fill_pool, make_event


@pytest.mark.django_db(transaction=True)
def test_two_draws_at_once_exactly_one_stands(world: Any) -> None:
    od = make_event(world)
    make_user("organiser2", "open_day_org", world.street)
    services.event_transition(actor=od.organiser, event=od.event, action="announce")
    fill_pool(od.event, n=10)
    services.event_transition(actor=od.organiser, event=od.event, action="close_registration")
    services.lottery_publish(actor=od.organiser, event=od.event)
    outcomes = race(
        [
            lambda name=name, seed=seed: services.draw_run(
                actor=User.objects.get(username=name), event=od.event.pk, seed=seed
            )
            for name, seed in (("organiser", "11 22 33"), ("organiser2", "44 55 66"))
        ]
    )
    # The loser either meets the changed event or finds the other draw's seed already published.
    assert len(outcomes) == 2 and outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {"changed_meanwhile", errors.SEED_PUBLISHED}
    drawn = Draw.objects.get(event=od.event, sequence=0)
    invited = sorted(
        Registration.objects.filter(event=od.event, status=states.INVITED).values_list("number", flat=True)
    )
    assert drawn.seed in ("11 22 33", "44 55 66") and invited == drawn.chosen
