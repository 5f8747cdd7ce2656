"""A unit an order was re-dispatched away from (改派) reads it no more and can no longer act on it;
the unit that holds it now reads the whole history, the former unit's work included."""

from __future__ import annotations

from typing import Any

import pytest

from huying.appeals import selectors, services
from huying.appeals.models import Appeal, AppealEvent
from huying.appeals.states import Action, Status
from huying.core.errors import NotFound

from .factories import appeal_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def redispatched(world: Any) -> Appeal:
    """An order 城管局 signed and asked to return; the hotline re-dispatched it to 住建局."""
    appeal = appeal_in(world, Status.RETURN_REQUESTED)
    return services.appeal_transition(
        actor=world.operator, appeal=appeal, action=Action.APPROVE_RETURN, note="改派住建局", lead_unit=world.housing
    )


def test_the_former_unit_gets_not_found_like_any_order_not_its_own(world: Any, redispatched: Appeal) -> None:
    assert redispatched.pk not in selectors.appeal_list_for(world.handler).values_list("pk", flat=True)
    assert redispatched.pk not in selectors.unit_inbox_for(world.handler).values_list("pk", flat=True)
    with pytest.raises(NotFound):
        selectors.appeal_get_for(actor=world.handler, appeal_id=redispatched.pk)
    with pytest.raises(NotFound):
        selectors.appeal_get_for(actor=world.handler, number=redispatched.number)


def test_the_former_unit_can_no_longer_act(world: Any, redispatched: Appeal) -> None:
    before = AppealEvent.objects.filter(appeal=redispatched).count()
    for action in (Action.SIGN, Action.REPLY, Action.REQUEST_EXTENSION):
        with pytest.raises(NotFound):
            services.appeal_transition(actor=world.handler, appeal=redispatched, action=action, note="仍在处理")
    with pytest.raises(NotFound):
        services.appeal_assist_report(actor=world.handler, appeal_id=redispatched.pk, note="协办意见")
    assert AppealEvent.objects.filter(appeal=redispatched).count() == before


def test_the_unit_holding_it_now_reads_the_former_units_work(world: Any, redispatched: Appeal) -> None:
    seen = selectors.appeal_get_for(actor=world.housing_handler, appeal_id=redispatched.pk)
    units = {e.actor_unit_id for e in selectors.appeal_timeline(seen, public_only=False)}
    assert world.urban.pk in units  # 城管局's sign-in and return request stay in the record


def test_over_the_api_and_the_page_the_former_unit_gets_404(world: Any, redispatched: Appeal, client: Any) -> None:
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.handler)
    assert api.get(f"/api/v1/appeals/{redispatched.pk}/").status_code == 404
    assert api.post(f"/api/v1/appeals/{redispatched.pk}/actions/sign/", {}, format="json").status_code == 404
    listed = api.get("/api/v1/appeals/").json()
    assert redispatched.pk not in [row["id"] for row in listed["results"]]
    client.force_login(world.handler)
    assert client.get(f"/appeals/{redispatched.pk}/").status_code == 404
    housing = APIClient()
    housing.force_authenticate(world.housing_handler)
    assert housing.get(f"/api/v1/appeals/{redispatched.pk}/").status_code == 200


def test_an_assisting_unit_dropped_at_redispatch_loses_it_too(world: Any) -> None:
    appeal = services.appeal_transition(
        actor=world.operator,
        appeal=appeal_in(world, Status.ACCEPTED),
        action=Action.DISPATCH,
        lead_unit=world.urban,
        assist_units=[world.housing],
    )
    assert appeal.pk in selectors.appeal_list_for(world.housing_handler).values_list("pk", flat=True)
    appeal = services.appeal_transition(
        actor=world.handler, appeal=appeal, action=Action.REQUEST_RETURN, note="非本单位职责"
    )
    appeal = services.appeal_transition(
        actor=world.operator, appeal=appeal, action=Action.APPROVE_RETURN, note="改派街道", lead_unit=world.street
    )
    assert appeal.pk in selectors.appeal_list_for(world.street_handler).values_list("pk", flat=True)
    for former in (world.handler, world.housing_handler):
        assert appeal.pk not in selectors.appeal_list_for(former).values_list("pk", flat=True)
