"""Monthly partitions on PostgreSQL (declarative, RANGE on a time column), made ahead by the sweep.

Growth plan (docs/deploy.md, "Beyond one database"): appeals and their events partitioned by month
of ``submitted_at`` / ``created_at``. A table is listed in ``HUYING_PARTITIONED_TABLES``
(``{"table": "column"}``, empty by default) once it has been made partitioned; the sweep then keeps
``HUYING_PARTITION_MONTHS_AHEAD`` months of partitions ready, so no insert ever finds its month missing.
``partition_copy`` makes a partitioned copy of an existing table's columns, used to try the plan (and by
the test that reads the query plans) without touching the live table.

Nothing here runs on SQLite: the one-machine default has no partitions.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def _month(day: dt.date, add: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + add
    return dt.date(index // 12, index % 12 + 1, 1)


def _quoted(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a plain table or column name: {name!r}")
    return connection.ops.quote_name(name)


def partition_name(table: str, month: dt.date) -> str:
    return f"{table}_{month:%Y_%m}"


def partition_copy(source: str, target: str, column: str) -> None:
    """``target``: the columns of ``source``, partitioned by month of ``column`` (no rows, no partitions)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {_quoted(target)} (LIKE {_quoted(source)} INCLUDING DEFAULTS) "
            f"PARTITION BY RANGE ({_quoted(column)})"
        )


def ensure_partitions(table: str, start: dt.date, months: int) -> list[str]:
    """Monthly partitions of ``table`` from ``start``'s month for ``months`` months; the names made now."""
    made = []
    with connection.cursor() as cursor:
        for i in range(months):
            low, high = _month(start, i), _month(start, i + 1)
            name = partition_name(table, low)
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is not None:
                continue
            # A month begins at midnight where the deployment is (TIME_ZONE), like the dashboard's months.
            zone = ZoneInfo(settings.TIME_ZONE)
            bounds = [dt.datetime(d.year, d.month, 1, tzinfo=zone).isoformat() for d in (low, high)]
            cursor.execute(
                f"CREATE TABLE {_quoted(name)} PARTITION OF {_quoted(table)} FOR VALUES FROM (%s) TO (%s)", bounds
            )
            made.append(name)
    return made


def sweep_partitions(today: dt.date | None = None) -> str:
    """The sweep's step: this month and the next few for every listed table (PostgreSQL only)."""
    tables: dict[str, str] = getattr(settings, "HUYING_PARTITIONED_TABLES", {})
    if connection.vendor != "postgresql" or not tables:
        return "月分区：未启用。"
    ahead = int(getattr(settings, "HUYING_PARTITION_MONTHS_AHEAD", 3))
    made = [name for table in tables for name in ensure_partitions(table, today or dt.date.today(), ahead + 1)]
    return f"月分区：新建 {len(made)} 个（{', '.join(made) or '已齐备'}）。"
