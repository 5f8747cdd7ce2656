"""A management command that runs once, or every ``--loop SECONDS`` until stopped (periodic checks)."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from huying.core import locks
from huying.core.registry import sweeps

logger = logging.getLogger(__name__)


class LoopCommand(BaseCommand):
    """Subclasses implement ``run_once``; ``--loop`` repeats it with a fresh connection check between runs."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS", help="每隔多少秒运行一次；不填只运行一次")

    def run_once(self) -> None:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["loop"]
        while True:
            self.run_once()
            if interval <= 0:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
            # A long-running loop must not keep a connection past CONN_MAX_AGE or a broken one.
            close_old_connections()


class SweepCommand(LoopCommand):
    """Run registered periodic checks (core.registry.sweeps), each printing its line with a time stamp.

    ``names`` picks the checks (an app's own command); None runs every registered one. One check
    failing is logged and the others still run. A run holds a lock shared by every node
    (``huying.core.locks``): when several nodes start their sweep at once, one runs the checks and
    the others skip this time.
    """

    names: tuple[str, ...] | None = None
    # Seconds the lock outlives a node killed in the middle of a run.
    lock_seconds = 600

    def run_once(self) -> None:
        stamp = f"{timezone.localtime():%Y-%m-%d %H:%M:%S}"
        lock_name = "sweep:" + ",".join(self.names or ("all",))
        with locks.held(lock_name, self.lock_seconds) as mine:
            if not mine:
                self.stdout.write(f"{stamp} 另一节点正在巡检，本轮跳过。")
                return
            self._run_checks(stamp)

    def _run_checks(self, stamp: str) -> None:
        for name, fn in sweeps.items():
            if self.names is not None and name not in self.names:
                continue
            try:
                self.stdout.write(f"{stamp} {fn()}")
            except Exception:  # one app's failure must not stop the others' checks
                logger.exception("sweep %s failed", name)
                self.stderr.write(f"{stamp} 巡检 {name} 失败，详见日志。")
