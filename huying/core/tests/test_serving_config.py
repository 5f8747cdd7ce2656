"""The gunicorn defaults follow the database (config/gunicorn.conf.py; ADR 0009, one thread per process);
requests are read in full before a thread gets them (ADR 0014)."""

from __future__ import annotations

import os
import runpy
from pathlib import Path
from typing import Any

import pytest
from gunicorn.http import wsgi  # type: ignore[import-untyped]

CONF = Path(__file__).resolve().parents[3] / "config" / "gunicorn.conf.py"


def config(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    for name in ("DATABASE_URL", "HUYING_WORKERS", "HUYING_THREADS", "HUYING_WORKER_CLASS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setattr(wsgi, "Response", wsgi.Response)  # the file installs its own; restored after the test
    return runpy.run_path(str(CONF))


def serving(monkeypatch: pytest.MonkeyPatch, **env: str) -> tuple[int, int]:
    conf = config(monkeypatch, **env)
    return conf["workers"], conf["threads"]


@pytest.mark.parametrize("url", [None, "", "sqlite:////srv/huying/var/huying.sqlite3"])
def test_on_sqlite_one_single_threaded_process_per_core(monkeypatch: pytest.MonkeyPatch, url: str | None) -> None:
    env = {} if url is None else {"DATABASE_URL": url}
    assert serving(monkeypatch, **env) == (4, 1)


def test_on_postgresql_a_process_more_than_cores_with_two_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    assert serving(monkeypatch, DATABASE_URL="postgres://huying@db:5432/huying") == (5, 2)


def test_the_environment_overrides_both(monkeypatch: pytest.MonkeyPatch) -> None:
    assert serving(monkeypatch, HUYING_WORKERS="7", HUYING_THREADS="3") == (7, 3)
    assert serving(monkeypatch, DATABASE_URL="postgres://h/db", HUYING_WORKERS="2", HUYING_THREADS="8") == (2, 8)


def test_requests_are_read_before_they_reach_a_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    from gunicorn.util import load_class  # type: ignore[import-untyped]
    from gunicorn.workers.gthread import ThreadWorker  # type: ignore[import-untyped]

    from config.gunicorn_worker import BufferingThreadWorker

    conf = config(monkeypatch)
    assert load_class(conf["worker_class"]) is BufferingThreadWorker
    assert issubclass(BufferingThreadWorker, ThreadWorker)
    assert config(monkeypatch, HUYING_WORKER_CLASS="gthread")["worker_class"] == "gthread"
