"""gunicorn's gevent worker, closing a client's database connections when the client leaves.

Under gevent each client connection is served by its own greenlet, and Django keeps database
connections per thread, which gevent makes per greenlet. With ``CONN_MAX_AGE`` a connection would
outlive its greenlet and be closed only by the garbage collector, leaving the SQLite writer lock's
file descriptor (huying.core.db.sqlite3) open. Closing them when the greenlet's client is done keeps
one database connection per client connection, reused across its keep-alive requests.
See docs/adr/0014-slow-clients.md.
"""

from __future__ import annotations

from typing import Any

from gunicorn.workers.ggevent import GeventWorker  # type: ignore[import-untyped]


class Worker(GeventWorker):  # type: ignore[misc]
    def handle(self, listener: Any, client: Any, addr: Any) -> None:
        try:
            super().handle(listener, client, addr)
        finally:
            from django.db import connections

            connections.close_all()
