"""The review clock stopped and stretched: 特别程序 (hearing, testing, expert review … — time not
counted) and the one extension of 行政许可法 Art. 42."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from huying.accounts.selectors import Actor
from huying.core.errors import InvalidTransition, PermissionDenied, ValidationFailed

from .. import errors
from ..models import Application, ReviewTask, SpecialProcedure
from ..states import BUNDLE_EXTENSION_WORKDAYS, EXTENSION_WORKDAYS, SpecialKind, TaskStatus
from .common import Step, _reviews, _tell_applicant

RESULT_MAX_LENGTH = 2000  # a special procedure's result, recorded with it


def _require_active_task(actor: Actor | None, application: Application) -> None:
    """Only a reviewer of one of the application's active review tasks acts on its review clock."""
    tasks = ReviewTask.objects.filter(application=application, status=TaskStatus.ACTIVE).select_related("unit")
    if actor is None or not any(_reviews(actor, t) for t in tasks):
        raise PermissionDenied(_("您所在部门没有该办件待审查的环节。"))


def start_special(step: Step) -> None:
    kind = str(step.payload.get("kind") or "")
    if kind not in SpecialKind.values:
        raise ValidationFailed(data={"kind": _("请选择特别程序种类。")})
    _require_active_task(step.actor, step.application)
    SpecialProcedure.objects.create(
        application=step.application, kind=kind, reason=step.note, started_at=step.now, started_by=step.user
    )
    step.data["kind"] = kind


def end_special(step: Step) -> None:
    """The procedure's result and the working days it took (the clock resumes by as many)."""
    application, now = step.application, step.now
    result = str(step.payload.get("result") or "").strip()
    if not result:
        raise ValidationFailed(data={"result": _("请填写特别程序的结果。")})
    if len(result) > RESULT_MAX_LENGTH:
        raise ValidationFailed(data={"result": _("结果不能超过%(max)d字。") % {"max": RESULT_MAX_LENGTH}})
    procedure = SpecialProcedure.objects.filter(application=application, ended_at__isnull=True).first()
    lost = 0
    if application.paused_at is not None:
        lost = step.calendar.workdays_between(
            timezone.localtime(application.paused_at).date(), timezone.localtime(now).date()
        )
    if procedure is not None:
        procedure.ended_at, procedure.result, procedure.workdays = now, result, lost
        procedure.ended_by = step.user
        procedure.save(update_fields=["ended_at", "result", "workdays", "ended_by"])
    step.data.update(result=result, workdays=lost)


def _clean_extension(application: Application, payload: dict[str, Any], *, now: dt.datetime) -> tuple[int, str]:
    """Art. 42's conditions: once, within the running limit, at most 10 (bundle: 15) working days, with
    the approving agency head named. Returns ``(days, approved_by)``."""
    if application.extension_days:
        raise InvalidTransition(
            ngettext(
                "本办件已于此前延长办理期限%(days)d个工作日，依法只能延长一次。",
                "本办件已于此前延长办理期限%(days)d个工作日，依法只能延长一次。",
                application.extension_days,
            )
            % {"days": application.extension_days},
            code=errors.ALREADY_EXTENDED,
        )
    if application.due_at is None or application.paused_at is not None:
        raise InvalidTransition(_("办件当前不在计时中，不能延长办理期限。"), code=errors.CLOCK_NOT_RUNNING)
    if now > application.due_at:
        raise InvalidTransition(
            _("已超过承诺办结时间，不能再延长办理期限，请尽快作出决定。"), code=errors.DEADLINE_PASSED
        )
    most = BUNDLE_EXTENSION_WORKDAYS if application.bundle_id else EXTENSION_WORKDAYS
    problems: dict[str, Any] = {}
    try:
        days = int(str(payload.get("days")).strip())
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= most:
        problems["days"] = _("延长的工作日数应为1至%(most)d。") % {"most": most}
    approved_by = str(payload.get("approved_by") or "").strip()
    if not approved_by:
        problems["approved_by"] = _("延长办理期限须经本机关负责人批准，请填写批准的负责人。")
    elif len(approved_by) > 50:
        problems["approved_by"] = _("负责人姓名不能超过50字。")
    if problems:
        raise ValidationFailed(data=problems)
    return days, approved_by


def extend(step: Step) -> None:
    """The limit and the open review steps move by the approved working days; the applicant is told why."""
    application, calendar, note = step.application, step.calendar, step.note
    _require_active_task(step.actor, application)
    days, approved_by = _clean_extension(application, step.payload, now=step.now)
    assert application.due_at is not None  # _clean_extension refuses an application without one
    due_at = calendar.deadline_in_workdays(application.due_at, days)
    step.updates.update(
        due_at=due_at, is_overdue=False, extension_days=days, extension_reason=note, extension_approved_by=approved_by
    )
    step.data.update(days=days, approved_by=approved_by, due_at=due_at.isoformat())
    # The review steps still open get the same working days, so their inboxes agree with the limit.
    for task in ReviewTask.objects.filter(application=application, status=TaskStatus.ACTIVE):
        if task.due_at is not None:
            task.due_at = calendar.deadline_in_workdays(task.due_at, days)
            task.save(update_fields=["due_at"])
    _tell_applicant(
        application,
        _(
            "您的办件%(number)s（%(title)s）经负责人批准延长办理期限%(days)d个工作日，理由：%(reason)s。"
            "现承诺办结时间为%(due)s。"
        )
        % {
            "number": application.number,
            "title": application.title,
            "days": days,
            "reason": note.rstrip("。.；;，, "),
            "due": timezone.localtime(due_at).strftime("%Y-%m-%d"),
        },
    )


def resume_clock(step: Step) -> None:
    """After a special procedure the limit (and each open review step's) moves by the working days it took."""
    application, calendar, now = step.application, step.calendar, step.now
    if application.paused_at is not None and application.due_at is not None:
        due_at = calendar.extend_by_workdays_elapsed(application.due_at, application.paused_at, now)
        step.updates.update(
            due_at=due_at,
            is_overdue=due_at < now,
            paused_workdays=application.paused_workdays + step.data.get("workdays", 0),
        )
        for task in ReviewTask.objects.filter(application=application, status=TaskStatus.ACTIVE):
            if task.due_at is not None:
                task.due_at = calendar.extend_by_workdays_elapsed(task.due_at, application.paused_at, now)
                task.save(update_fields=["due_at"])
        step.data["due_at"] = due_at.isoformat()
    step.updates["paused_at"] = None
