"""Serving huying with gunicorn: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

Threads per worker because requests wait on the database; a few processes because Python runs
one thread at a time per process. ``HUYING_WORKERS`` / ``HUYING_THREADS`` / ``HUYING_BIND``
override the defaults. ``make bench-intake`` serves the API with this file.
"""

from __future__ import annotations

import os

bind = os.environ.get("HUYING_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("HUYING_WORKERS", "0")) or (os.cpu_count() or 1) + 1
threads = int(os.environ.get("HUYING_THREADS", "2"))
keepalive = 30
backlog = 256
loglevel = "warning"
