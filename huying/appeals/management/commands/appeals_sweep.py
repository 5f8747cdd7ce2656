"""manage.py appeals_sweep [--loop SECONDS]: mark overdue orders and raise their 督办 level."""

from __future__ import annotations

from django.utils import timezone

from huying.appeals import services
from huying.core.management.loop import LoopCommand


class Command(LoopCommand):
    help = "巡检超期工单（标记超期、自动升级督办）。--loop 秒数 表示每隔该秒数重复运行。"

    def run_once(self) -> None:
        marked = services.appeals_sweep_overdue()
        self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} 超期巡检完成：标记/升级 {marked} 件。")
