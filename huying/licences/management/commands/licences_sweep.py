"""manage.py licences_sweep [--loop SECONDS]: mark licences past their validity expired and purge spent QR nonces.

The check itself is the one registered in core.registry.sweeps (apps.py), which `manage.py sweep` runs too.
"""

from __future__ import annotations

from huying.core.management.loop import SweepCommand


class Command(SweepCommand):
    help = "将超过有效期的电子证照标记为已过期，并清理已过期的二维码防重放记录（可重复运行）。--loop 秒数 表示每隔该秒数重复运行。"
    names = ("licences",)
