"""manage.py appeals_sweep [--loop SECONDS]: mark overdue orders and raise their 督办 level."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from huying.appeals import services


class Command(BaseCommand):
    help = "巡检超期工单（标记超期、自动升级督办）。--loop 秒数 表示每隔该秒数重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS", help="每隔多少秒运行一次；不填只运行一次")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["loop"]
        while True:
            marked = services.appeals_sweep_overdue()
            self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} 超期巡检完成：标记/升级 {marked} 件。")
            if interval <= 0:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
            # A long-running loop must not keep a connection past CONN_MAX_AGE or a broken one.
            close_old_connections()
