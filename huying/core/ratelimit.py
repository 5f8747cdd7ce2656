"""Rate limits on the public forms: counted per client address and per phone number.

Every public form (appeal intake on the page and the API, tracking codes, the kiosk ticket) calls
``limit(request, scope, phone=...)`` before it creates anything. The limits of a scope are in the
setting ``HUYING_RATE_LIMITS``::

    HUYING_RATE_LIMITS = {"appeal_submit": {"address": ["5/m", "20/h"], "phone": ["3/h"]}, ...}

each a django-ratelimit rate ("5/m", "3/10m", "20/h"). Counters live in the Django cache (the
``RATELIMIT_USE_CACHE`` cache, the default one unless set): on one machine the database cache
shares them between the worker processes; a deployment with several machines points it at Redis.
The client address is ``huying.core.clientip.client_ip`` (X-Forwarded-For only from a trusted
proxy), so a forged header does not give a client a fresh count. A page and the API of the same
form share one scope, hence one count.

Over a limit the form answers ``RateLimited``: 429 with a Chinese message and ``Retry-After``
(the API renders it as problem+json with code ``throttled``; a page shows the form again with the
message and status 429, ``with_headers`` adds the header).
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from .clientip import client_ip
from .errors import HuyingError, Throttled, ValidationFailed
from .validators import normalize_phone

# What applies when a deployment does not name a scope in HUYING_RATE_LIMITS.
DEFAULT_LIMITS: dict[str, dict[str, list[str]]] = {
    "appeal_submit": {"address": ["5/m", "20/h"], "phone": ["3/h"]},
    "track_send": {"address": ["10/m", "30/h"], "phone": ["3/10m", "10/d"]},
    "track_verify": {"address": ["10/m", "60/h"]},
    "ticket_take": {"address": ["30/m"], "phone": ["5/h"]},
}


class RateLimited(Throttled):
    """Too many attempts at one form from one address or for one phone: try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(_("操作过于频繁，请%(wait)s后再试。") % {"wait": _wait_text(self.retry_after)})

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def _wait_text(seconds: int) -> str:
    if seconds < 120:
        return _("%(n)d秒") % {"n": seconds}
    if seconds < 2 * 3600:
        return _("%(n)d分钟") % {"n": math.ceil(seconds / 60)}
    return _("%(n)d小时") % {"n": math.ceil(seconds / 3600)}


def limits_for(scope: str) -> dict[str, list[str]]:
    configured: dict[str, dict[str, list[str]]] = getattr(settings, "HUYING_RATE_LIMITS", {})
    return configured.get(scope, DEFAULT_LIMITS.get(scope, {}))


def _count(request: Any, scope: str, kind: str, value: str, rate: str) -> int | None:
    """Count one attempt; the seconds until its window ends when it is over the limit, else None."""
    usage = get_usage(
        request, group=f"huying.{scope}.{kind}", key=lambda _group, _request: value, rate=rate, increment=True
    )
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, int(usage["time_left"]))


def phone_key(raw: str | None) -> str:
    """The phone a limit counts: normalised, so "139 1234 5678" and "+8613912345678" share a count."""
    try:
        return normalize_phone(raw or "")
    except ValidationFailed:
        return (raw or "").strip()


def limit(request: Any, scope: str, *, phone: str | None = None, **keys: str | None) -> None:
    """Count one attempt at ``scope`` for the client's address and each key given; raise RateLimited
    when any of them is over its limit. Every counter is charged, so a client that keeps trying
    while refused stays refused."""
    values = {"address": client_ip(request) or "unknown", "phone": phone_key(phone) if phone else None, **keys}
    waits: list[int] = []
    for kind, rates in limits_for(scope).items():
        value = values.get(kind)
        if not value:
            continue
        for rate in rates:
            wait = _count(request, scope, kind, str(value), rate)
            if wait is not None:
                waits.append(wait)
    if waits:
        raise RateLimited(max(waits))


def with_headers(response: HttpResponse, exc: HuyingError) -> HttpResponse:
    """Put the error's headers (RateLimited: Retry-After) on the page that answers it."""
    for header, value in exc.headers().items():
        response[header] = value
    return response
