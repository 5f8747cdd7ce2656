"""The hall duty post (学雷锋岗), call-outs (闻令而动) and training (志愿者学院).

Duty shifts: no volunteer is booked twice at once (checked under a lock on the volunteer's row, so
two organisers booking at once cannot both pass); a swap waits for an organiser's approval;
attendance is checked by the hall's rotating QR; reminders go out the day before (a sweep).
Call-outs invite every active volunteer with a wanted skill in the chosen stations' areas; each
answers from the phone and the headcount counts acceptances against the target.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.roles import Role
from huying.core.errors import NotFound, PermissionDenied, ValidationFailed
from huying.core.notify import send_sms
from huying.core.statemachine import versioned_update
from huying.organisations.models import OrgUnit

from .. import errors, rotating, skills
from ..extra_models import CallOut, CallOutInvite, Course, DutyShift, TrainingAttendance
from ..models import Station, Volunteer
from ..permissions import is_admin, organises, require_organiser, require_volunteer, resolve
from .archive import clean_skills
from .needs import _clean_times

GRACE = dt.timedelta(minutes=30)


def _fail(code: str) -> ValidationFailed:
    return ValidationFailed(errors.codes.codes[code], code=code)


def _require_any_organiser(actor: Any) -> Any:
    resolved = resolve(actor)
    if not (is_admin(resolved) or resolved.has_role(Role.VOLUNTEER_ORG)):
        raise PermissionDenied()
    return resolved


def _check_free(volunteer: Volunteer, start: dt.datetime, end: dt.datetime, exclude: int | None = None) -> None:
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()  # one booking at a time per person
    clash = DutyShift.objects.filter(volunteer=volunteer, starts_at__lt=end, ends_at__gt=start)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise _fail(errors.SHIFT_OVERLAP)


@transaction.atomic
def duty_shift_create(
    *, actor: Any, hall: OrgUnit, volunteer: Volunteer, starts_at: dt.datetime | None, ends_at: dt.datetime | None
) -> DutyShift:
    require_organiser(resolve(actor), hall)
    start, end = _clean_times(starts_at, ends_at)
    _check_free(volunteer, start, end)
    return DutyShift.objects.create(hall=hall, volunteer=volunteer, starts_at=start, ends_at=end)


@transaction.atomic
def duty_swap_request(*, actor: Any, shift_id: int, version: int, to: Volunteer) -> DutyShift:
    me = require_volunteer(resolve(actor))
    shift = DutyShift.objects.filter(pk=shift_id, volunteer=me).first()
    if shift is None or to.pk == me.pk:
        raise NotFound()
    versioned_update(DutyShift.objects.filter(pk=shift.pk), expected_version=version, swap_to=to)
    return DutyShift.objects.get(pk=shift.pk)


@transaction.atomic
def duty_swap_approve(*, actor: Any, shift_id: int, version: int) -> DutyShift:
    resolved = _require_any_organiser(actor)
    shift = DutyShift.objects.select_related("swap_to", "hall").filter(pk=shift_id, swap_to__isnull=False).first()
    if shift is None or shift.swap_to is None or not organises(resolved, shift.hall):
        raise NotFound()
    _check_free(shift.swap_to, shift.starts_at, shift.ends_at, exclude=shift.pk)
    versioned_update(DutyShift.objects.filter(pk=shift.pk), expected_version=version, volunteer=shift.swap_to,
                     swap_to=None)  # fmt: skip
    return DutyShift.objects.get(pk=shift.pk)


def duty_code(shift: DutyShift, now: float | None = None) -> str:
    return rotating.current_code(shift.qr_secret, shift.pk, now=now)


@transaction.atomic
def duty_check_in(*, actor: Any, shift_id: int, code: str, now: dt.datetime | None = None) -> DutyShift:
    """Attendance by the QR shown at the hall's duty post."""
    moment = now or timezone.now()
    me = require_volunteer(resolve(actor))
    shift = DutyShift.objects.filter(pk=shift_id, volunteer=me).first()
    if shift is None:
        raise NotFound()
    if not rotating.is_current(shift.qr_secret, shift.pk, code, now=moment.timestamp()):
        raise _fail(errors.QR_EXPIRED)
    if not shift.starts_at - GRACE <= moment <= shift.ends_at:
        raise _fail(errors.OUTSIDE_TIME)
    versioned_update(DutyShift.objects.filter(pk=shift.pk), expected_version=shift.version, checked_in_at=moment)
    return DutyShift.objects.get(pk=shift.pk)


