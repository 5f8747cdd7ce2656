"""Helpers the deputies' pages share: parsing posted numbers and dates, running a service and turning
its refusal into a message on the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from huying.core.errors import HuyingError


def post_int(request: HttpRequest, name: str) -> int | None:
    value = (request.POST.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


def post_date(request: HttpRequest, name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((request.POST.get(name) or "").strip())
    except ValueError:
        return None


def post_flag(request: HttpRequest, name: str) -> bool:
    return request.POST.get(name) in ("on", "1", "true")


def attempt(request: HttpRequest, call: Callable[[], Any], done: str | None = None) -> tuple[Any, str]:
    """Run a service call; (its result, "") or (None, the refusal's message). Nothing is written on refusal."""
    try:
        result = call()
    except HuyingError as exc:
        detail = "；".join(str(v) for v in exc.data.values() if isinstance(v, str)) if exc.data else ""
        message = str(exc.message)
        return None, message if not detail or detail in message else f"{message}{detail}"
    messages.success(request, done or _("已保存。"))
    return result, ""


def missing(label: str) -> str:
    return _("请填写%(label)s。") % {"label": label}
