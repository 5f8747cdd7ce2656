"""manage.py ratings_sweep [--loop SECONDS]: flag bad-rating cases not answered in time."""

from __future__ import annotations

from django.utils import timezone

from huying.core.management.loop import LoopCommand
from huying.ratings import services


class Command(LoopCommand):
    help = "巡检差评整改单（超过整改反馈期限的标记为超期）。可重复运行；--loop 秒数 表示每隔该秒数重复运行。"

    def run_once(self) -> None:
        marked = services.ratings_sweep_overdue()
        self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} 差评整改超期巡检完成：标记 {marked} 件。")
