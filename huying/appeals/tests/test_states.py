"""Through the service: every allowed pair succeeds; one refused pair per status changes nothing.

Every refused pair and role is checked against the table, without a database, in test_transition_table."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from huying.appeals import services
from huying.appeals.models import Appeal, AppealEvent
from huying.appeals.states import (
    GRID_REPORTER,
    GRID_WORKER,
    PHOTO_ACTIONS,
    TRANSITIONS,
    Action,
    Resolution,
    Satisfaction,
    Status,
)
from huying.core.errors import InvalidTransition
from huying.core.registry import appeal_roles
from tests.fixtures.statemachine import service_pairs

from .factories import appeal_in

pytestmark = pytest.mark.django_db

# The actor and payload that would make each action valid where the table allows it.
ACTOR_FOR = {
    Action.SIGN: "handler",
    Action.REQUEST_RETURN: "handler",
    Action.REQUEST_EXTENSION: "handler",
    Action.SUSPEND: "handler",
    Action.RESUME: "handler",
    Action.REPLY: "handler",
    Action.SUPERVISE: "supervisor",
    Action.CLOSE: "supervisor",
    Action.JOINT_REPLY: "supervisor",
    # The grid layer grants these roles; here a stand-in hook grants them to the street's handler.
    Action.SELF_HANDLE: "street_handler",
    Action.VERIFY_PASS: "street_handler",
    Action.VERIFY_FAIL: "street_handler",
}


@pytest.fixture(autouse=True)
def _grid_roles(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    grid_user = world.street_handler.pk

    def roles(actor: Any, appeal: Appeal) -> set[str]:
        return {GRID_WORKER, GRID_REPORTER} if actor.user.pk == grid_user else set()

    def visible(actor: Any) -> Q | None:
        return Q(pk__isnull=False) if actor.user.pk == grid_user else None

    monkeypatch.setitem(appeal_roles._items, "roles", roles)
    monkeypatch.setitem(appeal_roles._items, "visible_q", visible)


def payload_for(world: Any, action: str, appeal: Appeal) -> dict[str, Any]:
    p: dict[str, Any] = {"note": "说明"}
    if action == Action.DISPATCH:
        p["lead_unit"] = world.urban
    if action == Action.APPROVE_RETURN:
        p["lead_unit"] = world.housing
    if action == Action.REFER:
        p["refer_target"] = "110"
    if action in (Action.REQUEST_EXTENSION, Action.APPROVE_EXTENSION):
        p["extension_days"] = 3
    if action == Action.FOLLOW_UP:
        p.update(resolution=Resolution.RESOLVED, satisfaction=Satisfaction.SATISFIED)
    if action in PHOTO_ACTIONS:
        p["photo"] = SimpleUploadedFile("after.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    if action == Action.MERGE:
        p["merge_into"] = appeal_in(world, Status.HANDLING).pk
    return p


ALL_PAIRS = service_pairs(TRANSITIONS, Status, Action)


@pytest.mark.parametrize(("status", "action"), ALL_PAIRS, ids=[f"{s.value}-{a.value}" for s, a in ALL_PAIRS])
def test_status_action_pair(world: Any, status: Status, action: Action) -> None:
    appeal = appeal_in(world, status)
    actor = getattr(world, ACTOR_FOR.get(action, "operator"))
    transition = TRANSITIONS.get(status, action)
    payload = payload_for(world, action, appeal)
    events_before = AppealEvent.objects.filter(appeal=appeal).count()
    if transition is None:
        # The operator sees every order, so the refusal comes from the table, not from visibility.
        actor = world.operator
        with pytest.raises(InvalidTransition):
            services.appeal_transition(actor=actor, appeal=appeal, action=action, **payload)
        fresh = Appeal.objects.get(pk=appeal.pk)
        assert (fresh.status, fresh.version) == (appeal.status, appeal.version)
        assert AppealEvent.objects.filter(appeal=appeal).count() == events_before
    else:
        result = services.appeal_transition(actor=actor, appeal=appeal, action=action, **payload)
        assert result.status == transition.target
        assert Appeal.objects.get(pk=appeal.pk).version == appeal.version + 1
        assert AppealEvent.objects.filter(appeal=appeal, action=action).exists()


def test_table_covers_every_status() -> None:
    sources = {t.source for t in TRANSITIONS.transitions}
    finals = {Status.ANSWERED, Status.REFERRED, Status.REFUSED, Status.MERGED, Status.WITHDRAWN, Status.CLOSED}
    assert set(Status) - finals == sources
