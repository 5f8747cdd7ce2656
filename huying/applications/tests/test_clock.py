"""The clock: working days from 受理, 补正 not counted, deemed acceptance, special procedures, 容缺, overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from huying.applications import services
from huying.applications.models import ApplicationEvent, ReviewTask, SpecialProcedure
from huying.applications.states import Action, Status, TaskStatus
from huying.core.errors import ConcurrentModification

from .conftest import Hall, accepted, all_provided, in_review, local, receive


def end_of(day: dt.date) -> dt.datetime:
    return local(day.year, day.month, day.day, 23, 59, 59)


def test_promised_days_skip_spring_festival_and_count_the_makeup_saturday(hall: Hall) -> None:
    # Thu 12 Feb 2026: 13 Feb (1), Sat 14 Feb make-up (2), 15–23 Feb off, 24 (3), 25 (4), 26 (5).
    app = accepted(hall, item=hall.cat.food, now=local(2026, 2, 12, 10, 0))
    assert timezone.localtime(app.due_at) == end_of(dt.date(2026, 2, 26))
    assert timezone.localtime(app.accepted_at) == local(2026, 2, 12, 10, 0)


def test_correction_time_does_not_count_the_limit_runs_from_acceptance(hall: Hall) -> None:
    app = receive(hall, item=hall.cat.food, now=local(2026, 3, 2, 9, 0))
    app = services.application_transition(
        actor=hall.clerk, application=app, action=Action.REQUEST_CORRECTION, now=local(2026, 3, 3, 9, 0)
    )
    assert app.due_at is None and app.accepted_at is None
    notice = app.notices.get()
    assert {i["key"] for i in notice.items} == {"application_form", "business_licence", "id_card"}
    assert notice.in_time
    app = services.application_transition(
        actor=hall.clerk, application=app, action=Action.RESUBMIT, now=local(2026, 3, 10, 9, 0)
    )
    app = services.application_transition(
        actor=hall.clerk,
        application=app,
        action=Action.ACCEPT,
        materials=all_provided(app),
        now=local(2026, 3, 10, 9, 0),
    )
    # 5 working days from Tue 10 Mar: 11, 12, 13, 16, 17.
    assert timezone.localtime(app.due_at) == end_of(dt.date(2026, 3, 17))


def test_one_notice_lists_every_missing_and_wrong_material(hall: Hall) -> None:
    app = receive(hall, item=hall.cat.food, materials={"application_form": "provided", "business_licence": "provided"})
    app = services.application_transition(
        actor=hall.clerk,
        application=app,
        action=Action.REQUEST_CORRECTION,
        reasons={"application_form": "未签字盖章"},
        now=local(2026, 3, 2, 10, 0),
    )
    items = {i["key"]: i["reason"] for i in app.notices.get().items}
    assert items == {"application_form": "未签字盖章", "id_card": "未提交"}


def test_no_notice_within_two_working_days_means_accepted_from_receipt(hall: Hall) -> None:
    received_at = local(2026, 2, 12, 10, 0)  # Thu; notice due by Sat 14 Feb (make-up workday)
    app = receive(hall, item=hall.cat.food, now=received_at)
    assert timezone.localtime(app.notice_due_at) == end_of(dt.date(2026, 2, 14))
    assert "视为受理 0 件" in services.applications_sweep(now=local(2026, 2, 14, 20, 0))
    app.refresh_from_db()
    assert app.status == Status.RECEIVED
    line = services.applications_sweep(now=local(2026, 2, 16, 9, 0))
    assert "视为受理 1 件" in line
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW
    assert timezone.localtime(app.accepted_at) == received_at
    assert timezone.localtime(app.due_at) == end_of(dt.date(2026, 2, 26))
    assert app.events.filter(action=Action.DEEM_ACCEPT).count() == 1
    services.applications_sweep(now=local(2026, 2, 17, 9, 0))  # idempotent
    assert app.events.filter(action=Action.DEEM_ACCEPT).count() == 1


def test_a_late_notice_is_recorded_as_late(hall: Hall) -> None:
    app = receive(hall, item=hall.cat.food, now=local(2026, 3, 2, 9, 0))  # due Wed 4 Mar
    app = services.application_transition(
        actor=hall.clerk, application=app, action=Action.REQUEST_CORRECTION, now=local(2026, 3, 5, 9, 0)
    )
    assert app.notices.get().in_time is False


def test_special_procedure_stops_the_clock(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.company, now=local(2026, 3, 2, 10, 0))  # 1 day: due Tue 3 Mar
    assert timezone.localtime(app.due_at) == end_of(dt.date(2026, 3, 3))
    app = services.application_transition(
        actor=hall.reviewer,
        application=app,
        action=Action.START_SPECIAL,
        kind="expert_review",
        note="组织专家评审",
        now=local(2026, 3, 3, 10, 0),
    )
    assert app.status == Status.SPECIAL_PROCEDURE
    # The clock is stopped: the sweep does not flag it although the date has passed.
    services.applications_sweep(now=local(2026, 3, 5, 10, 0))
    app.refresh_from_db()
    assert not app.is_overdue
    app = services.application_transition(
        actor=hall.reviewer, application=app, action=Action.END_SPECIAL, result="评审通过", now=local(2026, 3, 6, 10, 0)
    )
    # 4, 5 and 6 Mar were spent in the procedure: the due date (Tue 3 Mar) moves 3 working days.
    assert app.paused_workdays == 3
    assert timezone.localtime(app.due_at) == end_of(dt.date(2026, 3, 6))
    procedure = SpecialProcedure.objects.get(application=app)
    assert procedure.workdays == 3 and procedure.result == "评审通过"
    task = ReviewTask.objects.get(application=app)
    assert timezone.localtime(task.due_at) == end_of(dt.date(2026, 3, 6))
    app = services.application_transition(
        actor=hall.reviewer, application=app, action=Action.APPROVE, note="同意。", now=local(2026, 3, 6, 15, 0)
    )
    assert app.is_on_time is True
    assert app.workdays_used == 1  # 4 working days since acceptance less 3 not counted


def test_special_procedure_over_the_spring_festival(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.food, now=local(2026, 2, 11, 9, 0))  # due: 12,13,14(Sat),24,25 → 25 Feb
    assert timezone.localtime(app.due_at) == end_of(dt.date(2026, 2, 25))
    app = services.application_transition(
        actor=hall.reviewer,
        application=app,
        action=Action.START_SPECIAL,
        kind="testing",
        note="送检",
        now=local(2026, 2, 13, 9, 0),
    )
    app = services.application_transition(
        actor=hall.reviewer, application=app, action=Action.END_SPECIAL, result="合格", now=local(2026, 2, 24, 9, 0)
    )
    # Lost: 14 Feb (make-up Saturday) and 24 Feb = 2 working days; 25 Feb + 2 = 27 Feb.
    assert app.paused_workdays == 2
    assert timezone.localtime(app.due_at) == end_of(dt.date(2026, 2, 27))


def test_promise_expiry_refuses_and_in_time_completion_does_not(hall: Hall) -> None:
    def promised() -> object:
        app = receive(hall, item=hall.cat.company, now=local(2026, 3, 2, 9, 0))
        materials: dict[str, object] = dict(all_provided(app))
        materials["lease_contract"] = {"status": "promised", "promised_by": "2026-03-10"}
        app = services.application_transition(
            actor=hall.clerk,
            application=app,
            action=Action.ACCEPT_WITH_PROMISE,
            materials=materials,
            now=local(2026, 3, 2, 9, 0),
        )
        return services.application_transition(
            actor=hall.clerk, application=app, action=Action.START_REVIEW, now=local(2026, 3, 2, 9, 0)
        )

    late = promised()
    kept = promised()
    assert late.promise_until == dt.date(2026, 3, 10)
    services.application_materials_update(
        actor=hall.clerk, application=kept, materials={"lease_contract": "provided"}, now=local(2026, 3, 9, 9, 0)
    )
    services.applications_sweep(now=local(2026, 3, 10, 20, 0))
    late.refresh_from_db()
    assert late.status == Status.IN_REVIEW
    services.applications_sweep(now=local(2026, 3, 11, 8, 0))
    late.refresh_from_db()
    kept.refresh_from_db()
    assert late.status == Status.REFUSED and late.decision == "refused"
    assert "不予审批" in late.opinion and "行政复议" in late.opinion
    assert not late.tasks.filter(status=TaskStatus.ACTIVE).exists()
    assert kept.status == Status.IN_REVIEW and kept.promise_until is None


def test_overdue_flag_set_once(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.company, now=local(2026, 3, 2, 10, 0))
    services.applications_sweep(now=local(2026, 3, 3, 20, 0))
    app.refresh_from_db()
    assert not app.is_overdue
    assert "新增超期 1 件" in services.applications_sweep(now=local(2026, 3, 4, 9, 0))
    assert "新增超期 0 件" in services.applications_sweep(now=local(2026, 3, 5, 9, 0))
    app.refresh_from_db()
    assert app.is_overdue
    assert ApplicationEvent.objects.filter(application=app, action="overdue").count() == 1
    app = services.application_transition(
        actor=hall.reviewer, application=app, action=Action.APPROVE, note="同意。", now=local(2026, 3, 5, 9, 0)
    )
    assert app.is_on_time is False
    assert timezone.localtime(app.issue_due_at) == end_of(dt.date(2026, 3, 19))  # Art. 44: 10 working days


def test_a_page_open_before_the_sweep_marked_overdue_is_told_it_changed(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.company, now=local(2026, 3, 2, 10, 0))
    seen = app.version  # the reviewer's page shows the application at this version
    assert "新增超期 1 件" in services.applications_sweep(now=local(2026, 3, 4, 9, 0))
    app.refresh_from_db()
    assert app.is_overdue and app.version == seen + 1
    with pytest.raises(ConcurrentModification):
        services.application_transition(
            actor=hall.reviewer,
            application=app,
            action=Action.START_SPECIAL,
            kind="hearing",
            note="申请人申请听证。",
            expected_version=seen,
            now=local(2026, 3, 4, 10, 0),
        )
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW and app.version == seen + 1
