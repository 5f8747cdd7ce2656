"""A request id for every request: on the response (``X-Request-ID``), in every log record written while
the request runs (``RequestIdFilter``), and on the error page ("错误编号"), so a citizen's report of an
error finds its log lines.

Plain Python (no models): the logging configuration imports the filter before Django's apps load.
"""

from __future__ import annotations

import contextvars
import logging
import re
import secrets

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
NO_REQUEST = "-"
# An id from the proxy in front is kept when it looks like one (letters, digits, - _ . : only, at most
# 64 characters): anything else is replaced, so a client cannot write arbitrary text into the logs.
_SANE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$")

current: contextvars.ContextVar[str] = contextvars.ContextVar("huying_request_id", default=NO_REQUEST)


def new_request_id() -> str:
    return secrets.token_hex(8)


def accepted_or_new(incoming: str | None) -> str:
    """The incoming id when it is sane, else a fresh one."""
    if incoming and _SANE.match(incoming):
        return incoming
    return new_request_id()


def get() -> str:
    return current.get()


class RequestIdFilter(logging.Filter):
    """Puts ``record.request_id`` on every record (``-`` outside a request): use ``%(request_id)s``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current.get()
        return True


class NodeFilter(logging.Filter):
    """Puts ``record.node`` (``HUYING_NODE``, else the host name) on every record: which app node wrote it."""

    def __init__(self) -> None:
        super().__init__()
        import os
        import socket

        self.node = os.environ.get("HUYING_NODE") or socket.gethostname()

    def filter(self, record: logging.LogRecord) -> bool:
        record.node = self.node
        return True
