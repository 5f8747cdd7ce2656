"""manage.py applications_sweep [--loop SECONDS]: deemed acceptance, 容缺 expiry and overdue marks for 办件.

The check itself is the one registered in core.registry.sweeps (apps.py), which `manage.py sweep` runs too.
"""

from __future__ import annotations

from huying.core.management.loop import SweepCommand


class Command(SweepCommand):
    help = "办件巡检：逾期未告知补正视为受理、容缺材料逾期不予审批、超期标记（可重复运行）。--loop 秒数 表示每隔该秒数重复运行。"
    names = ("applications",)
