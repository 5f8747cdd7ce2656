"""manage.py appeals_sweep [--loop SECONDS]: mark overdue orders and raise their 督办 level.

The check itself is the one registered in core.registry.sweeps (apps.py), which `manage.py sweep` runs too.
"""

from __future__ import annotations

from huying.core.management.loop import SweepCommand


class Command(SweepCommand):
    help = "巡检超期工单（标记超期、自动升级督办）。--loop 秒数 表示每隔该秒数重复运行。"
    names = ("appeals",)
