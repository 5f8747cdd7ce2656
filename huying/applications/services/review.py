"""后台审批 (并联审批): review tasks by stage, each decided by a reviewer of its unit; the application's
decision (准予 / 不予许可, Art. 38) follows from them. Also 容缺 expiry, which decides it by rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from huying.core.statemachine import Transition, versioned_update
from huying.core.workdays import WorkCalendar

from .. import errors
from ..models import Application, ApplicationMaterial, MaterialView, ReviewTask
from ..permissions import roles_for
from ..states import REMEDY_TEXT, TRANSITIONS, Action, MaterialStatus, TaskStatus, status_label
from .common import (
    ActorArg,
    Step,
    _check_version,
    _decision_clock,
    _event,
    _load,
    _resolve,
    _reviews,
    _write,
    application_plan,
)
from .issuance import _issue_result_licences


def _reviewer_task(actor: Actor | None, application: Application, task_id: Any) -> ReviewTask:
    """The active review task of the application the actor reviews (``task_id`` picks one)."""
    tasks = ReviewTask.objects.filter(application=application, status=TaskStatus.ACTIVE).select_related("unit")
    if task_id not in (None, ""):
        try:
            tasks = tasks.filter(pk=int(task_id))
        except (TypeError, ValueError):
            raise ValidationFailed(data={"task": _("审批环节无效。")}) from None
    for task in tasks:
        if actor is not None and _reviews(actor, task):
            return task
    raise PermissionDenied(_("您所在部门没有该办件待审查的环节。"))


def _create_tasks(application: Application, *, now: dt.datetime, calendar: WorkCalendar) -> None:
    plan = application_plan(application)
    tasks = []
    for index, stage in enumerate(plan.review_stages, start=1):
        for step in stage:
            tasks.append(
                ReviewTask(
                    application=application,
                    item=step.item,
                    stage=index,
                    name=step.name,
                    unit=step.unit,
                    days=max(step.days or 1, 1),
                )
            )
    if not tasks:  # defensive: an item always has at least its implementing unit's step
        tasks.append(ReviewTask(application=application, stage=1, name="审查决定", unit=application.unit, days=1))
    ReviewTask.objects.bulk_create(tasks)
    _open_stage(application, 1, now=now, calendar=calendar)


def _open_stage(application: Application, stage: int, *, now: dt.datetime, calendar: WorkCalendar) -> int:
    opened = 0
    for task in ReviewTask.objects.filter(application=application, stage=stage, status=TaskStatus.WAITING):
        task.status = TaskStatus.ACTIVE
        task.opened_at = now
        task.due_at = calendar.deadline_in_workdays(now, task.days)
        task.save(update_fields=["status", "opened_at", "due_at"])
        opened += 1
        _event(
            application,
            action="task_opened",
            from_status=application.status,
            actor=None,
            now=now,
            data={"task": task.pk, "name": task.name, "unit": task.unit.name, "stage": stage},
            actor_unit=task.unit,
        )
    return opened


def start_review(step: Step) -> None:
    """分送后台审批: the plan's review steps created and the first stage opened."""
    _create_tasks(step.application, now=step.now, calendar=step.calendar)
    step.data["stages"] = ReviewTask.objects.filter(application=step.application).values("stage").distinct().count()


def promise_expired(step: Step) -> None:
    """容缺 materials not supplied by the promised date: not approved (不予审批), review ended."""
    late = [m.name for m in step.application.materials.all() if m.status == MaterialStatus.PROMISED]
    opinion = _("容缺受理的材料（%(names)s）未在承诺期限内补齐，依规作出不予审批的决定。") % {"names": "、".join(late)}
    step.updates.update(decision="refused", opinion=f"{opinion}\n{REMEDY_TEXT}")
    ReviewTask.objects.filter(application=step.application, status__in=[TaskStatus.ACTIVE, TaskStatus.WAITING]).update(
        status=TaskStatus.CANCELLED
    )
    step.data["late"] = late
    step.note = step.note or opinion


# --- deciding a review task ------------------------------------------------------------------------


def _not_reviewable(source: str, action: str) -> str:
    return _("办件当前状态为「%(status)s」，不能审批。") % {"status": status_label(source)}


