"""SQLite with writers queued on an OS lock instead of polling for SQLite's own.

SQLite lets one writer in at a time. With ``BEGIN IMMEDIATE`` the others wait in SQLite's busy
handler, which *sleeps and retries* (1, 2, 5, 10 … 100 ms): under load a waiting request sleeps
on long after the lock came free, and an unlucky one keeps losing (the intake benchmark saw a p99
above one second). Here every write transaction on a file database first takes an exclusive
``flock`` on ``<database>-writer.lock``: waiters block in the kernel and one of them wakes as soon
as the holder commits or rolls back. A writer that waits longer than the database's ``timeout``
option gets the same "database is locked" error SQLite would give. Reads (WAL) never take it.
In-memory databases (the test suite) skip it. Writers that bypass it (the ``sqlite3`` shell)
still meet SQLite's busy handler.
See docs/adr/0009-sqlite-writer-queue.md.
"""

from __future__ import annotations

import fcntl
import os
import threading
from typing import Any

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError


def _flock_within(fd: int, timeout: float) -> bool:
    """Take an exclusive flock on ``fd``, waiting at most ``timeout`` seconds.

    flock has no timeout, so a contended wait runs in a helper thread. If we give up, the helper
    keeps waiting, and when it finally gets the lock it releases it and closes ``fd``: the caller
    must forget ``fd`` after a False.
    """
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: no thread, no wait
        return True
    except BlockingIOError:
        pass
    got, gave_up, guard = threading.Event(), threading.Event(), threading.Lock()

    def wait() -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)  # in the kernel's queue; wakes when the holder lets go
        with guard:
            if gave_up.is_set():
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
            else:
                got.set()

    threading.Thread(target=wait, name="sqlite-writer-wait", daemon=True).start()
    if got.wait(timeout):
        return True
    with guard:
        if got.is_set():
            return True
        gave_up.set()
    return False


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_fd: int | None = None
    _writer_pid = 0
    _writer_held = False

    def writer_lock_path(self) -> str | None:
        """The lock file beside the database, or None for an in-memory database."""
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}-writer.lock"

    def _writer_acquire(self) -> None:
        if self._writer_held:
            return
        if self._writer_fd is not None and self._writer_pid != os.getpid():
            # Inherited across a fork: the open file (and any flock on it) is shared with the
            # parent, so it would not keep the two processes apart. Open our own.
            self._writer_fd = None
        if self._writer_fd is None:
            path = self.writer_lock_path()
            if path is None:
                return
            self._writer_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._writer_pid = os.getpid()
        timeout = float(self.settings_dict["OPTIONS"].get("timeout", 5))
        if not _flock_within(self._writer_fd, timeout):
            self._writer_fd = None  # the waiting helper closes it
            raise OperationalError(f"database is locked (another write transaction held it for {timeout:g} s)")
        self._writer_held = True

    def _writer_release(self) -> None:
        if self._writer_held and self._writer_fd is not None:
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)
        self._writer_held = False

    @property
    def writer_lock_held(self) -> bool:
        return self._writer_held

    def _start_transaction_under_autocommit(self) -> None:
        self._writer_acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in django-stubs
        except BaseException:
            self._writer_release()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]  # not in django-stubs
        finally:
            self._writer_release()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]  # not in django-stubs
        finally:
            self._writer_release()

    def close(self) -> None:
        try:
            super().close()  # a transaction left open is rolled back by SQLite
        finally:
            self._writer_release()
            if self._writer_fd is not None and self._writer_pid == os.getpid():
                os.close(self._writer_fd)
            self._writer_fd = None
