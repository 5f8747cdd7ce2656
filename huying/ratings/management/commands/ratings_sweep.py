"""manage.py ratings_sweep [--loop SECONDS]: flag bad-rating cases not answered in time."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from huying.ratings import services


class Command(BaseCommand):
    help = "巡检差评整改单（超过整改反馈期限的标记为超期）。可重复运行；--loop 秒数 表示每隔该秒数重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS", help="每隔多少秒运行一次；不填只运行一次")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["loop"]
        while True:
            marked = services.ratings_sweep_overdue()
            self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} 差评整改超期巡检完成：标记 {marked} 件。")
            if interval <= 0:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
            close_old_connections()
