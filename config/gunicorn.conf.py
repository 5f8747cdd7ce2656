"""Serving huying with gunicorn: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

Threads per worker because requests wait on the database; a few processes because Python runs
one thread at a time per process. ``HUYING_WORKERS`` / ``HUYING_THREADS`` / ``HUYING_BIND``
override the defaults. ``make bench-intake`` serves the API with this file.
"""

from __future__ import annotations

import os
import sys
from typing import Any

bind = os.environ.get("HUYING_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("HUYING_WORKERS", "0")) or (os.cpu_count() or 1) + 1
threads = int(os.environ.get("HUYING_THREADS", "2"))
keepalive = 30
backlog = 256
loglevel = "warning"


def post_worker_init(worker: Any) -> None:
    # A thread that holds SQLite's write lock gives up the GIL at every statement; with the default
    # 5 ms switch interval a busy sibling thread keeps it that long each time, and every other
    # writer waits behind. 1 ms hands it back sooner (measured: docs/adr/0009).
    sys.setswitchinterval(0.001)
