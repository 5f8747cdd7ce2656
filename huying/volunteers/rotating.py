"""The activity's QR code at the place: a code that changes every ``period`` seconds.

The code is an HMAC-SHA256 of (activity id, time window) under the activity's own secret, so a photo
of the QR sent to a friend stops working a window later. The server accepts the current window and
the one before (a phone's clock and the time to scan). Plain Python, no Django.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

DEFAULT_PERIOD = 30  # seconds
CODE_LENGTH = 16  # hex characters (64 bits): guessing within a window is hopeless


def new_secret() -> str:
    return secrets.token_hex(32)


def window(now: float | None = None, period: int = DEFAULT_PERIOD) -> int:
    return int((time.time() if now is None else now) // period)


def code_for(secret: str, activity_id: int, window_no: int) -> str:
    message = f"{activity_id}:{window_no}".encode()
    return hmac.new(bytes.fromhex(secret), message, hashlib.sha256).hexdigest()[:CODE_LENGTH]


def current_code(secret: str, activity_id: int, *, now: float | None = None, period: int = DEFAULT_PERIOD) -> str:
    return code_for(secret, activity_id, window(now, period))


def seconds_left(*, now: float | None = None, period: int = DEFAULT_PERIOD) -> int:
    moment = time.time() if now is None else now
    return int(period - moment % period) or period


def is_current(
    secret: str, activity_id: int, code: str, *, now: float | None = None, period: int = DEFAULT_PERIOD
) -> bool:
    """Whether ``code`` belongs to this window or the one before."""
    current = window(now, period)
    return any(
        hmac.compare_digest(code_for(secret, activity_id, w), (code or "").lower()) for w in (current, current - 1)
    )
