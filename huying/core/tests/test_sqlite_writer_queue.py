"""The SQLite backend queues write transactions on a file lock (huying.core.db.sqlite3)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db.utils import ConnectionHandler, OperationalError

from huying.core.db.sqlite3.base import DatabaseWrapper


def _wrapper(path: Path, timeout: float = 30) -> DatabaseWrapper:
    """A connection of our backend to a file database, as settings would configure it."""
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "huying.core.db.sqlite3",
                "NAME": str(path),
                "OPTIONS": {
                    "timeout": timeout,
                    "transaction_mode": "IMMEDIATE",
                    "init_command": "PRAGMA journal_mode=WAL;",
                },
            }
        }
    )
    conn = handler["default"]
    assert isinstance(conn, DatabaseWrapper)
    return conn


def _begin(conn: DatabaseWrapper) -> None:
    # What transaction.atomic does on entry for SQLite.
    conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(conn: DatabaseWrapper, *, commit: bool = True) -> None:
    conn.commit() if commit else conn.rollback()
    conn.set_autocommit(True)


def _insert(conn: DatabaseWrapper, value: str) -> None:
    with conn.cursor() as cursor:
        cursor.execute("INSERT INTO log (v) VALUES (%s)", [value])


@pytest.fixture(autouse=True)
def _own_connections(django_db_blocker: Any) -> Any:
    # These tests open their own file databases, never the test database.
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "writer.sqlite3"
    conn = _wrapper(path)
    with conn.cursor() as cursor:
        cursor.execute("CREATE TABLE log (v TEXT)")
    conn.close()
    return path


def _rows(path: Path) -> list[str]:
    conn = _wrapper(path)
    with conn.cursor() as cursor:
        cursor.execute("SELECT v FROM log ORDER BY rowid")
        rows = [r[0] for r in cursor.fetchall()]
    conn.close()
    return rows


def test_second_writer_waits_for_the_first_and_starts_as_soon_as_it_commits(db_path: Path) -> None:
    first = _wrapper(db_path)
    _begin(first)
    assert first.writer_lock_held
    _insert(first, "first")
    events: dict[str, Any] = {}

    def second_writer() -> None:
        conn = _wrapper(db_path)
        events["trying"] = time.perf_counter()
        _begin(conn)  # blocks on the file lock, not in SQLite's sleeping busy handler
        events["began"] = time.perf_counter()
        _insert(conn, "second")
        _end(conn)
        conn.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.3)
    assert "began" not in events, "the second writer must wait while the first holds the lock"
    committed = time.perf_counter()
    _end(first)
    assert not first.writer_lock_held
    thread.join(timeout=10)
    assert events["began"] >= committed
    assert events["began"] - committed < 0.1  # woken at once, not at SQLite's next 100 ms retry
    assert _rows(db_path) == ["first", "second"]
    first.close()


def test_rollback_and_close_release_the_lock(db_path: Path) -> None:
    conn = _wrapper(db_path)
    _begin(conn)
    _insert(conn, "undone")
    _end(conn, commit=False)
    assert not conn.writer_lock_held

    other = _wrapper(db_path)
    _begin(other)  # would block forever if the rollback had kept the lock
    _insert(other, "kept")
    other.close()  # closing mid-transaction rolls back and frees the lock too
    assert not other.writer_lock_held

    _begin(conn)
    _insert(conn, "after")
    _end(conn)
    conn.close()
    assert _rows(db_path) == ["after"]


def test_a_writer_that_waits_past_the_timeout_gets_an_error_and_nothing_is_left_locked(db_path: Path) -> None:
    holder = _wrapper(db_path)
    _begin(holder)
    _insert(holder, "held")
    impatient = _wrapper(db_path, timeout=0.3)
    started = time.perf_counter()
    with pytest.raises(OperationalError, match="database is locked"):
        _begin(impatient)
    assert 0.25 < time.perf_counter() - started < 5
    assert not impatient.writer_lock_held
    _end(holder)  # the abandoned waiter now gets the lock, gives it back and closes its file

    again = _wrapper(db_path, timeout=2)
    _begin(again)  # free again: within the timeout, or this raises
    _insert(again, "after")
    _end(again)
    impatient.set_autocommit(True)
    _begin(impatient)  # the connection that gave up can write later, with a new lock file handle
    _insert(impatient, "late")
    _end(impatient)
    for conn in (holder, again, impatient):
        conn.close()
    assert _rows(db_path) == ["held", "after", "late"]


def test_reads_do_not_take_the_lock(db_path: Path) -> None:
    writer = _wrapper(db_path)
    _begin(writer)
    _insert(writer, "pending")
    reader = _wrapper(db_path)
    with reader.cursor() as cursor:  # WAL: a reader sees the last commit while a writer works
        cursor.execute("SELECT COUNT(*) FROM log")
        assert cursor.fetchone()[0] == 0
    assert not reader.writer_lock_held
    _end(writer)
    reader.close()
    writer.close()


def test_in_memory_database_needs_no_lock_file(tmp_path: Path) -> None:
    handler = ConnectionHandler({"default": {"ENGINE": "huying.core.db.sqlite3", "NAME": ":memory:"}})
    conn = handler["default"]
    assert isinstance(conn, DatabaseWrapper)
    assert conn.writer_lock_path() is None
    _begin(conn)
    _end(conn)
    conn.close()
