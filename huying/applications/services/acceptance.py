"""一窗受理 (行政许可法 Art. 32): accept, 容缺受理, one complete correction notice (一次性告知), the
applicant's resubmission, 不予受理 and withdrawal — the handlers ``application_transition`` runs."""

from __future__ import annotations

from django.utils.translation import gettext as _

from huying.core.errors import ValidationFailed

from .. import errors
from ..models import ApplicationMaterial, CorrectionNotice, ReviewTask, SpecialProcedure
from ..states import Action, MaterialStatus, TaskStatus
from .common import Step, notice_workdays
from .materials import _apply_material_changes, _mark_held_licences, clean_material_changes


def _checklist(step: Step) -> list[ApplicationMaterial]:
    """The clerk's checklist changes of this step applied (held e-licences marked unless it is a
    correction notice); the application's materials as they now stand."""
    application = step.application
    changes = clean_material_changes(application, step.payload.get("materials"), today=step.today)
    changed = _apply_material_changes(application, changes)
    if step.action != Action.REQUEST_CORRECTION:
        changed += _mark_held_licences(application)
    if changed:
        step.data["materials"] = changed
    return list(application.materials.all())


def _missing(materials: list[ApplicationMaterial]) -> list[ApplicationMaterial]:
    return [m for m in materials if m.required and m.status == MaterialStatus.MISSING]


def _promised(materials: list[ApplicationMaterial]) -> list[ApplicationMaterial]:
    return [m for m in materials if m.status == MaterialStatus.PROMISED]


def accept(step: Step) -> None:
    materials = _checklist(step)
    short = _missing(materials) + _promised(materials)
    if short:
        names = "、".join(m.name for m in short)
        raise ValidationFailed(
            _("材料不齐全，不能受理：%(names)s。可一次性告知补正，或容缺受理。") % {"names": names},
            code=errors.MATERIALS_INCOMPLETE,
            data={"materials": {m.key: _("未收取") for m in short}},
        )


def accept_with_promise(step: Step) -> None:
    materials = _checklist(step)
    missing, promised = _missing(materials), _promised(materials)
    if missing:
        names = "、".join(m.name for m in missing)
        raise ValidationFailed(
            _("容缺受理时每项缺少的材料都须有承诺补齐日期：%(names)s。") % {"names": names},
            code=errors.MATERIALS_INCOMPLETE,
            data={"materials": {m.key: _("请标记为容缺并填写承诺补齐日期。") for m in missing}},
        )
    if not promised:
        raise ValidationFailed(_("没有容缺材料：材料齐全时请直接受理。"), data={"materials": _("没有容缺材料。")})
    step.updates["promise_until"] = min(m.promised_by for m in promised if m.promised_by)
    step.data["promised"] = {m.key: m.promised_by.isoformat() for m in promised if m.promised_by}


def request_correction(step: Step) -> None:
    """一次性告知: every material missing or wrong listed with its reason, in one notice."""
    materials = _checklist(step)
    reasons = step.payload.get("reasons") or {}
    if not isinstance(reasons, dict):
        raise ValidationFailed(data={"reasons": _("补正原因格式不正确。")})
    unknown = [k for k in reasons if k not in {m.key for m in materials}]
    listed: list[dict[str, str]] = []
    for m in materials:
        reason = str(reasons.get(m.key) or "").strip()[:300]
        if m.status == MaterialStatus.MISSING and (m.required or reason):
            listed.append({"key": m.key, "name": m.name, "reason": reason or _("未提交")})
        elif reason:
            listed.append({"key": m.key, "name": m.name, "reason": reason})
            m.status = MaterialStatus.MISSING
            m.save(update_fields=["status"])
    if unknown:
        raise ValidationFailed(data={"reasons": _("没有这项材料：%(keys)s") % {"keys": "、".join(unknown)}})
    if not listed and not step.note:
        raise ValidationFailed(
            _("一次性告知书须列明需要补正的全部内容。"), data={"materials": _("请标出缺少或有误的材料。")}
        )
    application, now = step.application, step.now
    in_time = application.notice_due_at is None or now <= application.notice_due_at
    notice = CorrectionNotice.objects.create(
        application=application, items=listed, note=step.note, notified_at=now, notified_by=step.user, in_time=in_time
    )
    step.data.update(notice=notice.pk, items=[i["name"] for i in listed], in_time=in_time)
    step.updates["notice_due_at"] = None


def resubmit(step: Step) -> None:
    """补正材料: the notice is answered and the notice limit runs again from now."""
    _checklist(step)
    CorrectionNotice.objects.filter(application=step.application, resubmitted_at__isnull=True).update(
        resubmitted_at=step.now
    )
    step.updates["notice_due_at"] = step.calendar.deadline_in_workdays(step.now, notice_workdays())


def reject(step: Step) -> None:
    step.updates.update(closed_at=step.now, opinion=step.note)


def withdraw(step: Step) -> None:
    """撤回: open review steps are cancelled and a running special procedure ends."""
    step.updates.update(closed_at=step.now, paused_at=None)
    ReviewTask.objects.filter(application=step.application, status__in=[TaskStatus.ACTIVE, TaskStatus.WAITING]).update(
        status=TaskStatus.CANCELLED
    )
    SpecialProcedure.objects.filter(application=step.application, ended_at__isnull=True).update(ended_at=step.now)