def duty_reminders(now: dt.datetime | None = None) -> str:
    """Text each volunteer the day before a shift (once)."""
    moment = now or timezone.now()
    due = DutyShift.objects.filter(reminded_at__isnull=True, starts_at__gt=moment,
                                   starts_at__lte=moment + dt.timedelta(hours=24)).select_related("volunteer", "hall")  # fmt: skip
    sent = 0
    for shift in due:
        with transaction.atomic():
            if versioned_update(DutyShift.objects.filter(pk=shift.pk, reminded_at__isnull=True), reminded_at=moment):
                local = timezone.localtime(shift.starts_at)
                send_sms(phone=shift.volunteer.phone, text=_("【学雷锋岗】您%(t)s在%(h)s值班，请准时到岗扫码签到。")
                         % {"t": f"{local:%m-%d %H:%M}", "h": shift.hall.label})  # fmt: skip
                sent += 1
    return f"duty reminders sent: {sent}"


@transaction.atomic
def callout_create(*, actor: Any, org_unit: OrgUnit, title: str, skill_codes: list[str], stations: list[Station],
                   target: int) -> CallOut:  # fmt: skip
    require_organiser(resolve(actor), org_unit)
    if not (title or "").strip() or target < 1 or not stations or not skill_codes:
        raise ValidationFailed(_("请填写召集事由、技能、区域，人数至少为1。"))
    callout = CallOut.objects.create(title=title.strip()[:100], org_unit=org_unit, skills=clean_skills(skill_codes),
                                     target=target)  # fmt: skip
    callout.stations.set(stations)
    area = [s.pk for s in stations]
    skill_q = Q()
    for code in skills.decode(callout.skills):
        skill_q |= Q(skills__contains=f"|{code}|")
    people = Volunteer.objects.filter(skill_q, Q(station__in=area) | Q(station__parent__in=area),
                                      status=Volunteer.Status.ACTIVE)  # fmt: skip
    invites = CallOutInvite.objects.bulk_create(CallOutInvite(callout=callout, volunteer=v) for v in people)
    phones = [v.phone for v in people]
    text = _("【闻令而动】%(t)s，急需%(n)d名志愿者，请打开志愿服务页面响应。") % {"t": callout.title, "n": target}

    def notify() -> None:
        for phone in phones:
            send_sms(phone=phone, text=text)

    transaction.on_commit(notify)
    callout.invited = len(invites)  # type: ignore[attr-defined]
    return callout


@transaction.atomic
def callout_answer(*, actor: Any, invite_id: int, accept: bool) -> CallOutInvite:
    me = require_volunteer(resolve(actor))
    invite = CallOutInvite.objects.filter(pk=invite_id, volunteer=me).first()
    if invite is None:
        raise NotFound()
    answer = CallOutInvite.Answer.ACCEPTED if accept else CallOutInvite.Answer.DECLINED
    CallOutInvite.objects.filter(pk=invite.pk).update(answer=answer, answered_at=timezone.now())
    return CallOutInvite.objects.get(pk=invite.pk)


@dataclass
class Headcount:
    target: int
    invited: int
    accepted: int
    declined: int


def callout_headcount(callout: CallOut) -> Headcount:
    answers = list(callout.invites.values_list("answer", flat=True))
    return Headcount(callout.target, len(answers), answers.count(CallOutInvite.Answer.ACCEPTED),
                     answers.count(CallOutInvite.Answer.DECLINED))  # fmt: skip


def course_create(*, actor: Any, org_unit: OrgUnit, name: str, held_at: dt.datetime, hours: Decimal) -> Course:
    require_organiser(resolve(actor), org_unit)
    if not (name or "").strip():
        raise ValidationFailed(_("请填写课程名称。"))
    return Course.objects.create(org_unit=org_unit, name=name.strip()[:100], held_at=held_at, hours=hours)


def training_attend(*, actor: Any, course: Course, volunteers: list[Volunteer]) -> int:
    """Record attendance (once per person); the number of person-times now recorded for the course."""
    if not organises(resolve(actor), course.org_unit):
        raise NotFound()
    TrainingAttendance.objects.bulk_create(
        [TrainingAttendance(course=course, volunteer=v) for v in volunteers], ignore_conflicts=True
    )
    return course.attendance.count()
