"""A licence version's status through the TRANSITIONS table: 吊销/注销, expiry (the sweep) and 换发
(superseded by the next version).

``Licence.version`` is the licence's own version number (GB/T 36904, part of its identifier), so the
record's optimistic-concurrency counter is ``row_version``: ``_row_update`` is this app's one
compare-and-set write, as ``huying.core.statemachine.versioned_update`` is for the loops.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.core.errors import ConcurrentModification, NotFound, ValidationFailed
from huying.core.services import audit_record
from huying.core.statemachine import versioned_update

from ..models import Licence, LicenceStatus
from ..states import ISSUER, TRANSITIONS, Action

REASON_MAX_LENGTH = 200  # Licence.revoked_reason


def _row_update(queryset: QuerySet[Licence], *, expected_row_version: int | None = None, **fields: Any) -> int:
    """The kernel's versioned write on ``row_version`` (a licence's ``version`` is part of its identifier)."""
    return versioned_update(queryset, expected_version=expected_row_version, version_field="row_version", **fields)


def _describe(source: str, action: str) -> str:
    return _("该证照已吊销或已换发，不能吊销。")


def _supersede(previous: Licence) -> None:
    """换发: the version a new one replaces is superseded (a revoked one stays revoked)."""
    step = TRANSITIONS.get(previous.status, Action.SUPERSEDE)
    if step is not None:
        _row_update(Licence.objects.filter(pk=previous.pk), status=step.target)


@transaction.atomic
def licence_revoke(
    *,
    licence: Licence,
    reason: str,
    actor: User | AnonymousUser | None = None,
    expected_version: int | None = None,
) -> Licence:
    """吊销/注销: a valid (or expired) licence becomes revoked; its codes stop verifying at once."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(data={"reason": _("请填写吊销原因。")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationFailed(data={"reason": _("吊销原因不能超过%(max)d字。") % {"max": REASON_MAX_LENGTH}})
    try:
        current = Licence.objects.select_for_update().get(pk=licence.pk)
    except Licence.DoesNotExist:
        raise NotFound() from None
    if expected_version is not None and int(expected_version) != current.row_version:
        raise ConcurrentModification(data={"current_version": current.row_version, "status": current.status})
    step, reason = TRANSITIONS.check(
        source=current.status, action=Action.REVOKE, roles={ISSUER}, note=reason, describe=_describe
    )
    _row_update(
        Licence.objects.filter(pk=current.pk),
        expected_row_version=current.row_version,
        status=step.target,
        revoked_reason=reason,
        revoked_at=timezone.now(),
    )
    current.refresh_from_db()
    audit_record(
        kind="licence_revoke",
        actor=actor,
        summary=f"吊销电子证照 {current.identifier}",
        obj=current,
        data={"reason": reason},
    )
    return current


def licences_expire(*, today: dt.date | None = None) -> int:
    """Mark valid licences past their 有效期截止日期 as expired (idempotent); return how many."""
    day = today or timezone.localdate()
    sources = [t.source for t in TRANSITIONS.transitions if t.action == Action.EXPIRE]
    with transaction.atomic():
        return _row_update(
            Licence.objects.filter(status__in=sources, valid_until__lt=day), status=LicenceStatus.EXPIRED
        )
