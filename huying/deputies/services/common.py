"""What every service of the app shares: who the actor is to a record, numbering, refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.core.errors import ConcurrentModification, NotFound, PermissionDenied

from .. import states


def resolve(actor: Any) -> Actor:
    resolved = actor_for(actor)
    if not resolved.is_authenticated:
        raise PermissionDenied()
    return resolved


def is_staff(actor: Actor) -> bool:
    return actor.has_role(Role.LEGISLATIVE_STAFF) or bool(getattr(actor.user, "is_superuser", False))


def staff_roles(actor: Actor) -> set[str]:
    return {states.STAFF} if is_staff(actor) else set()


def load(model: type[Model], pk: int, **related: Any) -> Any:
    query = model._default_manager.filter(pk=pk)  # type: ignore[attr-defined]
    if related.get("select"):
        query = query.select_related(*related["select"])
    found = query.first()
    if found is None:
        raise NotFound()
    return found


def check_version(record: Any, version: int | None) -> None:
    if version is not None and record.version != version:
        raise ConcurrentModification()


def next_number(model: type[Model], prefix: str, now: dt.datetime | None = None) -> str:
    """``prefix`` + the year + a 5-digit sequence within the year (YJ202600001)."""
    year = timezone.localtime(now or timezone.now()).year
    stem = f"{prefix}{year}"
    last = (
        model._default_manager.filter(number__startswith=stem)  # type: ignore[attr-defined]
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last[len(stem) :]) + 1 if last else 1
    return f"{stem}{sequence:05d}"


def describe(labels: dict[str, Any]) -> Any:
    def _describe(source: str, action: str) -> str:
        return _("当前状态为「%(status)s」，不能执行此操作。") % {"status": str(labels.get(source, source))}

    return _describe
