"""Registration from a phone: a one-time code proves the phone; the ID number gives age and gender and
keeps one registration per person; eligibility is checked against the event's rules."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.errors import InvalidTransition, NotFound, ValidationFailed
from huying.core.notify import send_sms
from huying.core.statemachine import versioned_update
from huying.core.validators import normalize_id_number, normalize_phone

from .. import errors, states
from ..models import CATEGORY_LABELS, AgeBand, Event, Gender, PhoneCode, Registration
from ..permissions import registration_roles, resolve

CODE_MINUTES = 10


def _hash(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def phone_code_send(*, phone: str, now: dt.datetime | None = None) -> None:
    """Text a six-digit code to ``phone``; a new code replaces any older live one."""
    now = now or timezone.now()
    phone = normalize_phone(phone)
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        PhoneCode.objects.filter(phone=phone, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        PhoneCode.objects.create(
            phone=phone, code_hash=_hash(f"{phone}:{code}"), expires_at=now + dt.timedelta(minutes=CODE_MINUTES)
        )
    send_sms(
        phone=phone,
        text=_("您报名政府开放日的验证码为 %(code)s，%(m)d分钟内有效。") % {"code": code, "m": CODE_MINUTES},
    )


def _use_code(phone: str, code: str, now: dt.datetime) -> None:
    live = PhoneCode.objects.filter(
        phone=phone, used_at__isnull=True, expires_at__gt=now, code_hash=_hash(f"{phone}:{(code or '').strip()}")
    ).first()
    if live is None:
        raise ValidationFailed(
            _("验证码错误或已过期，请重新获取。"), code=errors.BAD_CODE, data={"code": _("验证码错误或已过期。")}
        )
    PhoneCode.objects.filter(pk=live.pk).update(used_at=now)


def age_band(age: int) -> str:
    for band, low in ((AgeBand.A60, 60), (AgeBand.A50, 50), (AgeBand.A40, 40), (AgeBand.A30, 30)):
        if age >= low:
            return band
    return AgeBand.A18


def _age(id_number: str, on: dt.date) -> int:
    born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _check_values(event: Event, values: dict[str, str]) -> None:
    allowed: dict[str, set[str]] = {}
    for category, value in event.quotas.values_list("category", "value"):
        allowed.setdefault(category, set()).add(value)
    for category, choices in allowed.items():
        if values.get(category) not in choices:
            label = CATEGORY_LABELS.get(category, category)
            raise ValidationFailed(
                _("「%(c)s」的取值「%(v)s」不在本次名额分配中。") % {"c": label, "v": values.get(category, "")},
                code=errors.UNKNOWN_VALUE,
                data={category: _("请选择名额表中的取值。")},
            )


def _check_sitting(event: Event, id_hash: str) -> None:
    """A committee sitting (列席) is open only to those who took part in the open day it follows."""
    if event.kind != Event.Kind.SITTING:
        return
    past = event.sitting_of_id
    if (
        past is None
        or not Registration.objects.filter(event_id=past, id_hash=id_hash, status=states.CONFIRMED).exists()
    ):
        raise ValidationFailed(_("本次列席只邀请往期开放日的参加人报名。"), code=errors.NOT_ELIGIBLE)


def registration_submit(
    *,
    actor: Any,
    event: Event | int,
    name: str,
    phone: str,
    code: str,
    id_number: str,
    basis: str,
    political_status: str,
    occupation: str,
    district: str,
    household: str,
    no_exclusion: bool,
    now: dt.datetime | None = None,
) -> Registration:
    now = now or timezone.now()
    pk = event.pk if isinstance(event, Event) else event
    current = Event.objects.filter(pk=pk, status=states.OPEN).first()
    if current is None or now > current.registration_ends_at:
        raise ValidationFailed(_("本次开放日不在报名期内。"), code=errors.REGISTRATION_CLOSED)
    phone = normalize_phone(phone)
    id_number = normalize_id_number(id_number)
    name, household = (name or "").strip(), (household or "").strip()
    if not name or not household or not (district or "").strip():
        raise ValidationFailed(_("请填写姓名、所在片区和户号。"))
    if basis not in Registration.Basis.values:
        raise ValidationFailed(_("请选择您与本区域的关系（居住、工作或学习）。"), code=errors.NOT_ELIGIBLE)
    age = _age(id_number, now.date())
    if age < current.min_age:
        raise ValidationFailed(_("报名须年满%(n)d周岁。") % {"n": current.min_age}, code=errors.NOT_ELIGIBLE)
    if current.exclusions and not no_exclusion:
        raise ValidationFailed(_("请确认您不属于不得报名的情形。"), code=errors.NOT_ELIGIBLE)
    values = {
        "age_band": age_band(age),
        "gender": Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE,
        "political_status": political_status,
        "occupation": occupation,
        "district": district.strip(),
    }
    _check_values(current, values)
    id_hash = _hash(f"id:{id_number}")
    _check_sitting(current, id_hash)
    if Registration.objects.filter(event=current, phone=phone).exists():
        raise ValidationFailed(_("该手机号已报名本次开放日。"), code=errors.DUPLICATE_PHONE)
    if Registration.objects.filter(event=current, id_hash=id_hash).exists():
        raise ValidationFailed(_("该身份证号已报名本次开放日。"), code=errors.DUPLICATE_ID)
    try:
        with transaction.atomic():
            _use_code(phone, code, now)
            last = Registration.objects.filter(event=current).aggregate(m=Max("number"))["m"]
            user = resolve(actor).user if resolve(actor).is_authenticated else None
            return Registration.objects.create(
                event=current,
                number=f"{int(last or 0) + 1:03d}",
                user=user,
                name=name[:40],
                phone=phone,
                id_hash=id_hash,
                id_last4=id_number[-4:],
                basis=basis,
                household=_hash(f"household:{current.pk}:{household.replace(' ', '')}")[:32],
                **values,
            )
    except IntegrityError:
        raise ValidationFailed(_("该手机号或身份证号已报名本次开放日。"), code=errors.DUPLICATE_PHONE) from None


def registration_act(*, actor: Any, registration: Registration | int, action: str, note: str = "") -> Registration:
    """confirm, decline, exclude (an invitation's answer, or an organiser's ruling on eligibility)."""
    resolved = resolve(actor)
    with transaction.atomic():
        pk = registration.pk if isinstance(registration, Registration) else registration
        current = Registration.objects.select_related("event__unit").filter(pk=pk).first()
        if current is None:
            raise NotFound()
        roles = registration_roles(resolved, current)
        if not roles:
            raise NotFound()
        if action == "invite":
            raise InvalidTransition(_("入选只能通过公开抽签产生。"))
        transition, note = states.REGISTRATION_TRANSITIONS.check(
            source=current.status, action=action, roles=roles, note=note
        )
        if current.event.status not in (states.DRAWN, states.REVIEW, states.OPEN, states.LOTTERY):
            raise InvalidTransition(_("活动已举行，不能再更改。"))
        if action == "exclude" and current.event.status not in (states.OPEN, states.REVIEW):
            raise InvalidTransition(_("抽签方案公布后不能再排除报名人。"))
        versioned_update(
            Registration.objects.filter(pk=current.pk),
            expected_version=current.version,
            status=transition.target,
            status_note=note[:200],
        )
    current.refresh_from_db()
    return current
