"""Back-office review as data: stages in order, steps of a stage in parallel (并联审批)."""

from __future__ import annotations

import pytest

from huying.accounts.selectors import actor_for
from huying.applications import selectors, services
from huying.applications.models import ReviewTask
from huying.applications.states import Action, Status, TaskStatus
from huying.core.errors import ConcurrentModification, InvalidTransition, NotFound, ValidationFailed
from tests.fixtures import make_user

from .conftest import Hall, all_provided, in_review, local, receive

NOW = local(2026, 3, 2, 9, 0)


def task_of(app: object, unit: object) -> ReviewTask:
    return ReviewTask.objects.get(application=app, unit=unit, status=TaskStatus.ACTIVE)


def through_stage_one(h: Hall) -> object:
    app = in_review(h, item=h.cat.food, now=NOW)
    assert [t.status for t in app.tasks.order_by("stage", "pk")] == ["active", "waiting", "waiting"]
    services.review_task_decide(
        actor=h.reviewer, task=task_of(app, h.cat.shenpi), approve=True, opinion="同意。", now=NOW
    )
    return app


@pytest.mark.parametrize("housing_first", [True, False])
def test_two_departments_approve_in_either_order(hall: Hall, housing_first: bool) -> None:
    app = through_stage_one(hall)
    stage2 = list(app.tasks.filter(stage=2))
    assert {t.status for t in stage2} == {TaskStatus.ACTIVE}
    order = [(hall.housing_reviewer, hall.world.housing), (hall.reviewer, hall.cat.shenpi)]
    if not housing_first:
        order.reverse()
    first, second = order
    services.review_task_decide(actor=first[0], task=task_of(app, first[1]), approve=True, opinion="同意。", now=NOW)
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW
    services.review_task_decide(actor=second[0], task=task_of(app, second[1]), approve=True, opinion="同意", now=NOW)
    app.refresh_from_db()
    assert app.status == Status.APPROVED and app.decision == "approved"
    assert "住房和城乡建设局" in app.opinion


def test_a_refusal_ends_the_review(hall: Hall) -> None:
    app = through_stage_one(hall)
    with pytest.raises(ValidationFailed):
        services.review_task_decide(
            actor=hall.housing_reviewer, task=task_of(app, hall.world.housing), approve=False, now=NOW
        )
    services.review_task_decide(
        actor=hall.housing_reviewer,
        task=task_of(app, hall.world.housing),
        approve=False,
        opinion="消防通道不达标",
        now=NOW,
    )
    app.refresh_from_db()
    assert app.status == Status.REFUSED
    assert "消防通道不达标" in app.opinion and "行政诉讼" in app.opinion
    assert not app.tasks.filter(status=TaskStatus.ACTIVE).exists()
    assert app.tasks.filter(status=TaskStatus.CANCELLED).count() == 1


def test_reviewer_sees_only_own_units_active_tasks(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.food, now=NOW)
    assert list(selectors.reviewer_tasks(actor_for(hall.housing_reviewer))) == []
    assert [t.application_id for t in selectors.reviewer_tasks(actor_for(hall.reviewer))] == [app.pk]
    with pytest.raises(NotFound):
        services.review_task_decide(
            actor=hall.housing_reviewer, task=task_of(app, hall.cat.shenpi), approve=True, opinion="同意。", now=NOW
        )
    with pytest.raises(NotFound):
        services.review_task_decide(
            actor=hall.renshe_reviewer, task=task_of(app, hall.cat.shenpi), approve=True, opinion="同意。", now=NOW
        )


def test_a_waiting_or_decided_task_cannot_be_decided(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.food, now=NOW)
    waiting = app.tasks.get(stage=2, unit=hall.world.housing)
    with pytest.raises(InvalidTransition):
        services.review_task_decide(actor=hall.housing_reviewer, task=waiting, approve=True, opinion="同意。", now=NOW)
    first = task_of(app, hall.cat.shenpi)
    services.review_task_decide(actor=hall.reviewer, task=first, approve=True, opinion="同意。", now=NOW)
    with pytest.raises(InvalidTransition):
        services.review_task_decide(actor=hall.reviewer, task=first, approve=True, opinion="同意。", now=NOW)


def test_stale_task_version_is_a_concurrent_modification(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.company, now=NOW)
    task = task_of(app, hall.cat.shenpi)
    with pytest.raises(ConcurrentModification):
        services.review_task_decide(
            actor=hall.reviewer, task=task, approve=True, opinion="同意。", expected_version=task.version + 1, now=NOW
        )
    services.review_task_decide(
        actor=hall.reviewer, task=task, approve=True, opinion="同意。", expected_version=task.version, now=NOW
    )


def test_no_decision_during_a_special_procedure(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.company, now=NOW)
    services.application_transition(
        actor=hall.reviewer, application=app, action=Action.START_SPECIAL, kind="hearing", note="听证", now=NOW
    )
    with pytest.raises(InvalidTransition):
        services.review_task_decide(
            actor=hall.reviewer, task=task_of(app, hall.cat.shenpi), approve=True, opinion="同意。", now=NOW
        )


def test_parallel_bundle_opens_every_department_at_once(hall: Hall) -> None:
    bundle = hall.cat.bundle
    bundle.review_in_parallel = True
    bundle.promised_days = 3
    bundle.save()
    app = in_review(hall, bundle=bundle, now=NOW)
    assert app.promised_days == 3
    # Materials are merged by key: business_licence and id_card asked once.
    keys = list(app.materials.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) and "business_licence" in keys
    active = list(app.tasks.filter(status=TaskStatus.ACTIVE).select_related("unit"))
    assert {t.unit_id for t in active} == {hall.cat.shenpi.pk, hall.cat.renshe.pk}
    services.review_task_decide(
        actor=hall.renshe_reviewer, task=task_of(app, hall.cat.renshe), approve=True, opinion="同意。", now=NOW
    )
    for task in ReviewTask.objects.filter(application=app, unit=hall.cat.shenpi, status=TaskStatus.ACTIVE):
        app.refresh_from_db()
        assert app.status == Status.IN_REVIEW
        services.review_task_decide(actor=hall.reviewer, task=task, approve=True, opinion="同意。", now=NOW)
    app.refresh_from_db()
    assert app.status == Status.APPROVED


def test_stale_application_version_is_a_concurrent_modification(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.company, now=NOW)
    stale = app.version
    services.application_transition(
        actor=hall.reviewer, application=app, action=Action.START_SPECIAL, kind="hearing", note="听证", now=NOW
    )
    with pytest.raises(ConcurrentModification):
        services.application_transition(
            actor=hall.reviewer,
            application=app,
            action=Action.END_SPECIAL,
            result="好",
            expected_version=stale,
            now=NOW,
        )


def test_two_clerks_acting_at_once_one_wins(hall: Hall) -> None:
    app = receive(hall, item=hall.cat.company, now=NOW)
    other_clerk = make_user("chuangkou2", "clerk", hall.cat.shenpi)
    seen = app.version
    services.application_transition(
        actor=hall.clerk,
        application=app,
        action=Action.ACCEPT,
        materials=all_provided(app),
        expected_version=seen,
        now=NOW,
    )
    with pytest.raises(ConcurrentModification):
        services.application_transition(
            actor=other_clerk,
            application=app,
            action=Action.REJECT,
            note="不属于本机关",
            expected_version=seen,
            now=NOW,
        )
    app.refresh_from_db()
    assert app.status == Status.ACCEPTED
    assert app.events.filter(action=Action.REJECT).count() == 0