def review_task_decide(
    *,
    actor: ActorArg,
    task: ReviewTask | int,
    approve: bool,
    opinion: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> ReviewTask:
    """A reviewer of the task's unit approves or refuses their step.

    When every task of a stage is approved the next stage opens; after the last stage the
    application is approved (准予), and the items' result e-licences are issued. A refusal
    ends the review: the other tasks are cancelled and the application is refused (不予许可,
    with reasons and the reconsideration/litigation text, Art. 38). Steps of one stage may be
    decided in any order. A stale ``expected_version`` (of the task) raises ConcurrentModification.
    """
    now = now or timezone.now()
    resolved = _resolve(actor)
    if resolved is None or not resolved.is_authenticated:
        raise NotFound()
    if not (opinion or "").strip():
        message = (
            _("请填写审查意见：准予许可也须写明审查意见。")
            if approve
            else _("请填写审查意见：不予许可须说明理由（行政许可法第三十八条）。")
        )
        raise ValidationFailed(message, code=errors.OPINION_REQUIRED, data={"field": "opinion"})
    task_id = task if isinstance(task, int) else task.pk
    with transaction.atomic():
        current = ReviewTask.objects.select_related("unit", "application").filter(pk=task_id).first()
        if current is None or not _reviews(resolved, current):
            raise NotFound()
        application = _load(resolved, current.application_id)
        _check_version(current, expected_version)
        if current.status != TaskStatus.ACTIVE:
            raise InvalidTransition(_("该审批环节已办理或尚未开始。"), data={"status": current.status})
        if approve:
            _require_materials_opened(application, resolved.user)
        decision, opinion = TRANSITIONS.check(
            source=application.status,
            action=Action.APPROVE if approve else Action.REFUSE,
            roles=roles_for(resolved, application),
            note=opinion,
            describe=_not_reviewable,
        )
        _record_task_decision(resolved, application, current, approve=approve, opinion=opinion, now=now)
        if approve:
            _after_approval(resolved, application, current, decision, now=now)
        else:
            _after_refusal(resolved, application, current, decision, now=now)
        return current


def materials_not_opened(application: Application, user: User | None) -> list[ApplicationMaterial]:
    """The materials with an electronic copy that ``user`` has not opened yet (each must be opened
    on the review page before 准予; a material handed in on paper only has no copy to open)."""
    with_files = ApplicationMaterial.objects.filter(application=application, files__isnull=False).distinct()
    if user is None or not user.is_authenticated:
        return list(with_files)
    opened = MaterialView.objects.filter(material__application=application, viewer=user).values("material_id")
    return list(with_files.exclude(pk__in=opened))


def _require_materials_opened(application: Application, user: User | None) -> None:
    missing = materials_not_opened(application, user)
    if missing:
        names = "、".join(m.name for m in missing)
        raise InvalidTransition(
            _("还有材料电子件未查阅（%(names)s）：请在审查页面逐项打开后再作出准予决定。") % {"names": names},
            code=errors.MATERIALS_NOT_OPENED,
            data={"materials": [m.key for m in missing]},
        )


def _reviewer_line(task: ReviewTask) -> str:
    """One line of the combined 决定意见: unit, step, reviewer and their own opinion."""
    who = ""
    if task.reviewer is not None:
        who = (task.reviewer.display_name or task.reviewer.get_full_name()).strip() or task.reviewer.get_username()
    opinion = (task.opinion or "").strip() or _("同意")
    head = f"{task.unit.name}（{task.name}）"
    return f"{head} {who}：{opinion}" if who else f"{head}：{opinion}"


def _record_task_decision(
    actor: Actor, application: Application, task: ReviewTask, *, approve: bool, opinion: str, now: dt.datetime
) -> None:
    versioned_update(
        ReviewTask.objects.filter(pk=task.pk, status=TaskStatus.ACTIVE),
        expected_version=task.version,
        status=TaskStatus.APPROVED if approve else TaskStatus.REFUSED,
        decided_at=now,
        reviewer=actor.user,
        opinion=opinion,
    )
    task.refresh_from_db()
    _event(
        application,
        action="task_approved" if approve else "task_refused",
        from_status=application.status,
        actor=actor.user,
        now=now,
        note=opinion,
        data={"task": task.pk, "name": task.name, "unit": task.unit.name, "stage": task.stage},
        actor_unit=task.unit,
    )


def _after_refusal(
    actor: Actor, application: Application, task: ReviewTask, decision: Transition, *, now: dt.datetime
) -> None:
    """One refusal ends the review: the other steps are cancelled, the application refused with reasons."""
    ReviewTask.objects.filter(application=application, status__in=[TaskStatus.ACTIVE, TaskStatus.WAITING]).update(
        status=TaskStatus.CANCELLED
    )
    reasons = _reviewer_line(task)
    _decide(actor, application, decision, note=task.opinion, now=now, opinion=f"{reasons}\n{REMEDY_TEXT}")


def _after_approval(
    actor: Actor, application: Application, task: ReviewTask, decision: Transition, *, now: dt.datetime
) -> None:
    """The stage waits for its other steps, or the next stage opens, or (after the last) the application
    is approved. The application gets a new version in every case, as its review moved on."""
    if ReviewTask.objects.filter(application=application, stage=task.stage, status=TaskStatus.ACTIVE).exists():
        _write(application, {})
        return
    next_stage = (
        ReviewTask.objects.filter(application=application, status=TaskStatus.WAITING)
        .order_by("stage")
        .values_list("stage", flat=True)
        .first()
    )
    if next_stage is not None:
        _open_stage(application, next_stage, now=now, calendar=WorkCalendar())
        _write(application, {})
        return
    opinions = "\n".join(
        _reviewer_line(t)
        for t in ReviewTask.objects.filter(application=application, status=TaskStatus.APPROVED).select_related(
            "unit", "reviewer"
        )
    )
    _decide(actor, application, decision, note=task.opinion, now=now, opinion=opinions)


def _decide(
    actor: Actor, application: Application, decision: Transition, *, note: str, now: dt.datetime, opinion: str
) -> None:
    """准予 or 不予许可: the decision, its opinion and the stopped clock; on approval the result licences."""
    updates: dict[str, Any] = {"status": decision.target, "opinion": opinion}
    updates["decision"] = "approved" if decision.action == Action.APPROVE else "refused"
    updates.update(_decision_clock(application, now, WorkCalendar()))
    from_status = application.status
    _write(application, updates)
    _event(application, action=decision.action, from_status=from_status, actor=actor.user, now=now, note=note)
    if decision.action == Action.APPROVE:
        _issue_result_licences(actor, application, now)
