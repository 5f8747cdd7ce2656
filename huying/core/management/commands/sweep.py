"""manage.py sweep [--loop SECONDS]: run every app's periodic check (超期巡检, 视为受理, 证照到期 ...)."""

from __future__ import annotations

import logging

from django.utils import timezone

from huying.core.management.loop import LoopCommand
from huying.core.registry import sweeps

logger = logging.getLogger(__name__)


class Command(LoopCommand):
    help = "运行各业务的定时巡检（超期标记、督办升级、视为受理、证照到期等）。--loop 秒数 表示每隔该秒数重复运行。"

    def run_once(self) -> None:
        stamp = f"{timezone.localtime():%Y-%m-%d %H:%M:%S}"
        for name, fn in sweeps.items():
            try:
                self.stdout.write(f"{stamp} {fn()}")
            except Exception:  # one app's failure must not stop the others' checks
                logger.exception("sweep %s failed", name)
                self.stderr.write(f"{stamp} 巡检 {name} 失败，详见日志。")
