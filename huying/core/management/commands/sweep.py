"""manage.py sweep [--loop SECONDS]: run every app's periodic check (超期巡检, 视为受理, 证照到期 ...)."""

from __future__ import annotations

from huying.core.management.loop import SweepCommand


class Command(SweepCommand):
    help = "运行各业务的定时巡检（超期标记、督办升级、视为受理、证照到期等）。--loop 秒数 表示每隔该秒数重复运行。"
