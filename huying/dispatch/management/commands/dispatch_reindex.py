"""Build the near-duplicate index (LSH band keys) for appeals that have none: after an upgrade or an import."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from huying.dispatch import services


class Command(BaseCommand):
    help = "为尚未建立文本指纹的工单建立相似工单索引（升级或导入后运行；可重复运行）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        done = services.fingerprint_backfill(batch=options["batch"])
        self.stdout.write(f"已为 {done} 件工单建立文本指纹索引。")
