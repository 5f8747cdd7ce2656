"""Activities, sign-up with a waiting list, sign-in and sign-out by the rotating QR at the place, and
hours confirmed by the organiser (谁组织谁记录).

Hours count only time on site inside the activity's time (travel is not service time): from the
later of sign-in and the start to the earlier of sign-out and the end. Any change from the computed
hours needs a reason, and every confirmation writes an ``HourEdit`` row. Confirmed hours go to the
points ledger through ``core.registry.point_claims`` when a points scheme is installed.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.errors import NotFound, ValidationFailed
from huying.core.registry import PointClaim, point_claims
from huying.core.statemachine import versioned_update

from .. import errors, matching, rotating, states
from ..activity_models import Activity, HourEdit, Project, SignUp
from ..permissions import organises, require_organiser, require_volunteer, resolve
from ..states import SIGNUP_TRANSITIONS
from .archive import _clean_place, clean_skills
from .needs import _clean_times, need_on_attendance

EARLY = dt.timedelta(minutes=30)  # sign-in opens this long before the start
LATE = dt.timedelta(minutes=30)  # sign-out closes this long after the end
MAX_HOURS = Decimal(24)


def _fail(code: str, **data: Any) -> ValidationFailed:
    return ValidationFailed(errors.codes.codes[code], code=code, data=data)


def activity_create(
    *,
    actor: Any,
    org_unit: Any,
    title: str,
    address: str,
    latitude: Any,
    longitude: Any,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    capacity: int,
    skill_codes: list[str] | None = None,
    project: Project | None = None,
    monthly_day: int | None = None,
    months: int = 1,
) -> list[Activity]:
    """One activity, or with ``monthly_day`` one per month for ``months`` months (the 17th of every month)."""
    resolved = resolve(actor)
    require_organiser(resolved, org_unit)
    cleaned = (title or "").strip()
    if not cleaned or len(cleaned) > 100 or capacity < 1:
        raise ValidationFailed(_("请填写活动名称，招募人数至少为1。"))
    lat, lon = _clean_place(latitude, longitude)
    start, end = _clean_times(starts_at, ends_at)
    if monthly_day is not None and not 1 <= monthly_day <= 28:
        raise ValidationFailed(_("每月固定日应在1到28日之间。"))
    common = {"project": project, "org_unit": org_unit, "title": cleaned, "address": (address or "").strip()[:200],
                  "latitude": lat, "longitude": lon, "capacity": capacity, "skills": clean_skills(skill_codes or []),
                  "monthly_day": monthly_day, "created_by": resolved.user}  # fmt: skip
    with transaction.atomic():
        first = Activity.objects.create(starts_at=start, ends_at=end, **common)
        made = [first]
        for n in range(1, months if monthly_day else 1):
            month0 = start.month - 1 + n
            moved = start.replace(year=start.year + month0 // 12, month=month0 % 12 + 1, day=monthly_day or 1)
            made.append(Activity.objects.create(starts_at=moved, ends_at=moved + (end - start), series=first, **common))
    return made


@transaction.atomic
def signup_create(*, actor: Any, activity_id: int) -> SignUp:
    """Enrol while places are left, else join the waiting list."""
    volunteer = require_volunteer(resolve(actor))
    activity = Activity.objects.select_for_update().filter(pk=activity_id, need__isnull=True, capacity__gt=0).first()
    if activity is None or activity.ends_at < timezone.now():
        raise NotFound()
    taken = activity.signups.filter(status__in=[states.ENROLLED, states.PRESENT, states.ATTENDED, states.CONFIRMED])
    status = states.ENROLLED if taken.count() < activity.capacity else states.WAITING
    try:
        with transaction.atomic():
            return SignUp.objects.create(activity=activity, volunteer=volunteer, status=status)
    except IntegrityError:
        raise _fail(errors.ALREADY_SIGNED_UP) from None


@transaction.atomic
def signup_cancel(*, actor: Any, signup_id: int, version: int) -> SignUp:
    """Cancel; the first on the waiting list moves up."""
    volunteer = require_volunteer(resolve(actor))
    signup = SignUp.objects.filter(pk=signup_id, volunteer=volunteer).first()
    if signup is None:
        raise NotFound()
    SIGNUP_TRANSITIONS.check(source=signup.status, action="cancel", roles={states.VOLUNTEER})
    versioned_update(SignUp.objects.filter(pk=signup.pk), expected_version=version, status=states.CANCELLED)
    if signup.status == states.ENROLLED:
        waiting = SignUp.objects.filter(activity_id=signup.activity_id, status=states.WAITING).order_by(
            "created_at", "id"
        )
        first = waiting.first()
        if first is not None:
            versioned_update(SignUp.objects.filter(pk=first.pk), expected_version=first.version, status=states.ENROLLED)
    return SignUp.objects.get(pk=signup.pk)


def _at_the_place(activity: Activity, code: str, latitude: Any, longitude: Any, now: dt.datetime) -> None:
    if not rotating.is_current(activity.qr_secret, activity.pk, code, now=now.timestamp(), period=activity.qr_period):
        raise _fail(errors.QR_EXPIRED)
    if latitude in (None, "") or longitude in (None, ""):
        raise _fail(errors.NO_LOCATION)
    lat, lon = _clean_place(latitude, longitude)
    metres = matching.distance_km(activity.longitude, activity.latitude, lon, lat) * 1000
    if metres > activity.radius_m:
        raise _fail(errors.TOO_FAR, metres=round(metres))
    if not activity.starts_at - EARLY <= now <= activity.ends_at + LATE:
        raise _fail(errors.OUTSIDE_TIME)


def _own_signup(actor: Any, activity_id: int) -> tuple[SignUp, Activity]:
    volunteer = require_volunteer(resolve(actor))
    signup = (
        SignUp.objects.select_related("activity__need").filter(activity_id=activity_id, volunteer=volunteer).first()
    )
    if signup is None:
        raise _fail(errors.NOT_SIGNED_UP)
    return signup, signup.activity


@transaction.atomic
def sign_in(*, actor: Any, activity_id: int, code: str, latitude: Any, longitude: Any,
            now: dt.datetime | None = None) -> SignUp:  # fmt: skip
    moment = now or timezone.now()
    signup, activity = _own_signup(actor, activity_id)
    _at_the_place(activity, code, latitude, longitude, moment)
    SIGNUP_TRANSITIONS.check(source=signup.status, action="sign_in", roles={states.VOLUNTEER})
    versioned_update(SignUp.objects.filter(pk=signup.pk), expected_version=signup.version,
                     status=states.PRESENT, signed_in_at=moment)  # fmt: skip
    need = getattr(activity, "need", None)
    if need is not None and need.status == states.CLAIMED:
        need_on_attendance(need, "start")
    return SignUp.objects.get(pk=signup.pk)


def service_hours(activity: Activity, signed_in: dt.datetime, signed_out: dt.datetime) -> Decimal:
    start, end = max(signed_in, activity.starts_at), min(signed_out, activity.ends_at)
    seconds = max(0.0, (end - start).total_seconds())
    return (Decimal(seconds) / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def sign_out(*, actor: Any, activity_id: int, code: str, latitude: Any, longitude: Any,
             now: dt.datetime | None = None) -> SignUp:  # fmt: skip
    moment = now or timezone.now()
    signup, activity = _own_signup(actor, activity_id)
    _at_the_place(activity, code, latitude, longitude, moment)
    SIGNUP_TRANSITIONS.check(source=signup.status, action="sign_out", roles={states.VOLUNTEER})
    assert signup.signed_in_at is not None
    hours = service_hours(activity, signup.signed_in_at, moment)
    versioned_update(SignUp.objects.filter(pk=signup.pk), expected_version=signup.version,
                     status=states.ATTENDED, signed_out_at=moment, computed_hours=hours)  # fmt: skip
    need = getattr(activity, "need", None)
    if need is not None:
        need.refresh_from_db()
        if need.status == states.SERVING:
            need_on_attendance(need, "finish")
    return SignUp.objects.get(pk=signup.pk)


def _clean_hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise _fail(errors.HOURS_INVALID) from None
    if not Decimal(0) <= hours <= MAX_HOURS:
        raise _fail(errors.HOURS_INVALID)
    return hours


@transaction.atomic
def hours_confirm(*, actor: Any, signup_id: int, version: int, hours: Any = None, reason: str = "") -> SignUp:
    """The organiser confirms the computed hours, or sets others with a reason (audited either way)."""
    resolved = resolve(actor)
    signup = SignUp.objects.select_related("activity__org_unit", "volunteer").filter(pk=signup_id).first()
    if signup is None or not organises(resolved, signup.activity.org_unit):
        raise NotFound()
    new = signup.computed_hours if hours in (None, "") else _clean_hours(hours)
    if new is None:
        raise _fail(errors.HOURS_INVALID)
    action = "confirm" if signup.status == states.ATTENDED and new == signup.computed_hours else "amend"
    _t, cleaned = SIGNUP_TRANSITIONS.check(source=signup.status, action=action, roles={states.ORGANISER}, note=reason)
    versioned_update(SignUp.objects.filter(pk=signup.pk), expected_version=version, status=states.CONFIRMED,
                     hours=new, confirmed_by=resolved.user, confirmed_at=timezone.now())  # fmt: skip
    old = signup.hours if signup.status == states.CONFIRMED else signup.computed_hours
    HourEdit.objects.create(signup=signup, old_hours=old, new_hours=new, reason=cleaned, by=resolved.user)
    user_id = signup.volunteer.user_id
    if user_id is not None:
        claim = PointClaim(source="volunteer_hours", ref=signup.record_number, user_id=user_id,
                           item="volunteer_hour", quantity=float(new), occurred_at=signup.signed_out_at)  # fmt: skip
        transaction.on_commit(lambda: point_claims.call("submit", claim))
    return SignUp.objects.get(pk=signup.pk)


def qr_payload(activity: Activity, now: float | None = None) -> tuple[str, int]:
    """The code to show at the place now and the seconds until it changes."""
    moment = time.time() if now is None else now
    code = rotating.current_code(activity.qr_secret, activity.pk, now=moment, period=activity.qr_period)
    return code, rotating.seconds_left(now=moment, period=activity.qr_period)
