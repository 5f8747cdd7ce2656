"""Locks shared by every node: a periodic job runs once across the deployment, however many nodes start it.

The lock is a key added to the default cache (``cache.add`` is atomic: SET NX in Redis, an INSERT into
the database cache, a lock-guarded dict in the process cache). The holder's token is the value, so a
holder only ever releases its own lock; the lock expires after ``ttl`` seconds, so a node killed while
it holds one does not block the others for longer than that.

On one machine (the database cache) this serialises ``manage.py sweep`` processes started twice; in the
production profile (Redis) it serialises every node's sweep.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator

from django.core.cache import cache

PREFIX = "huying:lock:"


def acquire(name: str, ttl: int) -> str | None:
    """A token when the lock was free and is now ours, else None."""
    token = secrets.token_hex(16)
    return token if cache.add(PREFIX + name, token, timeout=ttl) else None


def release(name: str, token: str) -> None:
    """Give the lock back, only if it is still ours (it may have expired and been taken by another)."""
    if cache.get(PREFIX + name) == token:
        cache.delete(PREFIX + name)


@contextlib.contextmanager
def held(name: str, ttl: int) -> Iterator[bool]:
    """``with held("sweep", 600) as mine:`` — ``mine`` is False when another node holds the lock."""
    token = acquire(name, ttl)
    try:
        yield token is not None
    finally:
        if token is not None:
            release(name, token)
