"""The queue ticket TRANSITIONS table, checked without a database.

Every (status, action) pair the table lacks is refused (InvalidTransition) even to an actor holding every
role; every pair it has is refused (PermissionDenied) to each role it does not name, and taken by each role
it names. The service tests walk only the allowed pairs and one refused pair per status.
"""

from __future__ import annotations

import pytest

from huying.core.errors import InvalidTransition, PermissionDenied
from huying.halls.states import TRANSITIONS, Action, Status
from tests.fixtures.statemachine import all_roles, ids, refused_pairs, roles_named, roles_not_named

EVERY_ROLE = all_roles(TRANSITIONS)
REFUSED = refused_pairs(TRANSITIONS, Status, Action)
NOT_NAMED = roles_not_named(TRANSITIONS)
NAMED = roles_named(TRANSITIONS)


@pytest.mark.parametrize(("status", "action"), REFUSED, ids=ids(REFUSED))
def test_pair_not_in_table_is_refused(status: str, action: str) -> None:
    with pytest.raises(InvalidTransition) as err:
        TRANSITIONS.check(source=status, action=action, roles=EVERY_ROLE, note="说明")
    assert err.value.data == {"status": status, "action": action}


@pytest.mark.parametrize(("status", "action", "role"), NOT_NAMED, ids=ids(NOT_NAMED))
def test_role_not_named_is_refused(status: str, action: str, role: str) -> None:
    with pytest.raises(PermissionDenied):
        TRANSITIONS.check(source=status, action=action, roles={role}, note="说明")


@pytest.mark.parametrize(("status", "action", "role"), NAMED, ids=ids(NAMED))
def test_role_named_may_act(status: str, action: str, role: str) -> None:
    transition, note = TRANSITIONS.check(source=status, action=action, roles={role}, note=" 说明 ")
    assert (transition.source, transition.action, note) == (status, action, "说明")


def test_every_status_and_action_is_declared() -> None:
    assert TRANSITIONS.states() <= set(Status.values)
    assert TRANSITIONS.actions() <= set(Action.values)
