"""manage.py appeals_stats_rebuild: recompute the monthly counters from the appeals themselves."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from huying.appeals import stats


class Command(BaseCommand):
    help = "根据工单重新计算统计计数（修复用）。"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            rows = stats.stats_rebuild()
        self.stdout.write(f"统计计数已重建：{rows} 行。")
