"""A management command that runs once, or every ``--loop SECONDS`` until stopped (periodic checks)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections


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
