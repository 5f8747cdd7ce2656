"""API tokens (ADR 0015): issued with a lifetime, stored as a SHA-256 of the key, revocable by
their owner and by an administrator, their last use recorded at most once a minute."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from huying.core.errors import NotFound
from huying.core.models import AuditLog
from huying.core.services import audit_record

from .models import ApiToken, User
from .selectors import Actor


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, user: User, now: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``: the row and the key, which is shown once and never stored.
    Beyond ``HUYING_API_TOKEN_MAX_PER_USER`` live tokens, the oldest are revoked."""
    now = now or timezone.now()
    key = secrets.token_hex(20)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            key_hash=key_hash(key),
            prefix=key[:8],
            created_at=now,
            expires_at=now + dt.timedelta(days=settings.HUYING_API_TOKEN_DAYS),
        )
        live = tokens_live(user, now).values_list("pk", flat=True)
        surplus = list(live[settings.HUYING_API_TOKEN_MAX_PER_USER :])
        if surplus:
            ApiToken.objects.filter(pk__in=surplus).update(revoked_at=now)
    return token, key


def tokens_live(user: User, now: dt.datetime | None = None) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now or timezone.now())


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's tokens, newest first: live ones, and the expired or revoked ones of the last 30 days."""
    recent = timezone.now() - dt.timedelta(days=30)
    return ApiToken.objects.filter(user=user).filter(
        Q(revoked_at__isnull=True, expires_at__gt=recent) | Q(revoked_at__gt=recent)
    )


def token_revoke(*, token_id: int, actor: Actor | User, own: bool = True, now: dt.datetime | None = None) -> ApiToken:
    """Revoke a token. ``own``: only one of the actor's own tokens (anything else is not found);
    otherwise the caller has checked that the actor administers tokens. Revoking twice is harmless."""
    user = actor.user if isinstance(actor, Actor) else actor
    tokens = ApiToken.objects.filter(user=user) if own else ApiToken.objects.all()
    token = tokens.filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.revoked_by = user
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            kind=AuditLog.Kind.TOKEN_REVOKED,
            actor=user,
            summary=f"吊销接口令牌：{token.prefix}… · {token.user_id}",
            obj=token,
        )
    return token


def token_touch(token: ApiToken, now: dt.datetime | None = None) -> bool:
    """Record a use of ``token`` unless one was recorded within ``HUYING_API_TOKEN_TOUCH_SECONDS``:
    one conditional UPDATE, so concurrent requests write it once. Returns whether it wrote."""
    now = now or timezone.now()
    since = now - dt.timedelta(seconds=settings.HUYING_API_TOKEN_TOUCH_SECONDS)
    if token.last_used_at is not None and token.last_used_at > since:
        return False
    updated = (
        ApiToken.objects.filter(pk=token.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=since))
        .update(last_used_at=now)
    )
    token.last_used_at = now
    return bool(updated)
