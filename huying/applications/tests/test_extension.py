"""延长办理期限 (行政许可法 Art. 42): once, within the running limit, ≤ 10 (bundle 15) working days, the
agency head named, the reason recorded and sent to the applicant; the decision then counts as on time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from huying.accounts.selectors import actor_for
from huying.applications import services
from huying.applications.models import Application
from huying.applications.permissions import allowed_actions
from huying.applications.states import Action, Status
from huying.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from huying.core.workdays import WorkCalendar

from .conftest import Hall, in_review, local

pytestmark = pytest.mark.django_db


def end_of(day: dt.date) -> dt.datetime:
    return local(day.year, day.month, day.day, 23, 59, 59)


def extend(hall: Hall, app: Application, now: dt.datetime, **values: Any) -> Application:
    payload: dict[str, Any] = {"days": 10, "approved_by": "王局长", "note": "需现场核查经营场所，期限内无法作出决定"}
    payload.update(values)
    return services.application_transition(
        actor=payload.pop("actor", hall.reviewer), application=app, action=Action.EXTEND, now=now, **payload
    )


def test_extension_moves_the_deadline_over_the_holiday_and_tells_the_applicant(
    hall: Hall, capsys: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # Accepted Mon 21 Sep 2026 with 5 working days; ten more run over the National Day week.
    calendar = WorkCalendar()
    app = in_review(hall, item=hall.cat.food, now=local(2026, 9, 21, 9, 0))
    first = calendar.deadline_in_workdays(local(2026, 9, 21, 9, 0), 5)
    assert app.due_at == first
    with time_machine.travel(local(2026, 9, 24, 16, 0)):
        assert Action.EXTEND in allowed_actions(actor_for(hall.reviewer), app)
    task = app.tasks.get(status="active")
    with django_capture_on_commit_callbacks(execute=True):
        app = extend(hall, app, local(2026, 9, 24, 16, 0))
    old_task_due = task.due_at
    task.refresh_from_db()
    assert task.due_at == calendar.deadline_in_workdays(old_task_due, 10)  # the open review step moves too
    assert app.status == Status.IN_REVIEW and app.extension_days == 10
    assert app.extension_approved_by == "王局长" and "现场核查" in app.extension_reason
    expected = calendar.deadline_in_workdays(first, 10)
    assert app.due_at == expected and timezone.localtime(expected).date() > dt.date(2026, 10, 8)
    assert calendar.workdays_between(timezone.localtime(first).date(), timezone.localtime(expected).date()) == 10
    event = app.events.get(action=Action.EXTEND)
    assert event.data["days"] == 10 and event.data["approved_by"] == "王局长" and event.note == app.extension_reason
    sms = capsys.readouterr().out
    assert "13800138999" in sms and "延长办理期限10个工作日" in sms and "现场核查" in sms
    assert timezone.localtime(expected).strftime("%Y-%m-%d") in sms
    # No second extension: not offered, and refused when tried.
    with time_machine.travel(local(2026, 9, 25, 9, 0)):
        assert Action.EXTEND not in allowed_actions(actor_for(hall.reviewer), app)
    with pytest.raises(InvalidTransition) as exc:
        extend(hall, app, local(2026, 9, 25, 9, 0), days=1)
    assert exc.value.code == "already_extended"


def test_decision_after_the_first_limit_but_within_the_extension_is_on_time(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.food, now=local(2026, 3, 2, 9, 0))  # due Mon 9 Mar
    app = extend(hall, app, local(2026, 3, 6, 9, 0), days=3)  # → Thu 12 Mar
    assert timezone.localtime(app.due_at) == end_of(dt.date(2026, 3, 12))
    services.applications_sweep(now=local(2026, 3, 11, 9, 0))
    app.refresh_from_db()
    assert not app.is_overdue
    while app.status == Status.IN_REVIEW:
        task = app.tasks.filter(status="active").select_related("unit").first()
        assert task is not None
        reviewer = hall.reviewer if task.unit == hall.cat.shenpi else hall.housing_reviewer
        app = services.application_transition(
            actor=reviewer, application=app, action=Action.APPROVE, note="同意", now=local(2026, 3, 11, 10, 0)
        )
    assert app.status == Status.APPROVED and app.is_on_time is True


@pytest.mark.parametrize(
    "values, field",
    [
        ({"days": 11}, "days"),
        ({"days": 0}, "days"),
        ({"days": "十"}, "days"),
        ({"approved_by": "  "}, "approved_by"),
        ({"approved_by": "长" * 51}, "approved_by"),
    ],
)
def test_bad_extension_is_refused_and_nothing_changes(hall: Hall, values: dict[str, Any], field: str) -> None:
    app = in_review(hall, item=hall.cat.food, now=local(2026, 3, 2, 9, 0))
    due, version = app.due_at, app.version
    with pytest.raises(ValidationFailed) as exc:
        extend(hall, app, local(2026, 3, 4, 9, 0), **values)
    assert field in exc.value.data
    app.refresh_from_db()
    assert (app.due_at, app.version, app.extension_days) == (due, version, 0)


def test_the_reason_is_required(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.food, now=local(2026, 3, 2, 9, 0))
    with pytest.raises(ValidationFailed) as exc:
        extend(hall, app, local(2026, 3, 4, 9, 0), note="")
    assert "note" in exc.value.data


def test_no_extension_once_the_limit_has_passed(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.food, now=local(2026, 3, 2, 9, 0))  # due Mon 9 Mar 23:59:59
    assert Action.EXTEND not in allowed_actions(actor_for(hall.reviewer), app)  # March 2026 has passed
    with pytest.raises(InvalidTransition) as exc:
        extend(hall, app, local(2026, 3, 10, 9, 0))
    assert exc.value.code == "deadline_passed"
    app.refresh_from_db()
    assert app.extension_days == 0


def test_only_a_reviewer_with_an_active_task_extends(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.food, now=local(2026, 3, 2, 9, 0))
    with pytest.raises(PermissionDenied):
        extend(hall, app, local(2026, 3, 3, 9, 0), actor=hall.clerk)
    # The housing reviewer's stage has not opened yet (sequential review).
    with pytest.raises(PermissionDenied):
        extend(hall, app, local(2026, 3, 3, 9, 0), actor=hall.housing_reviewer)
    with pytest.raises(NotFound):  # another department's reviewer does not see it at all
        extend(hall, app, local(2026, 3, 3, 9, 0), actor=hall.renshe_reviewer)


def test_a_bundle_handled_jointly_may_extend_fifteen_days(hall: Hall) -> None:
    app = in_review(hall, bundle=hall.cat.bundle, now=local(2026, 3, 2, 9, 0))
    active_units = {t.unit for t in app.tasks.filter(status="active").select_related("unit")}
    reviewer = hall.reviewer if hall.cat.shenpi in active_units else hall.renshe_reviewer
    with pytest.raises(ValidationFailed):
        extend(hall, app, local(2026, 3, 3, 9, 0), days=16, actor=reviewer)
    app = extend(hall, app, local(2026, 3, 3, 9, 0), days=15, actor=reviewer)
    assert app.extension_days == 15
