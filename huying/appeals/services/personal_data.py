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
from huying.core.errors import Throttled, ValidationFailed
from huying.core.personal_data import RevealPolicy, personal_data_reveal, register_reveal_policy
from huying.core.validators import normalize_phone

from .. import errors
from ..models import Appeal, TrackingCode
from ..permissions import can_view_personal_data
from .base import send_sms_on_commit


def _hash_code(appeal_pk: int, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{appeal_pk}:{code}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def tracking_code_send(*, number: str, phone: str, now: dt.datetime | None = None) -> None:
    """Send a one-time code to the requester's phone if number and phone match an appeal.

    It answers the same whether or not they match, so numbers cannot be probed.
    """
    now = now or timezone.now()
    phone = normalize_phone(phone)
    appeal = Appeal.objects.filter(number=(number or "").strip(), requester_phone=phone).first()
    if appeal is None:
        return
    recent = TrackingCode.objects.filter(appeal=appeal, created_at__gte=now - dt.timedelta(minutes=1)).count()
    if recent >= 3:
        raise ValidationFailed(_("验证码发送过于频繁，请一分钟后再试。"), code=Throttled.code)
    code = f"{secrets.randbelow(1_000_000):06d}"
    TrackingCode.objects.create(
        appeal=appeal,
        code_hash=_hash_code(appeal.pk, code),
        expires_at=now + dt.timedelta(minutes=settings.HUYING_VERIFICATION_CODE_MINUTES),
    )
    send_sms_on_commit(
        phone=phone,
        text=_("您查询工单 %(number)s 的验证码为 %(code)s，%(m)d分钟内有效。")
        % {"number": appeal.number, "code": code, "m": settings.HUYING_VERIFICATION_CODE_MINUTES},
    )


def tracking_code_verify(*, number: str, code: str, now: dt.datetime | None = None) -> Appeal:
    """Return the appeal when the code is right; five wrong tries spend a code."""
    now = now or timezone.now()
    wrong = ValidationFailed(_("工单号或验证码不正确，或验证码已过期。"), code=errors.INVALID_CODE)
    appeal = Appeal.objects.filter(number=(number or "").strip()).first()
    if appeal is None:
        raise wrong
    tracking = (
        TrackingCode.objects.filter(appeal=appeal, used_at__isnull=True, expires_at__gte=now, attempts__lt=5)
        .order_by("-created_at")
        .first()
    )
    if tracking is None:
        raise wrong
    if not hmac.compare_digest(tracking.code_hash, _hash_code(appeal.pk, (code or "").strip())):
        # Not in a transaction on purpose: the failed attempt must count even though we raise.
        TrackingCode.objects.filter(pk=tracking.pk).update(attempts=F("attempts") + 1)
        raise wrong
    TrackingCode.objects.filter(pk=tracking.pk).update(used_at=now)
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
    resolved = actor if isinstance(actor, Actor) else actor_for(actor)
    return personal_data_reveal(actor=resolved, record=appeal, purpose=purpose, ip_address=ip_address)
