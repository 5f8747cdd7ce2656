"""The production profile's shared pieces: the sweep runs once across nodes, reads go to the replica
only where asked, health and metrics answer, and a node without its secrets refuses to start."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from huying.core import locks, replica
from huying.core.management.loop import SweepCommand
from huying.core.registry import sweeps


class _OneCheck(SweepCommand):
    names = ("test_slow_check",)


def test_two_sweeps_started_at_once_run_the_checks_once() -> None:
    runs: list[str] = []
    started = threading.Event()

    def slow_check() -> str:
        runs.append(threading.current_thread().name)
        started.set()
        time.sleep(0.3)
        return "done"

    sweeps.register("test_slow_check", slow_check)
    outputs = [StringIO(), StringIO()]
    try:
        threads = [
            threading.Thread(target=lambda out=out: _OneCheck(stdout=out).run_once(), name=f"node-{i}")
            for i, out in enumerate(outputs)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(runs) == 1
        said = "".join(o.getvalue() for o in outputs)
        assert "done" in said and "另一节点正在巡检" in said
        # The lock was given back: the next run goes ahead.
        _OneCheck(stdout=StringIO()).run_once()
        assert len(runs) == 2
    finally:
        sweeps._items.pop("test_slow_check", None)


def test_a_lock_is_released_only_by_its_holder() -> None:
    token = locks.acquire("t", ttl=60)
    assert token and locks.acquire("t", ttl=60) is None
    locks.release("t", "someone-else")
    assert locks.acquire("t", ttl=60) is None
    locks.release("t", token)
    assert locks.acquire("t", ttl=60)


def test_reads_go_to_the_replica_only_inside_replica_reads(monkeypatch: Any) -> None:
    router = replica.ReplicaRouter()
    assert router.db_for_read(object) is None
    with replica.replica_reads():
        assert router.db_for_read(object) is None  # no replica configured: the primary
        monkeypatch.setattr(replica, "configured", lambda: True)
        assert router.db_for_read(object) == "replica"
        assert router.db_for_write(object) == "default"
    assert router.db_for_read(object) is None
    assert router.allow_migrate("replica", "appeals") is False


@pytest.mark.django_db
def test_health_readiness_and_metrics() -> None:
    client = Client()
    assert client.get("/healthz").json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok" and ready.json()["cache"] == "ok"
    metrics = client.get("/metrics").content.decode()
    assert 'huying_requests_total{method="GET",route="readyz",status="200"}' in metrics
    assert "huying_overdue_orders 0.0" in metrics and "huying_task_queue_depth" in metrics
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 404


@pytest.mark.parametrize(
    ("secret", "said"),
    [(None, "DJANGO_SECRET_KEY 未设置"), ("dev-only-insecure-key-change-me", "不能用开发默认值")],
)
def test_a_node_without_its_secrets_refuses_to_start(secret: str | None, said: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.prod"
    if secret:
        env["DJANGO_SECRET_KEY"] = secret
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "节点拒绝启动" in done.stderr and said in done.stderr
