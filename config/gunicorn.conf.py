"""Serving huying with gunicorn: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

The defaults depend on the database (``DATABASE_URL``; none means the embedded SQLite file):

* **SQLite: one process per core, one thread each.** SQLite admits one writer at a time, and
  under load the writer lock is what limits intake. A second thread in the lock holder's process
  makes it wait for the GIL after every statement and after the commit; a process more than
  there are cores gets it preempted. Timed with the lock instrumented (``bench/intake.py --skip-pg
  --rows 0 --duration 15 --workers W --threads T``, 2 cores, 2026-11-23): 2 × 1 held the lock
  2.7–3.5 ms per intake and took 189 / 223 / 253 appeals/s (p99 92–131 ms); 3 × 2, the previous
  default, 5.1–7.5 ms and 115 / 177 / 186 (p99 193–363 ms); 3 × 1 and 5 × 1 in between. The price:
  only as many requests run at once as there are cores, so a slow export holds one of them.
* **PostgreSQL: cores + 1 processes, two threads each.** Requests wait on the database server,
  and there is no database-wide writer lock; the layouts above made no difference beyond the
  noise on two cores (118–158 appeals/s), where the server shares the two cores.

**Requests are read before they reach a thread** (``config/gunicorn_worker.py``): gthread's event
loop buffers each connection until its headers and whole body have arrived, so clients that send
slowly wait there instead of holding one of the few threads (stock gthread reads in the thread:
workers × threads + 2 slow clients stopped the server). gevent's worker was measured too and
halved intake: docs/adr/0014-slow-clients.md. ``huying/core/tests/test_slow_clients.py`` holds it.

``HUYING_WORKERS`` / ``HUYING_THREADS`` / ``HUYING_BIND`` / ``HUYING_WORKER_CLASS`` override. ``make bench-intake`` serves
the API with this file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_cores = os.cpu_count() or 1
_sqlite = (os.environ.get("DATABASE_URL") or "sqlite:").startswith("sqlite:")  # as config.settings reads it

bind = os.environ.get("HUYING_BIND", "127.0.0.1:8000")
worker_class = os.environ.get("HUYING_WORKER_CLASS") or "config.gunicorn_worker.BufferingThreadWorker"
workers = int(os.environ.get("HUYING_WORKERS", "0")) or (_cores if _sqlite else _cores + 1)
threads = int(os.environ.get("HUYING_THREADS", "0")) or (1 if _sqlite else 2)
worker_connections = 1000  # open connections per process, idle and still sending included
keepalive = 30
backlog = 256
loglevel = "warning"

# Small responses leave in one send with their headers (config/gunicorn_response.py).
_root = str(Path(__file__).resolve().parent.parent)
if _root not in sys.path:  # gunicorn reads this file before it puts the working directory on the path
    sys.path.insert(0, _root)

from config.gunicorn_response import install  # noqa: E402

install()
