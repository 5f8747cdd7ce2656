"""Outgoing messages to people. In development an SMS is printed to the console."""

from __future__ import annotations

import logging

logger = logging.getLogger("huying.sms")


def send_sms(*, phone: str, text: str) -> None:
    # A deployment plugs its SMS gateway in here; the demo prints so a tester can read the code.
    logger.info("SMS to %s: %s", phone, text)
    print(f"[短信] 发送至 {phone}：{text}", flush=True)
