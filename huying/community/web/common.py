"""Small helpers shared by the pages of self-governance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.roles import Role
from huying.core.errors import HuyingError, ValidationFailed

STAFF_ROLES = (Role.COMMUNITY_STAFF, Role.ADMIN)


def attempt(request: HttpRequest, write: Callable[[], Any], done: str, *args: Any) -> tuple[HttpResponse | None, str]:
    """Run ``write``; on success a message and a redirect to ``done``, on a refusal its message."""
    try:
        write()
    except HuyingError as exc:
        return None, str(exc.message)
    messages.success(request, _("已保存。"))
    return redirect(done, *args), ""


def int_or(value: Any, default: int = -1) -> int:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else default


def parse_date(value: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ValidationFailed(_("%(label)s日期格式应为年-月-日。") % {"label": label}) from None


def parse_moment(value: str, label: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat((value or "").strip())
    except ValueError:
        raise ValidationFailed(_("%(label)s格式应为年-月-日 时:分。") % {"label": label}) from None
    if not dt.date(2000, 1, 1) <= moment.date() <= dt.date(2999, 1, 1):
        raise ValidationFailed(_("%(label)s超出范围。") % {"label": label})
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def local_input(moment: dt.datetime) -> str:
    """A moment as a datetime-local input's value."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")
