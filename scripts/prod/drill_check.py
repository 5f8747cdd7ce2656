"""What the drills read from a database (run with the profile's environment, DATABASE_URL chosen):

drill_check.py present RUN            JSON: for each drill submission (content "演练 RUN #i"), how many appeals
drill_check.py drift                  JSON: counter cells that differ from a rebuild from the rows (rolled back)
drill_check.py figures                JSON: the dashboard's figures for the last twelve months
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

import django

django.setup()

from django.db import transaction  # noqa: E402

from huying.appeals import stats  # noqa: E402
from huying.appeals.models import Appeal, AppealMonthlyStat  # noqa: E402
from huying.dashboards.selectors import dashboard_figures, period_default  # noqa: E402


def present(run: str) -> dict[str, int]:
    prefix = f"演练 {run} #"
    counts = Counter(Appeal.objects.filter(content__startswith=prefix).values_list("content", flat=True))
    numbers = dict(Appeal.objects.filter(content__startswith=prefix).values_list("content", "number"))
    return {"counts": dict(counts), "numbers": numbers}  # type: ignore[dict-item]


def _cells() -> dict[str, list[int]]:
    columns = ["month", "dimension", "key", *stats.COUNTERS]
    return {f"{r[0]}|{r[1]}|{r[2]}": list(r[3:]) for r in AppealMonthlyStat.objects.values_list(*columns)}


def drift() -> dict[str, int]:
    with transaction.atomic():
        before = _cells()
        stats.stats_rebuild()
        after = _cells()
        transaction.set_rollback(True)
    keys = set(before) | set(after)
    differing = sum(
        1 for k in keys if before.get(k, [0] * len(stats.COUNTERS)) != after.get(k, [0] * len(stats.COUNTERS))
    )
    return {"cells": len(keys), "drift": differing, "appeals": Appeal.objects.count()}


def figures() -> dict[str, object]:
    data = dashboard_figures(period_default())
    return json.loads(json.dumps({k: data[k] for k in ("total", "month", "channel", "unit", "category")}, default=str))


if __name__ == "__main__":
    what = sys.argv[1]
    out = present(sys.argv[2]) if what == "present" else drift() if what == "drift" else figures()
    print(json.dumps(out, ensure_ascii=False, sort_keys=True))
