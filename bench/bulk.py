"""One million appeals in bulk, the monthly counters by SQL GROUP BY, and the dashboard timing.

Runs inside a configured Django process (see bench/intake.py). The counters are computed in SQL
because ``stats_rebuild`` walks every appeal in Python; the SQL mirrors
``huying.appeals.stats.appeal_counts`` and is checked against ``stats_rebuild`` on a sample.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import random
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .content import AppealText

STATUS_WEIGHTS = [
    ("closed", 52),
    ("answered", 15),
    ("replied", 5),
    ("handling", 6),
    ("dispatched", 2),
    ("unsatisfied", 2),
    ("merged", 6),
    ("referred", 3),
    ("refused", 1),
    ("withdrawn", 1),
    ("submitted", 1),
    ("accepted", 2),
    ("suspended", 1),
    ("extension_requested", 2),
    ("return_requested", 1),
]
CHANNEL_WEIGHTS = [
    ("hotline", 62),
    ("web", 12),
    ("mobile", 14),
    ("grid", 6),
    ("representative", 2),
    ("open_day", 1),
    ("visit", 3),
]
DISPATCHED = {
    "closed",
    "replied",
    "handling",
    "dispatched",
    "unsatisfied",
    "suspended",
    "extension_requested",
    "return_requested",
}
SIGNED = DISPATCHED - {"dispatched", "return_requested"}
REPLIED = {"closed", "replied", "unsatisfied"}
NOT_ACCEPTED = ("submitted", "referred", "refused", "merged", "withdrawn")
COUNTER_SQL = {
    # Mirrors huying.appeals.stats.appeal_counts (a merged repeat counts as received only).
    "received": "1",
    "accepted": f"CASE WHEN status NOT IN {NOT_ACCEPTED} THEN 1 ELSE 0 END",
    "dispatched": "CASE WHEN status <> 'merged' AND dispatched_at IS NOT NULL THEN 1 ELSE 0 END",
    "signed_on_time": "CASE WHEN status <> 'merged' AND is_signed_on_time = TRUE THEN 1 ELSE 0 END",
    "replied": "CASE WHEN status IN ('replied', 'unsatisfied', 'closed') THEN 1 ELSE 0 END",
    "replied_on_time": (
        "CASE WHEN status IN ('replied', 'unsatisfied', 'closed') AND is_replied_on_time = TRUE THEN 1 ELSE 0 END"
    ),
    "closed": "CASE WHEN status IN ('closed', 'answered') THEN 1 ELSE 0 END",
    "followed_up": "CASE WHEN status <> 'merged' AND satisfaction <> '' THEN 1 ELSE 0 END",
    "resolved": "CASE WHEN status <> 'merged' AND satisfaction <> '' AND resolution = 'resolved' THEN 1 ELSE 0 END",
    "satisfied": ("CASE WHEN status <> 'merged' AND satisfaction IN ('satisfied', 'basically') THEN 1 ELSE 0 END"),
    "overdue": "CASE WHEN status <> 'merged' AND is_overdue = TRUE THEN 1 ELSE 0 END",
}
COUNTERS = tuple(COUNTER_SQL)


def _weighted(pairs: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    values = [v for v, _ in pairs]
    cumulative, total = [], 0
    for _, w in pairs:
        total += w
        cumulative.append(total)
    return values, cumulative


def appeal_columns() -> list[str]:
    from huying.appeals.models import Appeal

    return [f.column for f in Appeal._meta.concrete_fields if not f.primary_key]


def _defaults() -> dict[str, Any]:
    from huying.appeals.models import Appeal

    out = {}
    for f in Appeal._meta.concrete_fields:
        if f.primary_key:
            continue
        value = None if f.null and not f.has_default() else f.get_default()
        out[f.column] = str(value) if isinstance(value, str) else value  # plain str, not a TextChoices member
    return out


def generate_rows(
    count: int, *, unit_ids: list[int], category_ids: list[int], operator_id: int, months: int = 24, seed: int = 7
) -> Iterator[tuple[Any, ...]]:
    """Appeals over the last ``months`` months in plausible end states, as tuples in appeal_columns() order.

    Ids rise with the time of receipt, as they do in a live system.
    """
    rng = random.Random(seed)
    text = AppealText(seed)
    texts = [text.next() for _ in range(2000)]
    statuses, status_cum = _weighted(STATUS_WEIGHTS)
    channels, channel_cum = _weighted(CHANNEL_WEIGHTS)
    # A few units and categories get most of the work, as in real hotline data.
    unit_weights = [1.0 / (i + 1) ** 0.8 for i in range(len(unit_ids))]
    category_weights = [1.0 / (i + 1) ** 0.9 for i in range(len(category_ids))]
    draws = 1 << 16
    units = rng.choices(unit_ids, weights=unit_weights, k=draws)
    categories = rng.choices(category_ids, weights=category_weights, k=draws)
    status_draws = rng.choices(statuses, cum_weights=status_cum, k=draws)
    channel_draws = rng.choices(channels, cum_weights=channel_cum, k=draws)
    uniform = [rng.random() for _ in range(draws)]
    getter = operator.itemgetter(*appeal_columns())
    defaults = _defaults()
    sqlite = connection.vendor == "sqlite"
    now = timezone.now()
    # Django keeps aware datetimes in SQLite as naive UTC text.
    start = (now.astimezone(dt.UTC).replace(tzinfo=None) if sqlite else now) - dt.timedelta(days=months * 30.4)

    def ts(value: dt.datetime) -> Any:
        return value.isoformat(" ") if sqlite else value

    step = months * 30.4 * 86400 / count
    hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)
    mask = draws - 1
    for i in range(count):
        r = rng.random()
        submitted = start + dt.timedelta(seconds=step * (i + r))
        status = status_draws[(i * 40503) & mask]
        title, content, appeal_type, name = texts[i % len(texts)]
        row = defaults.copy()
        row.update(
            number=f"9{i:015d}",
            channel=channel_draws[(i * 2654435761) & mask],
            appeal_type=appeal_type,
            title=title,
            content=content,
            category_id=categories[i & mask],
            requester_name=name,
            requester_phone=f"15{i:09d}",
            created_by_id=operator_id,
            status=status,
            submitted_at=ts(submitted),
        )
        if status not in NOT_ACCEPTED:
            row["accepted_at"] = ts(submitted + hour)
        if status in ("referred", "refused", "withdrawn", "answered"):
            row["closed_at"] = ts(submitted + hour)
        if status in DISPATCHED:
            row.update(
                lead_unit_id=units[(i * 7) & mask],
                dispatched_at=ts(submitted + hour),
                due_at=ts(submitted + 7 * day),
                time_limit_amount=5,
                time_limit_unit="workdays",
            )
            u = uniform[(i * 31) & mask]
            if status in SIGNED:
                row.update(signed_at=ts(submitted + 3 * hour), is_signed_on_time=u < 0.95)
            if status in REPLIED:
                on_time = r < 0.92
                row.update(
                    replied_at=ts(submitted + (4 if on_time else 9) * day),
                    is_replied_on_time=on_time,
                    reply_text="经核实，已责成相关单位处理完毕，并向来电人说明情况。",
                )
            elif u < 0.1:
                row["is_overdue"] = True
        if status == "closed":
            row.update(
                resolution="resolved",
                satisfaction="satisfied" if r < 0.85 else "basically",
                closed_at=ts(submitted + 6 * day),
            )
        elif status == "unsatisfied":
            row.update(resolution="partly" if i & 2 else "unresolved", satisfaction="unsatisfied")
        elif status == "referred":
            row["refer_target"] = "110"
        yield getter(row)


def bulk_insert(rows: Iterator[tuple[Any, ...]], *, batch: int = 50_000) -> int:
    """executemany in big transactions on SQLite, COPY on PostgreSQL."""
    columns = appeal_columns()
    connection.ensure_connection()
    raw = connection.connection
    n = 0
    if connection.vendor == "postgresql":
        quoted = ", ".join(f'"{c}"' for c in columns)
        with raw.cursor() as cursor, cursor.copy(f"COPY appeals_appeal ({quoted}) FROM STDIN") as copy:
            for values in rows:
                copy.write_row(values)
                n += 1
        return n
    sql = f"INSERT INTO appeals_appeal ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    # A load step, not the system under test: a big page cache keeps the dozen indexes in memory.
    raw.execute("PRAGMA cache_size = -1048576")
    raw.execute("PRAGMA synchronous = OFF")
    try:
        while True:
            chunk = list(itertools.islice(rows, batch))
            if not chunk:
                break
            with transaction.atomic():
                raw.executemany(sql, chunk)
            n += len(chunk)
    finally:
        raw.execute("PRAGMA synchronous = NORMAL")
        raw.execute("PRAGMA cache_size = -2000")
    return n


def _month_sql() -> str:
    if connection.vendor == "postgresql":
        return "(date_trunc('month', submitted_at AT TIME ZONE 'Asia/Shanghai'))::date"
    return "strftime('%Y-%m-01', submitted_at, '+8 hours')"  # Asia/Shanghai has no daylight saving


def counters_select(where: str = "") -> str:
    """SELECT month, dimension, key, <counters> — the AppealMonthlyStat rows for the matching appeals."""
    values = ", ".join(f"{expr} AS {name}" for name, expr in COUNTER_SQL.items())
    sums = ", ".join(f"SUM({c})" for c in COUNTERS)
    base = (
        f"SELECT {_month_sql()} AS m, channel, CAST(lead_unit_id AS TEXT) AS unit_key, "
        f"CAST(category_id AS TEXT) AS category_key, {values} FROM appeals_appeal {where}"
    )
    parts = [
        f"SELECT m, 'all', '', {sums} FROM v GROUP BY m",
        f"SELECT m, 'channel', channel, {sums} FROM v GROUP BY m, channel",
        f"SELECT m, 'unit', unit_key, {sums} FROM v WHERE unit_key IS NOT NULL GROUP BY m, unit_key",
        f"SELECT m, 'category', category_key, {sums} FROM v WHERE category_key IS NOT NULL GROUP BY m, category_key",
    ]
    return f"WITH v AS ({base}) " + " UNION ALL ".join(parts)


def _normalise(rows: list[tuple[Any, ...]]) -> dict[tuple[str, str, str], tuple[int, ...]]:
    return {(str(r[0])[:10], r[1], r[2]): tuple(int(x) for x in r[3:]) for r in rows}


def stored_counters() -> dict[tuple[str, str, str], tuple[int, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT month, dimension, key, {', '.join(COUNTERS)} FROM appeals_appealmonthlystat")
        rows = cursor.fetchall()
    # The services may leave all-zero rows behind (a counter moved elsewhere); a recount has none.
    return {k: v for k, v in _normalise(rows).items() if any(v)}


def recount(where: str = "") -> dict[tuple[str, str, str], tuple[int, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(counters_select(where))
        return _normalise(cursor.fetchall())


def check_against_stats_rebuild(max_id: int) -> tuple[bool, int]:
    """stats_rebuild (the Python oracle) and the SQL GROUP BY agree on appeals with id ≤ max_id."""
    from huying.appeals.models import Appeal
    from huying.appeals.stats import stats_rebuild

    stats_rebuild(Appeal.objects.filter(pk__lte=max_id).iterator(chunk_size=5000))
    python = stored_counters()
    sql = recount(f"WHERE id <= {int(max_id)}")
    return python == sql, len(sql)


def counters_rebuild_sql() -> int:
    from huying.appeals.stats import counters_rewritten, rewritten_at

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM appeals_appealmonthlystat")
        columns = ", ".join(COUNTERS)
        cursor.execute(
            f"INSERT INTO appeals_appealmonthlystat (month, dimension, key, {columns}, updated_at) "
            f"SELECT *, %s FROM ({counters_select()}) AS counted",
            [connection.ops.adapt_datetimefield_value(rewritten_at())],
        )
        counters_rewritten()  # as stats_rebuild does: every dashboard copy loads the table again
        cursor.execute("SELECT COUNT(*) FROM appeals_appealmonthlystat")
        return int(cursor.fetchone()[0])


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")


def best_ms(fn: Callable[[], Any], runs: int = 7, *, before: Callable[[], Any] | None = None) -> float:
    """The fastest of ``runs`` calls of ``fn``, in ms; ``before`` (untimed) runs ahead of each call."""
    best = float("inf")
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def dashboard_timing(runs: int = 7) -> dict[str, float]:
    """The provider for every dimension over the last 12 months vs SELECT COUNT(*) FROM appeals_appeal.

    Four ways, each the best of ``runs``: ``dashboard_ms`` nothing changed since the last call (the
    per-process copy asks what changed and reuses its answer); ``dashboard_changed_ms`` one appeal's
    counters changed (committed) before every call, on this month's all, channel, busiest unit and
    busiest category rows, so the copy re-reads the changed rows and figures those rows again;
    ``dashboard_cold_ms`` a new process's first call (the copy loads every row); ``dashboard_sql_ms``
    inside a transaction, where the provider runs one grouped query instead.
    """
    from huying.appeals import stats, stats_replica
    from huying.appeals.models import AppealMonthlyStat
    from huying.core.registry import dashboard_providers

    provider = dashboard_providers.get("appeals")
    end = timezone.localdate().replace(day=1)
    index = end.year * 12 + end.month - 1 - 11
    start = dt.date(index // 12, index % 12 + 1, 1)
    flip = {"sign": 1}

    def dashboard() -> None:
        provider(start=start, end=end)  # every dimension: all, month, channel, unit, category

    busiest = {  # the unit and category with the most rows this month: the dashboard's top rows move
        dimension: AppealMonthlyStat.objects.filter(month=end, dimension=dimension).order_by("-received").first()
        for dimension in ("unit", "category")
    }
    keys = [("all", ""), ("channel", "hotline")] + [(d, row.key) for d, row in busiest.items() if row is not None]

    def change() -> None:
        with transaction.atomic():  # one appeal's worth: +1 or -1 received on this month's four rows
            flip["sign"] = -flip["sign"]
            stats.apply_delta({}, {(end, dimension, key): {"received": flip["sign"]} for dimension, key in keys})

    def count() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM appeals_appeal")
            return int(cursor.fetchone()[0])

    def in_transaction() -> None:
        with transaction.atomic():
            dashboard()

    assert stats_replica.usable()
    cold_ms = best_ms(dashboard, runs, before=stats_replica.REPLICA.reset)
    changed_ms = best_ms(dashboard, runs, before=change)
    dashboard()
    dashboard_ms = best_ms(dashboard, runs)
    sql_ms = best_ms(in_transaction, runs)
    count_ms = best_ms(count, runs)
    return {
        "dashboard_ms": dashboard_ms,
        "dashboard_changed_ms": changed_ms,
        "dashboard_cold_ms": cold_ms,
        "dashboard_sql_ms": sql_ms,
        "count_ms": count_ms,
        "dashboard_ratio": dashboard_ms / count_ms,
        "dashboard_changed_ratio": changed_ms / count_ms,
    }
