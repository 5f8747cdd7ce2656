"""Exact monthly counters: each appeal contributes a vector derived from its current state.

A service that changes an appeal computes the vector before and after and applies the
difference, in the same transaction. Re-dispatch moves the counts from the old unit to the new
one, reopening takes back a follow-up, and so on, without special cases.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import F
from django.utils import timezone

from .models import Appeal, AppealMonthlyStat, AppealStatGeneration
from .states import Resolution, Satisfaction, Status

COUNTERS = (
    "received",
    "accepted",
    "dispatched",
    "signed_on_time",
    "replied",
    "replied_on_time",
    "closed",
    "followed_up",
    "resolved",
    "satisfied",
    "overdue",
)
NOT_ACCEPTED = {Status.SUBMITTED, Status.REFERRED, Status.REFUSED, Status.MERGED, Status.WITHDRAWN}
REPLIED = {Status.REPLIED, Status.VERIFYING, Status.UNSATISFIED, Status.CLOSED}
Vector = dict[tuple[dt.date, str, str], dict[str, int]]


def month_of(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date().replace(day=1)


def appeal_counts(appeal: Appeal) -> dict[str, int]:
    """The counters one appeal contributes, from its state alone."""
    if appeal.status == Status.MERGED:
        # A repeat call is counted as received but is not a separate piece of work.
        return {"received": 1}
    followed = bool(appeal.satisfaction)
    return {
        "received": 1,
        "accepted": int(appeal.status not in NOT_ACCEPTED),
        "dispatched": int(appeal.dispatched_at is not None),
        "signed_on_time": int(bool(appeal.is_signed_on_time)),
        "replied": int(appeal.status in REPLIED),
        "replied_on_time": int(appeal.status in REPLIED and bool(appeal.is_replied_on_time)),
        "closed": int(appeal.status in (Status.CLOSED, Status.ANSWERED)),
        "followed_up": int(followed),
        "resolved": int(followed and appeal.resolution == Resolution.RESOLVED),
        "satisfied": int(followed and appeal.satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASICALLY)),
        "overdue": int(appeal.is_overdue),
    }


def appeal_vector(appeal: Appeal) -> Vector:
    month = month_of(appeal.submitted_at)
    counts = appeal_counts(appeal)
    keys = [("all", ""), ("channel", appeal.channel)]
    if appeal.lead_unit_id:
        keys.append(("unit", str(appeal.lead_unit_id)))
    if appeal.category_id:
        keys.append(("category", str(appeal.category_id)))
    return {(month, dim, key): counts for dim, key in keys}


def apply_delta(before: Vector, after: Vector) -> None:
    """Add ``after - before`` to the stored counters."""
    delta: dict[tuple[dt.date, str, str], dict[str, int]] = defaultdict(dict)
    for row_key in set(before) | set(after):
        old, new = before.get(row_key, {}), after.get(row_key, {})
        for counter in COUNTERS:
            diff = new.get(counter, 0) - old.get(counter, 0)
            if diff:
                delta[row_key][counter] = diff
    if delta:
        _upsert(sorted(delta.items()))


def _upsert(rows: list[tuple[tuple[dt.date, str, str], dict[str, int]]]) -> None:
    """One INSERT ... ON CONFLICT DO UPDATE per row, in one executemany (SQLite ≥ 3.24 and PostgreSQL)."""
    table = connection.ops.quote_name(AppealMonthlyStat._meta.db_table)
    q = connection.ops.quote_name
    columns = ", ".join(q(c) for c in ("month", "dimension", "key", *COUNTERS, "updated_at"))
    placeholders = ", ".join(["%s"] * (4 + len(COUNTERS)))
    assignments = ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in COUNTERS)
    assignments += f", {q('updated_at')} = excluded.{q('updated_at')}"
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "
        f"ON CONFLICT ({q('month')}, {q('dimension')}, {q('key')}) DO UPDATE SET {assignments}"
    )
    changed = connection.ops.adapt_datetimefield_value(timezone.now())  # read by stats_replica
    params: list[list[Any]] = [
        [month.isoformat(), dim, key, *(diffs.get(c, 0) for c in COUNTERS), changed]
        for (month, dim, key), diffs in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def stats_rebuild(appeals: Iterable[Appeal] | None = None) -> int:
    """Recompute every counter from the appeals themselves (repair, and the test oracle)."""
    totals: dict[tuple[dt.date, str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    rows = appeals if appeals is not None else Appeal.objects.all().iterator(chunk_size=5000)
    for appeal in rows:
        for row_key, counts in appeal_vector(appeal).items():
            bucket = totals[row_key]
            for counter, value in counts.items():
                bucket[counter] += value
    written = rewritten_at()
    AppealMonthlyStat.objects.all().delete()
    AppealMonthlyStat.objects.bulk_create(
        [AppealMonthlyStat(month=m, dimension=d, key=k, updated_at=written, **c) for (m, d, k), c in totals.items()],
        batch_size=2000,
    )
    counters_rewritten()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return len(totals)


# A wholesale rewrite stamps its rows this long ago, outside the window in which the dashboard's
# copies re-read recent changes (stats_replica.SYNC_MARGIN is 5 minutes), and bumps the generation,
# which makes every copy load the whole table once instead.
REWRITE_AGE = dt.timedelta(hours=1)


def rewritten_at() -> dt.datetime:
    return timezone.now() - REWRITE_AGE


def counters_rewritten() -> None:
    """Tell every process's dashboard copy that the counter table was rewritten (in this transaction)."""
    updated = AppealStatGeneration.objects.filter(pk=1).update(number=F("number") + 1)
    if not updated:
        AppealStatGeneration.objects.create(pk=1, number=1)
