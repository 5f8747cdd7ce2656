"""Through the service: every allowed pair → its target status; one refused pair per status → InvalidTransition.

Every refused pair and role is checked against the table, without a database, in test_transition_table."""

from __future__ import annotations

from typing import Any

import pytest

from huying.applications import services
from huying.applications.models import Application
from huying.applications.states import SYSTEM, TRANSITIONS, Action, Status
from huying.core.errors import InvalidTransition
from tests.fixtures.statemachine import ids, service_pairs

from .conftest import Hall, all_provided, local, receive

NOW = local(2026, 3, 2, 9, 0)
LATER = local(2026, 3, 3, 9, 0)


def _do(h: Hall, app: Application, action: str, **kw: Any) -> Application:
    return services.application_transition(actor=_actor(h, action), application=app, action=action, now=LATER, **kw)


def _actor(h: Hall, action: str) -> Any:
    roles = {r for t in TRANSITIONS.transitions if t.action == action for r in t.roles}
    if roles == {SYSTEM}:
        return None
    if "reviewer" in roles and "clerk" not in roles:
        return h.reviewer
    return h.clerk


PAYLOAD: dict[str, dict[str, Any]] = {
    Action.REJECT: {"note": "不属于本机关职权范围"},
    Action.REFUSE: {"note": "不符合条件"},
    Action.APPROVE: {"note": "同意。"},
    Action.START_SPECIAL: {"note": "需现场勘查", "kind": "site_survey"},
    Action.END_SPECIAL: {"result": "勘查合格"},
    Action.EXTEND: {"note": "需现场核查", "days": 5, "approved_by": "王局长"},
    Action.ISSUE: {"method": "window"},
}


def make(h: Hall, status: str) -> Application:
    app = receive(h, item=h.cat.company, now=NOW)
    if status == Status.RECEIVED:
        return app
    if status == Status.CORRECTION_REQUESTED:
        return services.application_transition(
            actor=h.clerk, application=app, action=Action.REQUEST_CORRECTION, now=NOW
        )
    if status == Status.REJECTED:
        return services.application_transition(
            actor=h.clerk, application=app, action=Action.REJECT, note="非本机关", now=NOW
        )
    if status == Status.WITHDRAWN:
        return services.application_transition(actor=h.clerk, application=app, action=Action.WITHDRAW, now=NOW)
    if status == Status.ACCEPTED_WITH_PROMISE:
        materials: dict[str, Any] = dict(all_provided(app))
        materials["lease_contract"] = {"status": "promised", "promised_by": "2026-03-10"}
        return services.application_transition(
            actor=h.clerk, application=app, action=Action.ACCEPT_WITH_PROMISE, materials=materials, now=NOW
        )
    app = services.application_transition(
        actor=h.clerk, application=app, action=Action.ACCEPT, materials=all_provided(app), now=NOW
    )
    if status == Status.ACCEPTED:
        return app
    app = services.application_transition(actor=h.clerk, application=app, action=Action.START_REVIEW, now=NOW)
    if status == Status.IN_REVIEW:
        return app
    if status == Status.SPECIAL_PROCEDURE:
        return services.application_transition(
            actor=h.reviewer, application=app, action=Action.START_SPECIAL, note="听证", kind="hearing", now=NOW
        )
    if status == Status.REFUSED:
        return services.application_transition(
            actor=h.reviewer, application=app, action=Action.REFUSE, note="不符合", now=NOW
        )
    app = services.application_transition(
        actor=h.reviewer, application=app, action=Action.APPROVE, note="同意。", now=NOW
    )
    if status == Status.APPROVED:
        return app
    app = services.application_transition(actor=h.clerk, application=app, action=Action.ISSUE, method="window", now=NOW)
    if status == Status.ISSUED:
        return app
    return services.application_transition(actor=h.clerk, application=app, action=Action.CLOSE, now=NOW)


@pytest.mark.parametrize("status", list(Status))
def test_every_status_is_reachable(hall: Hall, status: Status) -> None:
    assert make(hall, status).status == status


PAIRS = service_pairs(TRANSITIONS, Status, Action)


@pytest.mark.parametrize(("status", "action"), PAIRS, ids=ids(PAIRS))
def test_every_status_action_pair(hall: Hall, status: Status, action: Action) -> None:
    app = make(hall, status)
    transition = TRANSITIONS.get(status, action)
    if transition is None:
        with pytest.raises(InvalidTransition):
            _do(hall, app, action, **PAYLOAD.get(action, {}))
        app.refresh_from_db()
        assert app.status == status
        return
    payload = dict(PAYLOAD.get(action, {}))
    if action == Action.ACCEPT or action == Action.RESUBMIT:
        payload["materials"] = all_provided(app)
    if action == Action.ACCEPT_WITH_PROMISE:
        materials: dict[str, Any] = dict(all_provided(app))
        materials["id_card"] = {"status": "promised", "promised_by": "2026-03-20"}
        payload["materials"] = materials
    if action == Action.PROMISE_EXPIRED and status == Status.IN_REVIEW:
        pass
    result = _do(hall, app, action, **payload)
    assert result.status == transition.target
    app.refresh_from_db()
    assert app.status == transition.target


def test_final_statuses_have_no_way_out() -> None:
    for status in (Status.REJECTED, Status.WITHDRAWN, Status.CLOSED):
        assert TRANSITIONS.from_state(status) == []
