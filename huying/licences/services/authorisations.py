"""授权用证: the holder lets another person show a licence for a purpose, until a time, and may withdraw it."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.core.errors import InvalidTransition, NotFound, ValidationFailed
from huying.core.services import audit_record

from .. import selectors
from ..models import Authorisation, Licence
from .verification import _unusable_reason

MAX_AUTHORISATION_DAYS = 365


@transaction.atomic
def authorisation_grant(
    *,
    licence: Licence,
    grantee: User | None,
    purpose: str,
    valid_until: dt.datetime,
    actor: User | AnonymousUser,
    valid_from: dt.datetime | None = None,
) -> Authorisation:
    """The holder lets ``grantee`` show the licence for ``purpose`` until ``valid_until``."""
    if not isinstance(actor, User) or not selectors.is_holder(actor, licence):
        raise NotFound()
    errors: dict[str, str] = {}
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = _("请填写授权事由。")
    elif len(purpose) > 200:
        errors["purpose"] = _("授权事由不能超过200字。")
    if grantee is None:
        errors["grantee"] = _("被授权人不存在：请输入其用户名或手机号。")
    elif grantee.pk == actor.pk:
        errors["grantee"] = _("不能授权给自己。")
    now = timezone.now()
    start = valid_from or now
    if valid_until is None or not isinstance(valid_until, dt.datetime):
        errors["valid_until"] = _("请填写授权截止时间。")
    elif valid_until <= max(now, start):
        errors["valid_until"] = _("授权截止时间应晚于现在和开始时间。")
    elif valid_until > start + dt.timedelta(days=MAX_AUTHORISATION_DAYS):
        errors["valid_until"] = _("授权期限不能超过%(days)d天。") % {"days": MAX_AUTHORISATION_DAYS}
    if errors:
        raise ValidationFailed(data=errors)
    reason = _unusable_reason(licence)
    if reason is not None:
        raise ValidationFailed(reason[1], code=reason[0])
    assert grantee is not None  # refused above
    authorisation = Authorisation.objects.create(
        licence=licence, grantee=grantee, purpose=purpose, valid_from=start, valid_until=valid_until, created_by=actor
    )
    audit_record(
        kind="licence_authorise",
        actor=actor,
        summary=f"授权{grantee}使用电子证照 {licence.type.name}",
        obj=licence,
        data={"authorisation": authorisation.pk, "purpose": purpose},
    )
    return authorisation


@transaction.atomic
def authorisation_revoke(*, authorisation: Authorisation, actor: User | AnonymousUser) -> Authorisation:
    """The holder withdraws an authorisation; codes the grantee already shows stop verifying."""
    try:
        current = Authorisation.objects.select_for_update().select_related("licence").get(pk=authorisation.pk)
    except Authorisation.DoesNotExist:
        raise NotFound() from None
    if not selectors.is_holder(actor, current.licence):
        raise NotFound()
    if current.revoked_at is not None:
        raise InvalidTransition(_("该授权已撤销。"))
    current.revoked_at = timezone.now()
    current.save(update_fields=["revoked_at"])
    audit_record(
        kind="licence_authorisation_revoke",
        actor=actor,
        summary=f"撤销证照授权 {current.licence.type.name}",
        obj=current.licence,
        data={"authorisation": current.pk},
    )
    return current
