"""Submissions a phone retries (随手拍 queued offline): one key, one appeal, however often it arrives."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.core.errors import HuyingError, PermissionDenied, ValidationFailed

from .. import errors
from ..models import Appeal, IdempotencyKey
from .base import acting_user


class IdempotencyConflict(HuyingError):
    """The key was used before for a different body."""

    code = errors.IDEMPOTENCY_KEY_REUSED
    status = 409


def idempotency_key_clean(value: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(value or "").strip())
    except ValueError:
        message = _("提交编号应为手机生成的 UUID。")
        raise ValidationFailed(
            message, code=errors.IDEMPOTENCY_KEY_INVALID, data={"idempotency_key": message}
        ) from None


def _replay(user: User, key: uuid.UUID, fingerprint: str) -> Appeal | None:
    found = IdempotencyKey.objects.filter(user=user, key=key).select_related("appeal").first()
    if found is None:
        return None
    if found.fingerprint != fingerprint:
        raise IdempotencyConflict(_("该提交编号已用于另一条内容不同的上报，请重新提交。"))
    return found.appeal


def appeal_submit_once(
    *,
    actor: Actor | User | AnonymousUser,
    key: object,
    fingerprint: str,
    submit: Callable[[], Appeal],
) -> tuple[Appeal, bool]:
    """Run ``submit`` once per (user, key): returns (appeal, created).

    A retry with the same key and body returns the first appeal and creates nothing; the same key
    with another body raises IdempotencyConflict (409). Two concurrent submissions race on the
    unique (user, key) row: the loser's appeal is rolled back and it answers with the winner's.
    """
    user = acting_user(actor)
    if user is None:
        raise PermissionDenied()
    cleaned = idempotency_key_clean(key)
    first = _replay(user, cleaned, fingerprint)
    if first is not None:
        return first, False
    try:
        with transaction.atomic():
            appeal = submit()
            IdempotencyKey.objects.create(user=user, key=cleaned, fingerprint=fingerprint, appeal=appeal)
    except IntegrityError:
        first = _replay(user, cleaned, fingerprint)
        if first is None:
            raise
        return first, False
    return appeal, True
