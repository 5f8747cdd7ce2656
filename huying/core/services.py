"""Writes of the shared kernel: the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models

from .clientip import client_ip
from .models import AuditLog

__all__ = ["audit_log_sweep", "audit_record", "audit_retention_days", "client_ip"]


def audit_record(
    *,
    kind: str,
    actor: AbstractBaseUser | AnonymousUser | None,
    summary: str,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditLog:
    return AuditLog.objects.create(
        kind=kind,
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        data=data or {},
        ip_address=ip_address,
    )


# The audit log is kept at least six months (个人信息保护: access records of personal data); a deployment
# may keep it longer with HUYING_AUDIT_RETENTION_DAYS, never shorter.
MIN_AUDIT_RETENTION_DAYS = 183


def audit_retention_days() -> int:
    from django.conf import settings

    return max(int(getattr(settings, "HUYING_AUDIT_RETENTION_DAYS", 365)), MIN_AUDIT_RETENTION_DAYS)


def audit_log_sweep(now: Any = None) -> int:
    """Remove audit rows older than the retention (never younger than six months); how many went."""
    import datetime as dt

    from django.utils import timezone

    cutoff = (now or timezone.now()) - dt.timedelta(days=audit_retention_days())
    deleted, _ = AuditLog.objects.filter(created_at__lt=cutoff).delete()
    return deleted
