"""A resident follows their proxy case from the phone: number and a one-time code texted to the phone
the case was filed with (the appeal loop's tracking pattern: one live code, five tries, same answer
whether or not the number and phone match)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.errors import ValidationFailed
from huying.core.validators import normalize_phone

from .. import errors
from ..models import CaseTrackingCode, ProxyCase
from .proxy import _sms

_CODES_PER_MINUTE = 3


def _hash(case_pk: int, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"case:{case_pk}:{code}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def case_tracking_send(*, number: str, phone: str, now: dt.datetime | None = None) -> None:
    """Text a code to ``phone`` when it is the case's phone; the same answer (none) either way."""
    now = now or timezone.now()
    phone = normalize_phone(phone)
    code = f"{secrets.randbelow(1_000_000):06d}"
    case = ProxyCase.objects.filter(number=(number or "").strip()[:24], resident_phone=phone).first()
    if case is None:
        _hash(0, code)
        return
    if (
        CaseTrackingCode.objects.filter(case=case, created_at__gte=now - dt.timedelta(minutes=1)).count()
        >= _CODES_PER_MINUTE
    ):
        return
    CaseTrackingCode.objects.filter(case=case, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    minutes = settings.HUYING_VERIFICATION_CODE_MINUTES
    CaseTrackingCode.objects.create(
        case=case, code_hash=_hash(case.pk, code), expires_at=now + dt.timedelta(minutes=minutes), created_at=now
    )
    _sms(
        phone,
        _("您查询代办 %(number)s 的验证码为 %(code)s，%(m)d分钟内有效。")
        % {"number": case.number, "code": code, "m": minutes},
    )


def case_tracking_verify(*, number: str, code: str, now: dt.datetime | None = None) -> ProxyCase:
    """The case when ``code`` is its newest live code; every failure answers the same."""
    now = now or timezone.now()
    wrong = ValidationFailed(_("代办编号或验证码不正确，或验证码已过期。"), code=errors.INVALID_CODE)
    most = settings.HUYING_TRACKING_CODE_MAX_ATTEMPTS
    case = ProxyCase.objects.filter(number=(number or "").strip()[:24]).first()
    if case is None:
        raise wrong
    tracking = CaseTrackingCode.objects.filter(case=case).order_by("-pk").first()
    if tracking is None or tracking.used_at is not None or tracking.expires_at <= now or tracking.attempts >= most:
        raise wrong
    if not hmac.compare_digest(tracking.code_hash, _hash(case.pk, (code or "").strip()[:12])):
        CaseTrackingCode.objects.filter(pk=tracking.pk).update(attempts=F("attempts") + 1)
        raise wrong
    if not CaseTrackingCode.objects.filter(pk=tracking.pk, used_at__isnull=True, attempts__lt=most).update(used_at=now):
        raise wrong
    return case
