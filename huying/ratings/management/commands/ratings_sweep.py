"""manage.py ratings_sweep [--loop SECONDS]: flag bad-rating cases not answered in time.

The check itself is the one registered in core.registry.sweeps (apps.py), which `manage.py sweep` runs too.
"""

from __future__ import annotations

from huying.core.management.loop import SweepCommand


class Command(SweepCommand):
    help = "巡检差评整改单（超过整改反馈期限的标记为超期）。可重复运行；--loop 秒数 表示每隔该秒数重复运行。"
    names = ("ratings",)
