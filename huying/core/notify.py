"""Outgoing messages to people. In development an SMS is printed to the console, once."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

logger = logging.getLogger("huying.sms")
_muted: ContextVar[bool] = ContextVar("huying_sms_muted", default=False)
# The latest messages sent, newest last: (phone, text). Tests read links and codes from here.
sms_outbox: deque[tuple[str, str]] = deque(maxlen=200)


def send_sms(*, phone: str, text: str) -> None:
    # A deployment plugs its SMS gateway in here; the demo prints so a tester can read the code.
    if _muted.get():
        return
    logger.debug("SMS to %s: %s", phone, text)
    sms_outbox.append((phone, text))
    print(f"[短信] 发送至 {phone}：{text}", flush=True)


@contextmanager
def sms_muted() -> Iterator[None]:
    """Send nothing inside the block (generated demo data must not text made-up phone numbers).

    Open it outside the transaction (``with sms_muted(), transaction.atomic():``): messages are sent
    on commit, which happens as the transaction's block closes, and must still find the mute on."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)
