"""Monthly partitions on PostgreSQL: a partitioned copy of the appeals and events tables, partitions made
ahead by the sweep's step, and query plans that read only the months asked for (partition pruning)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection

from huying.core import partitions

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="declarative partitioning is PostgreSQL's"),
]


def _scanned(sql: str, params: list[Any]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    found: set[str] = set()

    def visit(node: dict[str, Any]) -> None:
        if "Relation Name" in node:
            found.add(node["Relation Name"])
        for child in node.get("Plans", []):
            visit(child)

    visit(plan[0]["Plan"])
    return found


def test_dashboard_and_inbox_queries_read_only_their_months(settings: Any) -> None:
    partitions.partition_copy("appeals_appeal", "appeals_appeal_bymonth", "submitted_at")
    partitions.partition_copy("appeals_appealevent", "appeals_appealevent_bymonth", "created_at")
    settings.HUYING_PARTITIONED_TABLES = {
        "appeals_appeal_bymonth": "submitted_at",
        "appeals_appealevent_bymonth": "created_at",
    }
    settings.HUYING_PARTITION_MONTHS_AHEAD = 2
    said = partitions.sweep_partitions(today=dt.date(2026, 10, 15))
    assert "appeals_appeal_bymonth_2026_12" in said and "appeals_appealevent_bymonth_2026_10" in said
    assert "已齐备" in partitions.sweep_partitions(today=dt.date(2026, 10, 20))  # nothing twice
    partitions.ensure_partitions("appeals_appeal_bymonth", dt.date(2026, 7, 1), 3)

    # The dashboard's month: one partition.
    month = _scanned(
        "SELECT status, COUNT(*) FROM appeals_appeal_bymonth WHERE submitted_at >= %s AND submitted_at < %s GROUP BY status",
        ["2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00"],
    )
    assert month == {"appeals_appeal_bymonth_2026_11"}
    # The inbox with its horizon (open appeals of the last three months): three partitions, not seven.
    inbox = _scanned(
        "SELECT id FROM appeals_appeal_bymonth WHERE lead_unit_id = %s AND status IN ('dispatched', 'handling') "
        "AND submitted_at >= %s ORDER BY due_at LIMIT 50",
        [1, "2026-10-01T00:00:00+08:00"],
    )
    assert inbox == {f"appeals_appeal_bymonth_2026_{m}" for m in ("10", "11", "12")}
    # Without the time condition every partition is read: the plan's rule for every query on these tables.
    assert len(_scanned("SELECT id FROM appeals_appeal_bymonth WHERE lead_unit_id = %s", [1])) == 6
