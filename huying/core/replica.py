"""Reads that may go to a streaming replica: the dashboards' figures.

``DATABASE_REPLICA_URL`` adds a ``replica`` database (config/settings/prod.py) and ``ReplicaRouter``.
A view decorated with ``@reads_from_replica`` sends its reads there; everything else, and every write,
stays on ``default``. Without a replica the decorator does nothing. The replica is behind the primary
by ``replica_lag_seconds()`` (shown on the dashboard, on /readyz and in /metrics).

The decorator goes inside the login check, so the session and the user are read from the primary
(a user who has just signed in may not be on the replica yet).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_prefer: contextvars.ContextVar[bool] = contextvars.ContextVar("huying_prefer_replica", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_reads() -> Iterator[None]:
    token = _prefer.set(True)
    try:
        yield
    finally:
        _prefer.reset(token)


def reads_from_replica(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapper


def using_replica() -> bool:
    return _prefer.get() and configured()


class ReplicaRouter:
    """Reads go to the replica inside ``replica_reads()``; writes and migrations always to default."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return REPLICA if using_replica() else None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica is a copy of default: objects from either relate

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA


LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def replica_lag_seconds() -> float | None:
    """How far the replica's data is behind the primary, in seconds; None without a replica.

    0 when the replica has replayed all it has received; otherwise the age of the last transaction
    it replayed. Raises the database's error when the replica cannot be reached.
    """
    if not configured():
        return None
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        row = cursor.fetchone()
    return float(row[0] or 0) if row else None
