"""Every TRANSITIONS table of every loop, checked without a database.

Every (status, action) pair a table lacks is refused (InvalidTransition) even to an actor holding every
role; every pair it has is refused (PermissionDenied) to each role it does not name, and taken by each role
it names. The loops' service tests walk only the allowed pairs and one refused pair per status. A new
loop adds its table to TABLES.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from huying.appeals import states as appeals
from huying.applications import states as applications
from huying.canteens import states as canteens
from huying.community import states as community
from huying.core.errors import InvalidTransition, PermissionDenied
from huying.core.statemachine import TransitionTable
from huying.deputies import states as deputies
from huying.grids import tasks_states as grid_tasks
from huying.halls import states as halls
from huying.licences import states as licences
from huying.opendays import states as opendays
from huying.points import states as points
from huying.ratings import states as ratings
from huying.servicepoints import states as servicepoints
from huying.volunteers import states as volunteers
from tests.fixtures.statemachine import all_roles, refused_pairs, roles_named, roles_not_named

# (name, table, every status, every action)
TABLES: list[tuple[str, TransitionTable, Iterable[str], Iterable[str]]] = [
    ("appeal", appeals.TRANSITIONS, appeals.Status.values, appeals.Action.values),
    ("application", applications.TRANSITIONS, applications.Status.values, applications.Action.values),
    ("ticket", halls.TRANSITIONS, halls.Status.values, halls.Action.values),
    ("window", halls.WINDOW_TRANSITIONS, halls.WindowStatus.values, halls.WindowAction.values),
    ("licence", licences.TRANSITIONS, licences.LicenceStatus.values, licences.Action.values),
    ("case", ratings.TRANSITIONS, ratings.CaseStatus.values, ratings.CaseAction.values),
    (
        "complaint",
        ratings.COMPLAINT_TRANSITIONS,
        ratings.ComplaintStatus.values,
        ratings.ComplaintDecision.values,
    ),
    (
        "grid_task",
        grid_tasks.TRANSITIONS,
        (grid_tasks.OPEN, grid_tasks.CLAIMED, grid_tasks.DONE),
        grid_tasks.TRANSITIONS.actions(),
    ),
    ("points_claim", points.TRANSITIONS, points.ClaimStatus.values, points.ClaimAction.values),
    ("opinion", deputies.OPINION_TRANSITIONS, deputies.OPINION_STATUSES, deputies.OPINION_TRANSITIONS.actions()),
    (
        "suggestion",
        deputies.SUGGESTION_TRANSITIONS,
        deputies.SUGGESTION_STATUSES,
        deputies.SUGGESTION_TRANSITIONS.actions(),
    ),
    (
        "mediation",
        deputies.MEDIATION_TRANSITIONS,
        deputies.MEDIATION_STATUSES,
        deputies.MEDIATION_TRANSITIONS.actions(),
    ),
    ("filing", deputies.FILING_TRANSITIONS, deputies.FILING_STATUSES, deputies.FILING_TRANSITIONS.actions()),
    (
        "open_day",
        opendays.EVENT_TRANSITIONS,
        (
            opendays.DRAFT,
            opendays.OPEN,
            opendays.REVIEW,
            opendays.LOTTERY,
            opendays.DRAWN,
            opendays.HELD,
            opendays.CLOSED,
        ),
        opendays.EVENT_TRANSITIONS.actions(),
    ),
    (
        "open_day_registration",
        opendays.REGISTRATION_TRANSITIONS,
        (opendays.REGISTERED, opendays.EXCLUDED, opendays.INVITED, opendays.CONFIRMED, opendays.DECLINED),
        opendays.REGISTRATION_TRANSITIONS.actions(),
    ),
    ("community_topic", community.TRANSITIONS, community.TopicStatus.values, community.TopicAction.values),
    (
        "community_meeting",
        community.MEETING_TRANSITIONS,
        community.MeetingStatus.values,
        community.MeetingAction.values,
    ),
    (
        "community_publication",
        community.PUBLICATION_TRANSITIONS,
        community.PublicationStatus.values,
        community.PublicationAction.values,
    ),
    (
        "community_rectification",
        community.RECTIFICATION_TRANSITIONS,
        community.RectificationStatus.values,
        community.RectificationAction.values,
    ),
    (
        "volunteer_need",
        volunteers.NEED_TRANSITIONS,
        volunteers.NEED_TRANSITIONS.states(),
        volunteers.NEED_TRANSITIONS.actions(),
    ),
    (
        "volunteer_signup",
        volunteers.SIGNUP_TRANSITIONS,
        volunteers.SIGNUP_TRANSITIONS.states(),
        volunteers.SIGNUP_TRANSITIONS.actions(),
    ),
    (
        "village_proxy_case",
        servicepoints.CASE_TRANSITIONS,
        servicepoints.CaseStatus.values,
        servicepoints.CaseAction.values,
    ),
    ("canteen_elder", canteens.ELDER_TRANSITIONS, canteens.ElderStatus.values, canteens.ElderAction.values),
    (
        "canteen_settlement",
        canteens.SETTLEMENT_TRANSITIONS,
        canteens.SettlementStatus.values,
        canteens.SettlementAction.values,
    ),
]
BY_NAME = {name: table for name, table, _s, _a in TABLES}


def _cases(kind: str) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, table, statuses, actions in TABLES:
        if kind == "refused":
            found += [(name, *pair) for pair in refused_pairs(table, statuses, actions)]
        elif kind == "not_named":
            found += [(name, *case) for case in roles_not_named(table)]
        else:
            found += [(name, *case) for case in roles_named(table)]
    return found


def _id(case: tuple[str, ...]) -> str:
    return "-".join(case)


REFUSED, NOT_NAMED, NAMED = _cases("refused"), _cases("not_named"), _cases("named")


@pytest.mark.parametrize(("table", "status", "action"), REFUSED, ids=[_id(c) for c in REFUSED])
def test_pair_not_in_table_is_refused(table: str, status: str, action: str) -> None:
    transitions = BY_NAME[table]
    with pytest.raises(InvalidTransition) as err:
        transitions.check(source=status, action=action, roles=all_roles(transitions), note="说明")
    assert err.value.data == {"status": status, "action": action}


@pytest.mark.parametrize(("table", "status", "action", "role"), NOT_NAMED, ids=[_id(c) for c in NOT_NAMED])
def test_role_not_named_is_refused(table: str, status: str, action: str, role: str) -> None:
    with pytest.raises(PermissionDenied):
        BY_NAME[table].check(source=status, action=action, roles={role}, note="说明")


@pytest.mark.parametrize(("table", "status", "action", "role"), NAMED, ids=[_id(c) for c in NAMED])
def test_role_named_may_act(table: str, status: str, action: str, role: str) -> None:
    transition, note = BY_NAME[table].check(source=status, action=action, roles={role}, note=" 说明 ")
    assert (transition.source, transition.action, note) == (status, action, "说明")


@pytest.mark.parametrize(("name", "table", "statuses", "actions"), TABLES, ids=[t[0] for t in TABLES])
def test_every_status_and_action_is_declared(
    name: str, table: TransitionTable, statuses: Iterable[str], actions: Iterable[str]
) -> None:
    assert table.states() <= set(statuses)
    assert table.actions() <= set(actions)
