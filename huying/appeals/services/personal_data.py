"""Citizens following their appeal by number and SMS code; staff revealing a requester's data."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huying.accounts.models import User
from huying.accounts.selectors import Actor, actor_for
from huying.core.errors import ValidationFailed
from huying.core.personal_data import RevealPolicy, personal_data_reveal, register_reveal_policy
from huying.core.validators import normalize_phone

from .. import errors
from ..models import Appeal, TrackingCode
from ..permissions import can_view_personal_data
from .base import send_sms_on_commit


def _hash_code(appeal_pk: int, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{appeal_pk}:{code}".encode(), hashlib.sha256).hexdigest()


# The one answer to a code request, whether or not number and phone match an appeal.
TRACKING_CODE_SENT = gettext_lazy("如果号码与工单一致，验证码已发送。")
# Codes sent to one appeal in a minute at most; more requests are answered the same and send nothing.
_CODES_PER_MINUTE = 3


@transaction.atomic
def tracking_code_send(*, number: str, phone: str, now: dt.datetime | None = None) -> None:
    """Send a one-time code to the requester's phone if number and phone match an appeal.

    It answers the same whether or not they match (no error, the same work), so it cannot tell
    whether a phone filed an appeal. A new code kills the appeal's older ones: one live code per
    appeal. The rate limits of the forms count every request, matching or not.
    """
    now = now or timezone.now()
    phone = normalize_phone(phone)
    code = f"{secrets.randbelow(1_000_000):06d}"
    appeal = Appeal.objects.filter(number=(number or "").strip(), requester_phone=phone).first()
    if appeal is None:
        _hash_code(0, code)
        return
    code_hash = _hash_code(appeal.pk, code)
    recent = TrackingCode.objects.filter(appeal=appeal, created_at__gte=now - dt.timedelta(minutes=1)).count()
    if recent >= _CODES_PER_MINUTE:
        return
    TrackingCode.objects.filter(appeal=appeal, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    TrackingCode.objects.create(
        appeal=appeal,
        code_hash=code_hash,
        expires_at=now + dt.timedelta(minutes=settings.HUYING_VERIFICATION_CODE_MINUTES),
    )
    send_sms_on_commit(
        phone=phone,
        text=_("您查询工单 %(number)s 的验证码为 %(code)s，%(m)d分钟内有效。")
        % {"number": appeal.number, "code": code, "m": settings.HUYING_VERIFICATION_CODE_MINUTES},
    )


def tracking_code_verify(*, number: str, code: str, now: dt.datetime | None = None) -> Appeal:
    """Return the appeal when ``code`` is its newest code, unused and unexpired.

    Only the newest code counts (asking for a code kills the older ones); a used or expired code is
    dead, and so is one tried wrong HUYING_TRACKING_CODE_MAX_ATTEMPTS times.
    """
    now = now or timezone.now()
    wrong = ValidationFailed(_("工单号或验证码不正确，或验证码已过期。"), code=errors.INVALID_CODE)
    max_attempts = settings.HUYING_TRACKING_CODE_MAX_ATTEMPTS
    appeal = Appeal.objects.filter(number=(number or "").strip()).first()
    if appeal is None:
        raise wrong
    tracking = TrackingCode.objects.filter(appeal=appeal).order_by("-pk").first()
    if tracking is None or tracking.used_at is not None or tracking.expires_at <= now:
        raise wrong
    if tracking.attempts >= max_attempts:
        raise wrong
    if not hmac.compare_digest(tracking.code_hash, _hash_code(appeal.pk, (code or "").strip())):
        # Not in a transaction on purpose: the failed attempt must count even though we raise.
        TrackingCode.objects.filter(pk=tracking.pk).update(attempts=F("attempts") + 1)
        raise wrong
    # Compare-and-set: of two requests with the same right code, one spends it.
    spent = TrackingCode.objects.filter(pk=tracking.pk, used_at__isnull=True, attempts__lt=max_attempts).update(
        used_at=now
    )
    if not spent:
        raise wrong
    return appeal


def _appeal_values(appeal: Appeal) -> dict[str, str]:
    return {"requester_phone": appeal.requester_phone, "requester_id_number": appeal.requester_id_number}


register_reveal_policy(
    Appeal,
    RevealPolicy(
        may_reveal=lambda actor, appeal: can_view_personal_data(actor, appeal),
        values=_appeal_values,
        describe=lambda appeal: f"查看工单 {appeal.number} 诉求人完整信息",
        denied=gettext_lazy("您的角色无权查看诉求人完整信息。"),
    ),
)


def appeal_reveal_personal_data(
    *, actor: Actor | User | AnonymousUser, appeal: Appeal, purpose: str, ip_address: str | None = None
) -> dict[str, str]:
    """Full phone and ID number for a role that needs them; every view is written to the audit log."""
    resolved = actor_for(actor)
    return personal_data_reveal(actor=resolved, record=appeal, purpose=purpose, ip_address=ip_address)
