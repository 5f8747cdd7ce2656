"""Who sees which appeals, which actions each role is offered, and personal data."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from huying.accounts.roles import Role
from huying.accounts.selectors import actor_for
from huying.appeals import selectors, services
from huying.appeals.models import Appeal
from huying.appeals.permissions import allowed_actions
from huying.appeals.states import Action, Status
from huying.core.errors import NotFound, PermissionDenied, ValidationFailed
from huying.core.masking import mask_id_number, mask_phone
from huying.core.models import AuditLog
from tests.fixtures import make_user

from .factories import appeal_in, submit

pytestmark = pytest.mark.django_db


def visible(user: Any) -> set[int]:
    return set(selectors.appeal_list_for(user).values_list("pk", flat=True))


@pytest.fixture
def orders(world: Any) -> dict[str, Appeal]:
    mine = submit(world, citizen=world.citizen, phone="13800138000")
    urban = appeal_in(world, Status.HANDLING)
    assisted = services.appeal_transition(
        actor=world.operator,
        appeal=appeal_in(world, Status.ACCEPTED),
        action=Action.DISPATCH,
        lead_unit=world.urban,
        assist_units=[world.housing],
    )
    housing = services.appeal_transition(
        actor=world.operator, appeal=appeal_in(world, Status.ACCEPTED), action=Action.DISPATCH, lead_unit=world.housing
    )
    waiting = appeal_in(world, Status.SUBMITTED)
    return {"mine": mine, "urban": urban, "assisted": assisted, "housing": housing, "waiting": waiting}


def test_citizen_sees_only_their_own(world: Any, orders: dict[str, Appeal]) -> None:
    assert visible(world.citizen) == {orders["mine"].pk}
    assert visible(world.other_citizen) == set()
    with pytest.raises(NotFound):
        selectors.appeal_get_for(actor=world.other_citizen, appeal_id=orders["mine"].pk)


def test_anonymous_sees_nothing(world: Any, orders: dict[str, Appeal]) -> None:
    assert visible(AnonymousUser()) == set()


def test_handler_sees_what_was_dispatched_to_their_unit_including_assists(
    world: Any, orders: dict[str, Appeal]
) -> None:
    assert visible(world.handler) >= {orders["urban"].pk, orders["assisted"].pk}
    assert orders["housing"].pk not in visible(world.handler)
    assert orders["waiting"].pk not in visible(world.handler)
    assert orders["mine"].pk not in visible(world.handler)
    assert visible(world.housing_handler) == {orders["assisted"].pk, orders["housing"].pk}
    assert visible(world.street_handler) == set()
    with pytest.raises(NotFound):
        selectors.appeal_get_for(actor=world.street_handler, appeal_id=orders["urban"].pk)


def test_department_supervisor_sees_their_subtree_city_supervisor_sees_all(
    world: Any, orders: dict[str, Appeal]
) -> None:
    urban_supervisor = make_user("urban-sup", Role.SUPERVISOR, world.urban)
    seen = visible(urban_supervisor)
    assert {orders["urban"].pk, orders["assisted"].pk} <= seen
    assert orders["housing"].pk not in seen and orders["waiting"].pk not in seen
    assert visible(world.supervisor) == set(Appeal.objects.values_list("pk", flat=True))
    assert visible(world.operator) == set(Appeal.objects.values_list("pk", flat=True))


def test_allowed_actions_per_role(world: Any, orders: dict[str, Appeal]) -> None:
    def actions(user: Any, appeal: Appeal) -> set[str]:
        return set(allowed_actions(actor_for(user), Appeal.objects.get(pk=appeal.pk)))

    dispatched = orders["housing"]
    assert actions(world.housing_handler, dispatched) == {Action.SIGN, Action.REQUEST_RETURN}
    assert actions(world.handler, dispatched) == set()
    assert actions(world.operator, dispatched) == set()
    assert actions(world.supervisor, dispatched) == {Action.SUPERVISE}
    # The assisting unit reports to the lead unit but does not act on the order itself.
    assert actions(world.housing_handler, orders["assisted"]) == set()

    waiting = orders["waiting"]
    assert actions(world.operator, waiting) == {
        Action.ACCEPT,
        Action.ANSWER,
        Action.REFER,
        Action.REFUSE,
        Action.WITHDRAW,
    }
    assert Action.MERGE not in actions(world.operator, waiting)  # needs a form, not a button
    assert actions(world.handler, waiting) == set()

    handling = orders["urban"]
    assert actions(world.handler, handling) == {Action.REQUEST_EXTENSION, Action.SUSPEND, Action.REPLY}
    assert actions(world.citizen, orders["mine"]) == {Action.WITHDRAW}
    assert actions(AnonymousUser(), waiting) == set()

    replied = services.appeal_transition(actor=world.handler, appeal=handling, action=Action.REPLY, note="已处理")
    assert Action.FOLLOW_UP in actions(world.operator, replied)
    assert actions(world.handler, replied) == set()


def test_citizen_can_follow_up_their_own_replied_appeal(world: Any) -> None:
    appeal = appeal_in(world, Status.REPLIED, citizen=world.citizen)
    assert set(allowed_actions(actor_for(world.citizen), appeal)) == {Action.FOLLOW_UP}
    assert allowed_actions(actor_for(world.other_citizen), appeal) == []


def test_operator_and_supervisor_may_reveal_personal_data_and_it_is_logged(world: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING, phone="13812345678", requester_id_number="360426199101010071")
    for user in (world.operator, world.supervisor):
        revealed = services.appeal_reveal_personal_data(
            actor=user, appeal=appeal, purpose="回访核实", ip_address="10.1.2.3"
        )
        assert revealed == {"requester_phone": "13812345678", "requester_id_number": "360426199101010071"}
    logs = AuditLog.objects.filter(kind=AuditLog.Kind.PERSONAL_DATA_VIEW, object_id=str(appeal.pk))
    assert {log.actor_id for log in logs} == {world.operator.pk, world.supervisor.pk}
    assert all(log.data["purpose"] == "回访核实" and log.ip_address == "10.1.2.3" for log in logs)


def test_handler_may_not_reveal_personal_data(world: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING)
    with pytest.raises(PermissionDenied):
        services.appeal_reveal_personal_data(actor=world.handler, appeal=appeal, purpose="联系诉求人")
    with pytest.raises(PermissionDenied):
        services.appeal_reveal_personal_data(actor=world.street_handler, appeal=appeal, purpose="联系诉求人")
    assert not AuditLog.objects.filter(kind=AuditLog.Kind.PERSONAL_DATA_VIEW).exists()


def test_reveal_needs_a_purpose(world: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING)
    with pytest.raises(ValidationFailed):
        services.appeal_reveal_personal_data(actor=world.operator, appeal=appeal, purpose="  ")
    assert not AuditLog.objects.exists()


def test_masked_formats() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("371602199001011234") == "371602********1234"
