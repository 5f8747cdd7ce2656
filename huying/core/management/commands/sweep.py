"""manage.py sweep [--loop SECONDS]: run every app's periodic check (超期巡检, 视为受理, 证照到期 ...)."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from huying.core.registry import sweeps

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "运行各业务的定时巡检（超期标记、督办升级、视为受理、证照到期等）。--loop 秒数 表示每隔该秒数重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS", help="每隔多少秒运行一次；不填只运行一次")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["loop"]
        while True:
            stamp = f"{timezone.localtime():%Y-%m-%d %H:%M:%S}"
            for name, fn in sweeps.items():
                try:
                    self.stdout.write(f"{stamp} {fn()}")
                except Exception:  # one app's failure must not stop the others' checks
                    logger.exception("sweep %s failed", name)
                    self.stderr.write(f"{stamp} 巡检 {name} 失败，详见日志。")
            if interval <= 0:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
            # A long-running loop must not keep a connection past CONN_MAX_AGE or a broken one.
            close_old_connections()
