"""Writes of the shared kernel: the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models

from .clientip import client_ip
from .models import AuditLog

__all__ = ["audit_record", "client_ip"]


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
