"""Helpers shared by the services of self-governance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.errors import ConcurrentModification, ValidationFailed
from huying.core.statemachine import TransitionTable, versioned_update

from .. import errors


def fail(code: str, **data: Any) -> ValidationFailed:
    return ValidationFailed(errors.codes.codes[code], code=code, data=data or None)


def text(value: str | None, *, label: str, limit: int, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise ValidationFailed(_("请填写%(label)s。") % {"label": label})
    if len(cleaned) > limit:
        raise ValidationFailed(_("%(label)s不能超过%(limit)d字。") % {"label": label, "limit": limit})
    return cleaned


def describer(choices: type[models.TextChoices], noun: str) -> Any:
    def describe(source: str, action: str) -> str:
        return _("%(noun)s当前状态为「%(status)s」，不能执行此操作。") % {
            "noun": noun,
            "status": choices(source).label,
        }

    return describe


def transition(
    table: TransitionTable,
    record: Any,
    *,
    action: str,
    roles: set[str],
    version: int | None,
    choices: type[models.TextChoices],
    noun: str,
    note: str = "",
    **fields: Any,
) -> str:
    """Check ``action`` on ``record`` against ``table`` and write it with a compare-and-set; the cleaned note."""
    if version is not None and record.version != version:
        raise ConcurrentModification()
    step, cleaned = table.check(
        source=record.status, action=action, roles=roles, note=note, describe=describer(choices, noun)
    )
    versioned_update(
        type(record).objects.filter(pk=record.pk), expected_version=record.version, status=step.target, **fields
    )
    record.refresh_from_db()
    return cleaned


def local_date(moment: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(moment or timezone.now()).date()
