"""Rectification cases: every (status, action) pair, roles, concurrency, fields, complaints, sweep."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.accounts.roles import Role
from huying.core.errors import ConcurrentModification, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from huying.core.statemachine import NOTE_MAX_LENGTH
from huying.ratings import selectors, services
from huying.ratings.models import CaseEvent, Complaint, Rating, RectificationCase
from huying.ratings.states import (
    TRANSITIONS,
    CaseAction,
    CaseStatus,
    ComplaintReason,
    ComplaintStatus,
    Resolution,
    RevisitView,
)
from tests.fixtures import make_user
from tests.fixtures.statemachine import service_pairs

from .conftest import RATED_AT, case_in, payload_for

pytestmark = pytest.mark.django_db

BUTTON_ACTIONS = [a for a in CaseAction if a != CaseAction.UPHOLD_COMPLAINT]
PAIRS = service_pairs(TRANSITIONS, CaseStatus, BUTTON_ACTIONS)


@pytest.mark.parametrize(("status", "action"), PAIRS, ids=[f"{s.value}-{a.value}" for s, a in PAIRS])
def test_status_action_pair(world: Any, acts: Any, status: CaseStatus, action: CaseAction) -> None:
    # 重新整改 needs a 回访 that found the rater 不满意 (its refusal otherwise is tested below).
    view = RevisitView.UNSATISFIED if action == CaseAction.REDO else RevisitView.SATISFIED
    case = case_in(world, acts, status, revisit_view=view)
    transition = TRANSITIONS.get(status, action)
    events = CaseEvent.objects.filter(case=case).count()
    if transition is None:
        with pytest.raises(InvalidTransition):
            services.case_transition(actor=world.handler, case=case, action=action, now=RATED_AT, **payload_for(action))
        fresh = RectificationCase.objects.get(pk=case.pk)
        assert (fresh.status, fresh.version) == (case.status, case.version)
        assert CaseEvent.objects.filter(case=case).count() == events
    else:
        result = services.case_transition(
            actor=world.handler, case=case, action=action, now=RATED_AT, **payload_for(action)
        )
        assert result.status == transition.target
        assert RectificationCase.objects.get(pk=case.pk).version == case.version + 1
        assert CaseEvent.objects.filter(case=case, action=action).count() == 1


UPHOLD_PAIRS = list(CaseStatus)


@pytest.mark.parametrize("status", UPHOLD_PAIRS, ids=[s.value for s in UPHOLD_PAIRS])
def test_uphold_complaint_from_each_status(world: Any, acts: Any, status: CaseStatus) -> None:
    """(status, uphold_complaint): taken only through the complaint review."""
    case = case_in(world, acts, status)
    if TRANSITIONS.get(status, CaseAction.UPHOLD_COMPLAINT) is None:
        assert status == CaseStatus.CLOSED
        with pytest.raises(InvalidTransition):
            services.complaint_file(actor=world.handler, case=case, reason=ComplaintReason.MALICIOUS, statement="x")
        return
    complaint = services.complaint_file(
        actor=world.handler, case=case, reason=ComplaintReason.MALICIOUS, statement="评价人与窗口人员有私人纠纷"
    )
    services.complaint_review(actor=world.supervisor, complaint=complaint, decision="uphold", note="查实为恶意差评")
    fresh = RectificationCase.objects.get(pk=case.pk)
    assert fresh.status == CaseStatus.CLOSED and fresh.version == case.version + 1
    assert Rating.objects.get(pk=case.rating_id).excluded


def test_uphold_is_not_a_case_action(world: Any, acts: Any) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    with pytest.raises(ValidationFailed) as err:
        services.case_transition(actor=world.supervisor, case=case, action=CaseAction.UPHOLD_COMPLAINT, note="x")
    assert err.value.code == "unknown_action"
    with pytest.raises(ValidationFailed):
        services.case_transition(actor=world.handler, case=case, action="delete", note="x")


def test_full_path_records_each_step(
    world: Any, acts: Any, capsys: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = case_in(world, acts, CaseStatus.RECTIFIED)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_transition(
            actor=world.handler, case=case, action=CaseAction.ANSWER, note="已整改窗口服务，欢迎再来", now=RATED_AT
        )
    assert "已整改窗口服务" in capsys.readouterr().out
    assert case.answered_at == RATED_AT and case.is_answered_on_time
    assert (case.contact_person, case.resolution) == ("李承办", Resolution.IMMEDIATE)
    case = services.case_transition(
        actor=world.supervisor, case=case, action=CaseAction.REVISIT, note="认可", revisit_view=RevisitView.BASICALLY
    )
    assert case.revisit_view == RevisitView.BASICALLY
    case = services.case_transition(actor=world.supervisor, case=case, action=CaseAction.CLOSE)
    assert case.closed_at is not None
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == ["opened", "verify", "rectify", "answer", "revisit", "close"]


def test_unsatisfied_revisit_sends_the_case_back_on_a_new_clock(
    world: Any, acts: Any, capsys: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = case_in(world, acts, CaseStatus.REVISITED, revisit_view=RevisitView.UNSATISFIED)
    first_due = case.due_at
    later = first_due + dt.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_transition(
            actor=world.supervisor, case=case, action=CaseAction.REDO, note="评价人反映窗口仍不一次性告知", now=later
        )
    assert "重新整改" in capsys.readouterr().out  # the rater is told by SMS
    assert case.status == CaseStatus.VERIFIED
    assert case.due_at > later > first_due and not case.is_overdue
    assert (case.answered_at, case.answer_text, case.revisit_view, case.resolution) == (None, "", "", "")
    case = services.case_transition(actor=world.handler, case=case, action=CaseAction.RECTIFY, note="再培训", now=later)
    case = services.case_transition(
        actor=world.handler, case=case, action=CaseAction.ANSWER, note="已再整改", now=later
    )
    assert case.is_answered_on_time  # measured against the new deadline
    case = services.case_transition(
        actor=world.supervisor, case=case, action=CaseAction.REVISIT, note="认可", revisit_view=RevisitView.SATISFIED
    )
    case = services.case_transition(actor=world.supervisor, case=case, action=CaseAction.CLOSE)
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions[-6:] == ["revisit", "redo", "rectify", "answer", "revisit", "close"]
    first_revisit = CaseEvent.objects.filter(case=case, action="revisit").order_by("pk").first()
    assert first_revisit is not None and first_revisit.data["revisit_view"] == RevisitView.UNSATISFIED
    redo = CaseEvent.objects.get(case=case, action="redo")
    assert redo.data == {} and redo.to_status == CaseStatus.VERIFIED  # cleared fields are not "changes"


@pytest.mark.parametrize("view", [RevisitView.SATISFIED, RevisitView.BASICALLY, RevisitView.UNREACHABLE])
def test_redo_only_after_an_unsatisfied_revisit(world: Any, acts: Any, view: str) -> None:
    from huying.accounts.selectors import actor_for
    from huying.ratings.permissions import allowed_actions

    case = case_in(world, acts, CaseStatus.REVISITED, revisit_view=view)
    assert allowed_actions(actor_for(world.supervisor), case) == ["close"]
    with pytest.raises(ValidationFailed) as err:
        services.case_transition(actor=world.supervisor, case=case, action=CaseAction.REDO, note="再改")
    assert "不满意" in str(err.value.message)
    fresh = RectificationCase.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version, fresh.revisit_view) == (CaseStatus.REVISITED, case.version, view)
    unsatisfied = case_in(world, acts, CaseStatus.REVISITED, revisit_view=RevisitView.UNSATISFIED)
    assert allowed_actions(actor_for(world.supervisor), unsatisfied) == ["close", "redo"]


def test_answer_after_the_due_time_is_late(world: Any, acts: Any) -> None:
    case = case_in(world, acts, CaseStatus.RECTIFIED)
    late = case.due_at + dt.timedelta(minutes=1)
    case = services.case_transition(
        actor=world.handler, case=case, action=CaseAction.ANSWER, note="迟到的反馈", now=late
    )
    assert case.is_answered_on_time is False


@pytest.mark.parametrize(
    ("action", "payload", "field"),
    [
        (CaseAction.VERIFY, {"note": "属实", "contact_person": " "}, "contact_person"),
        (CaseAction.VERIFY, {"note": "", "contact_person": "李"}, "note"),
        (CaseAction.VERIFY, {"note": "长" * (NOTE_MAX_LENGTH + 1), "contact_person": "李"}, "note"),
    ],
)
def test_verify_needs_who_and_what(world: Any, acts: Any, action: str, payload: dict[str, Any], field: str) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    with pytest.raises(ValidationFailed) as err:
        services.case_transition(actor=world.handler, case=case, action=action, **payload)
    assert field in err.value.data
    assert RectificationCase.objects.get(pk=case.pk).status == CaseStatus.OPEN


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"resolution": "immediate"}, "resolution"),
        ({"resolution": ""}, "resolution"),
        ({"resolution": Resolution.SCHEDULED, "ledger_entry": "", "rectify_by": "2026-12-31"}, "ledger_entry"),
        ({"resolution": Resolution.SCHEDULED, "ledger_entry": "台账", "rectify_by": ""}, "rectify_by"),
        ({"resolution": Resolution.SCHEDULED, "ledger_entry": "台账", "rectify_by": "31/12/2026"}, "rectify_by"),
        ({"resolution": Resolution.SCHEDULED, "ledger_entry": "台账", "rectify_by": "2026-03-01"}, "rectify_by"),
    ],
)
def test_explain_checks_its_fields(world: Any, acts: Any, payload: dict[str, Any], field: str) -> None:
    case = case_in(world, acts, CaseStatus.VERIFIED)
    with pytest.raises(ValidationFailed) as err:
        services.case_transition(
            actor=world.handler, case=case, action=CaseAction.EXPLAIN, note="理由", now=RATED_AT, **payload
        )
    assert field in err.value.data


def test_explain_as_explanation_needs_no_ledger(world: Any, acts: Any) -> None:
    case = case_in(world, acts, CaseStatus.VERIFIED)
    case = services.case_transition(
        actor=world.handler,
        case=case,
        action=CaseAction.EXPLAIN,
        note="该事项须依法提交原件，已向评价人解释",
        resolution=Resolution.EXPLAINED,
        ledger_entry="ignored",
        rectify_by="2027-01-01",
    )
    assert (case.resolution, case.ledger_entry, case.rectify_by) == (Resolution.EXPLAINED, "", None)


def test_scheduled_rectification_keeps_ledger_and_date(world: Any, acts: Any) -> None:
    case = case_in(world, acts, CaseStatus.EXPLAINED)
    assert (case.resolution, case.ledger_entry, case.rectify_by) == (
        Resolution.SCHEDULED,
        "台账2026-001",
        dt.date(2026, 12, 31),
    )


def test_revisit_needs_the_raters_view(world: Any, acts: Any) -> None:
    case = case_in(world, acts, CaseStatus.ANSWERED)
    with pytest.raises(ValidationFailed) as err:
        services.case_transition(actor=world.handler, case=case, action=CaseAction.REVISIT, note="x", revisit_view="ok")
    assert "revisit_view" in err.value.data


# --- permissions ------------------------------------------------------------------------------


def test_other_units_and_citizens_do_not_see_the_case(world: Any, acts: Any, hall: Any) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    for outsider in (world.housing_handler, hall.housing_reviewer, hall.clerk, world.citizen, world.operator):
        with pytest.raises(NotFound):
            services.case_transition(actor=outsider, case=case, action=CaseAction.VERIFY, **payload_for("verify"))
        assert not selectors.case_list_for(outsider, status="all").filter(pk=case.pk).exists()


def test_staff_of_the_unit_and_supervisors_above_see_it(world: Any, acts: Any, hall: Any) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    for insider in (world.handler, hall.urban_clerk, hall.urban_supervisor, world.supervisor):
        assert selectors.case_list_for(insider).filter(pk=case.pk).exists()
    # A community's case is handled by the community and seen by the street above it.
    community_staff = make_user("community", Role.HANDLER, world.community)
    lower = case_in(world, acts, CaseStatus.OPEN, unit=world.community)
    assert selectors.case_list_for(world.street_handler).filter(pk=lower.pk).exists()
    assert selectors.case_list_for(community_staff).filter(pk=lower.pk).exists()
    assert not selectors.case_list_for(community_staff).filter(pk=case.pk).exists()


def test_unit_clerk_handles_the_case(world: Any, acts: Any, hall: Any) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    case = services.case_transition(
        actor=hall.urban_clerk, case=case, action=CaseAction.VERIFY, **payload_for("verify")
    )
    assert case.status == CaseStatus.VERIFIED


def test_supervisor_may_revisit_but_not_rectify(world: Any, acts: Any) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    with pytest.raises(PermissionDenied):
        services.case_transition(actor=world.supervisor, case=case, action=CaseAction.VERIFY, **payload_for("verify"))
    answered = case_in(world, acts, CaseStatus.ANSWERED)
    revisited = services.case_transition(
        actor=world.supervisor, case=answered, action=CaseAction.REVISIT, **payload_for("revisit")
    )
    assert revisited.status == CaseStatus.REVISITED


def test_allowed_actions_follow_role_and_status(world: Any, acts: Any) -> None:
    from huying.accounts.selectors import actor_for
    from huying.ratings.permissions import allowed_actions

    case = case_in(world, acts, CaseStatus.VERIFIED)
    assert allowed_actions(actor_for(world.handler), case) == ["rectify", "explain"]
    assert allowed_actions(actor_for(world.supervisor), case) == []
    answered = case_in(world, acts, CaseStatus.ANSWERED)
    assert allowed_actions(actor_for(world.supervisor), answered) == ["revisit"]


# --- concurrency ------------------------------------------------------------------------------


def test_stale_version_is_refused(world: Any, acts: Any, hall: Any) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    seen = case.version
    services.case_transition(
        actor=world.handler, case=case.pk, action=CaseAction.VERIFY, expected_version=seen, **payload_for("verify")
    )
    with pytest.raises(ConcurrentModification) as err:
        services.case_transition(
            actor=hall.urban_clerk,
            case=case.pk,
            action=CaseAction.VERIFY,
            expected_version=seen,
            **payload_for("verify"),
        )
    assert err.value.data["current_version"] == seen + 1
    assert CaseEvent.objects.filter(case=case, action="verify").count() == 1


def test_stale_object_without_version_loses_the_race(world: Any, acts: Any) -> None:
    case = case_in(world, acts, CaseStatus.VERIFIED)
    stale = RectificationCase.objects.get(pk=case.pk)
    services.case_transition(actor=world.handler, case=case, action=CaseAction.RECTIFY, note="改了")
    # The second writer loaded before the first wrote: the conditional UPDATE matches no row.
    from huying.accounts.selectors import actor_for
    from huying.ratings.services.cases import apply_transition

    with pytest.raises(ConcurrentModification):
        apply_transition(
            actor_for(world.handler),
            stale,
            CaseAction.EXPLAIN,
            note="x",
            expected_version=None,
            now=RATED_AT,
            payload={"resolution": Resolution.EXPLAINED},
        )


# --- complaints -------------------------------------------------------------------------------


def test_complaint_rejected_case_goes_on(world: Any, acts: Any) -> None:
    case = case_in(world, acts, CaseStatus.VERIFIED)
    complaint = services.complaint_file(
        actor=world.handler, case=case, reason=ComplaintReason.MISTAKEN, statement="评价人误点"
    )
    assert not selectors.can_complain(world.handler, case)
    reviewed = services.complaint_review(
        actor=world.supervisor, complaint=complaint.pk, decision="reject", note="录音显示确有不满", expected_version=1
    )
    assert reviewed.status == ComplaintStatus.REJECTED and reviewed.reviewed_by == world.supervisor
    fresh = RectificationCase.objects.get(pk=case.pk)
    assert fresh.status == CaseStatus.VERIFIED
    assert not Rating.objects.get(pk=case.rating_id).excluded
    assert CaseEvent.objects.filter(case=case, action="complaint_rejected").exists()
    with pytest.raises(ValidationFailed) as err:
        services.complaint_file(actor=world.handler, case=case, reason=ComplaintReason.MALICIOUS, statement="再申诉")
    assert err.value.code == "already_complained"
    with pytest.raises(InvalidTransition):
        services.complaint_review(actor=world.supervisor, complaint=complaint, decision="uphold", note="改判")


@pytest.mark.parametrize(
    ("reason", "statement", "field"),
    [("", "理由", "reason"), ("spam", "理由", "reason"), ("malicious", " ", "statement")],
)
def test_complaint_input(world: Any, acts: Any, reason: str, statement: str, field: str) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    with pytest.raises(ValidationFailed) as err:
        services.complaint_file(actor=world.handler, case=case, reason=reason, statement=statement)
    assert field in err.value.data
    assert not Complaint.objects.exists()


def test_only_the_rated_unit_files_and_only_supervisors_review(world: Any, acts: Any, hall: Any) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    with pytest.raises(PermissionDenied):
        services.complaint_file(actor=world.supervisor, case=case, reason="malicious", statement="x")
    with pytest.raises(NotFound):
        services.complaint_file(actor=world.housing_handler, case=case, reason="malicious", statement="x")
    complaint = services.complaint_file(actor=world.handler, case=case, reason="malicious", statement="x")
    for not_reviewer in (world.handler, world.housing_handler, world.operator, world.citizen):
        with pytest.raises(NotFound):
            services.complaint_review(actor=not_reviewer, complaint=complaint, decision="uphold", note="x")
    supervisor_elsewhere = make_user("sup2", Role.SUPERVISOR, world.housing)
    with pytest.raises(NotFound):
        services.complaint_review(actor=supervisor_elsewhere, complaint=complaint, decision="uphold", note="x")
    assert not selectors.complaint_list_for(supervisor_elsewhere).exists()
    assert selectors.complaint_list_for(hall.urban_supervisor).get() == complaint
    services.complaint_review(actor=hall.urban_supervisor, complaint=complaint, decision="uphold", note="成立")


@pytest.mark.parametrize(("decision", "note", "field"), [("maybe", "x", "decision"), ("uphold", "", "note")])
def test_review_input(world: Any, acts: Any, decision: str, note: str, field: str) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    complaint = services.complaint_file(actor=world.handler, case=case, reason="malicious", statement="x")
    with pytest.raises(ValidationFailed) as err:
        services.complaint_review(actor=world.supervisor, complaint=complaint, decision=decision, note=note)
    assert field in err.value.data
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.PENDING


def test_two_reviewers_one_wins(world: Any, acts: Any, hall: Any) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    complaint = services.complaint_file(actor=world.handler, case=case, reason="malicious", statement="x")
    services.complaint_review(
        actor=world.supervisor, complaint=complaint, decision="reject", note="不成立", expected_version=1
    )
    with pytest.raises(ConcurrentModification):
        services.complaint_review(
            actor=hall.urban_supervisor, complaint=complaint, decision="uphold", note="成立", expected_version=1
        )
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.REJECTED


def test_upheld_after_the_case_closed_still_excludes(world: Any, acts: Any) -> None:
    case = case_in(world, acts, CaseStatus.REVISITED)
    complaint = services.complaint_file(actor=world.handler, case=case, reason="malicious", statement="x")
    services.case_transition(actor=world.handler, case=case, action=CaseAction.CLOSE)
    services.complaint_review(actor=world.supervisor, complaint=complaint, decision="uphold", note="成立")
    assert Rating.objects.get(pk=case.rating_id).excluded
    assert CaseEvent.objects.filter(case=case, action="complaint_upheld").exists()


# --- sweep ------------------------------------------------------------------------------------


def test_sweep_flags_overdue_once(world: Any, acts: Any) -> None:
    owing = case_in(world, acts, CaseStatus.VERIFIED)
    answered = case_in(world, acts, CaseStatus.ANSWERED)
    after = owing.due_at + dt.timedelta(hours=1)
    assert services.ratings_sweep_overdue(now=owing.due_at - dt.timedelta(hours=1)) == 0
    assert services.ratings_sweep_overdue(now=after) == 1
    assert services.ratings_sweep_overdue(now=after) == 0
    fresh = RectificationCase.objects.get(pk=owing.pk)
    assert fresh.is_overdue and fresh.version == owing.version + 1
    assert not RectificationCase.objects.get(pk=answered.pk).is_overdue
    assert CaseEvent.objects.filter(case=owing, action="overdue").count() == 1
    assert selectors.case_deadline(fresh, now=after) == "overdue"


def test_deadline_colours(world: Any, acts: Any) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    assert selectors.case_deadline(case, now=case.due_at - dt.timedelta(days=3)) == "ok"
    assert selectors.case_deadline(case, now=case.due_at - dt.timedelta(hours=3)) == "due_soon"
    assert selectors.case_deadline(case, now=case.due_at + dt.timedelta(seconds=1)) == "overdue"
    answered = case_in(world, acts, CaseStatus.ANSWERED)
    assert selectors.case_deadline(answered, now=timezone.now()) == "none"


def test_sweep_command_is_idempotent(world: Any, acts: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    case_in(world, acts, CaseStatus.OPEN)  # due in March 2026: long overdue by now
    out = StringIO()
    call_command("ratings_sweep", stdout=out)
    call_command("ratings_sweep", stdout=out)
    assert "标记 1 件" in out.getvalue() and "标记 0 件" in out.getvalue()
