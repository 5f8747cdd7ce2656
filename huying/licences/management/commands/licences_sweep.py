"""Mark licences past their validity as expired and purge spent QR nonces (safe to run any time)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from huying.licences import services


class Command(BaseCommand):
    help = "将超过有效期的电子证照标记为已过期，并清理已过期的二维码防重放记录（可重复运行）"

    def handle(self, *args: Any, **options: Any) -> None:
        expired = services.licences_expire()
        purged = services.used_tokens_purge()
        self.stdout.write(f"标记过期证照 {expired} 份，清理防重放记录 {purged} 条。")
