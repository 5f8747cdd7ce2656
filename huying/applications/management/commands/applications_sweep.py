from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from huying.applications.services import applications_sweep


class Command(BaseCommand):
    help = "办件巡检：逾期未告知补正视为受理、容缺材料逾期不予审批、超期标记（可重复运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(applications_sweep())
