"""The dashboard's per-process copy of the monthly counters, kept in step by reading only what changed.

The dashboard sums ``AppealMonthlyStat`` rows (ADR 0002): a few thousand rows however many appeals
there are, but summing them in SQL still costs more than SQLite's ``COUNT(*)`` over a million
appeals. Each process therefore holds the counter rows in NumPy arrays and, on every dashboard
call, asks the database for:

1. ``COUNT(*)`` and ``MAX(updated_at)`` of the counter table and the rewrite generation, and
2. the rows with ``updated_at`` after the previous look, less :data:`SYNC_MARGIN`.

Every service writes ``updated_at`` with its counter change (``stats._upsert``), so (2) brings
every change committed since the last look, and the margin covers a transaction that wrote its
counters before the last look but committed after it (any transaction shorter than the margin).
Re-reading a row twice is harmless: the copy takes the row's current values, not a difference.
What (2) cannot see shows in (1): a rebuild bumps the generation (its rows are stamped an hour
back, so that they are not re-read for minutes after); rows deleted behind the services' back (a
test flush) change the count; a restored backup makes the newest change older than one already
seen. Then the copy loads everything again. It also reloads every :data:`FULL_RELOAD_SECONDS`, whatever happens.

The figures for a period are summed with NumPy and put into the caller's answer object, which
is kept. A later look that finds changed rows adds each row's change to the period's sums and puts
again only the (dimension, key) rows it touched: one appeal's change re-figures four rows, not the
~550 of a city's units and categories. The answer is rebuilt from scratch after a minute (for
renamed units and categories) and after every full reload. An unchanged dashboard costs the two
small queries.

Only used outside transactions: inside one, the rows may be this transaction's own uncommitted
changes (and the test suite runs every test inside one), so the caller reads the table instead.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import AppealMonthlyStat, AppealStatGeneration
from .stats import COUNTERS

SYNC_MARGIN = dt.timedelta(minutes=5)
FULL_RELOAD_SECONDS = 600.0
MEMO_SIZE = 32
MEMO_SECONDS = 60.0  # an assembled answer also names units and categories: a rename shows within a minute

MAX_LOG = 4096  # logged row changes kept for answers that have not caught up yet

Row = tuple[Any, ...]  # (dimension, "YYYY-MM" for "all" else None, key, *COUNTERS)


class Answer(Protocol):
    """What the caller builds from the sums (``selectors.DashboardAnswer``)."""

    def put(self, dimension: str, month: Any, key: str, values: Sequence[Any]) -> None: ...

    def answer(self) -> dict[str, list[Mapping[str, Any]]]: ...


@dataclass
class _Period:
    """One period's sums per group and the answer built from them, as of ``version``."""

    first: int
    last: int
    version: int
    built: float  # monotonic clock
    sums: np.ndarray
    answer: Answer


def month_number(value: dt.date | str) -> int:
    """Months since year 0: a date or an ISO date string (SQLite returns text)."""
    text = str(value)
    return int(text[:4]) * 12 + int(text[5:7]) - 1


def usable() -> bool:
    """Outside a transaction, unless turned off (``HUYING_DASHBOARD_REPLICA = False``)."""
    return bool(getattr(settings, "HUYING_DASHBOARD_REPLICA", True)) and not connection.in_atomic_block


class CounterReplica:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clear()
        self.full_loads = 0

    def _clear(self) -> None:
        self.row_of: dict[tuple[int, str, str], int] = {}  # (month number, dimension, key) -> row
        self.group_of: dict[tuple[str, str, str | None], int] = {}  # (dimension, key, month label) -> group
        self.groups: list[tuple[str, str, str | None]] = []
        self.months = np.zeros(0, dtype=np.int64)
        self.row_groups = np.zeros(0, dtype=np.int64)
        self.values = np.zeros((0, len(COUNTERS)), dtype=np.int64)
        self.n = 0
        self.synced_at: dt.datetime | None = None  # wall clock when the last look began
        self.loaded_at = 0.0  # monotonic clock of the last full load
        self.newest: Any = None  # MAX(updated_at) at the last look, as the database returned it
        self.generation: int | None = None
        self.version = 0  # changes whenever the copy's contents do
        self.log: list[tuple[int, int, np.ndarray]] = []  # (version, row, change of its values)
        self.memo: dict[tuple[int, int], _Period] = {}

    # --- keeping in step --------------------------------------------------------------------

    def _select(self, where: str = "") -> str:
        q = connection.ops.quote_name
        columns = ", ".join(q(c) for c in ("month", "dimension", "key", *COUNTERS))
        return f"SELECT {columns} FROM {q(AppealMonthlyStat._meta.db_table)} {where}"

    def sync(self) -> None:
        """Bring the copy up to date with the committed counter rows."""
        started = timezone.now()
        q = connection.ops.quote_name
        table = q(AppealMonthlyStat._meta.db_table)
        with connection.cursor() as cursor:
            generations = q(AppealStatGeneration._meta.db_table)
            cursor.execute(  # three scalar subqueries: each is answered from an index
                f"SELECT (SELECT COUNT(*) FROM {table}), (SELECT MAX({q('updated_at')}) FROM {table}),"
                f" (SELECT MAX({q('number')}) FROM {generations})"
            )
            count, newest, generation = cursor.fetchone()
            stale = (
                self.synced_at is None
                or generation != self.generation
                or time.monotonic() - self.loaded_at > FULL_RELOAD_SECONDS
                or (newest is None) != (self.newest is None)
                or (newest is not None and newest < self.newest)
            )
            if stale:
                cursor.execute(self._select())
            else:
                assert self.synced_at is not None
                since = connection.ops.adapt_datetimefield_value(self.synced_at - SYNC_MARGIN)
                cursor.execute(self._select(f"WHERE {q('updated_at')} > %s"), [since])
            rows = cursor.fetchall()
        if stale:
            self._load(rows)
        else:
            self._apply(rows)
        if self.n != count and not stale:
            # A row went (a rebuild, a flush) or came in without a fresh updated_at: start again.
            self.synced_at = None
            self.sync()
            return
        self.synced_at, self.newest, self.generation = started, newest, generation

    def _load(self, rows: Sequence[Row]) -> None:
        """Replace the copy with ``rows`` (every row of the table)."""
        self._clear()
        self.loaded_at = time.monotonic()
        self.full_loads += 1
        n = len(rows)
        size = max(1024, 2 * n)
        self.months = np.zeros(size, dtype=np.int64)
        self.row_groups = np.zeros(size, dtype=np.int64)
        self.values = np.zeros((size, len(COUNTERS)), dtype=np.int64)
        if n:
            self.values[:n] = np.array([[int(v or 0) for v in row[3:]] for row in rows], dtype=np.int64)
        months: list[int] = []
        groups: list[int] = []
        for month, dimension, key, *_counts in rows:
            number = month_number(month)
            self.row_of[(number, dimension, key)] = len(months)
            months.append(number)
            groups.append(self._group(number, dimension, key))
        self.months[:n], self.row_groups[:n], self.n = months, groups, n
        self.version += 1

    def _apply(self, rows: Sequence[Row]) -> None:
        """Take the current values of ``rows`` (changed rows, some perhaps already seen)."""
        changed = False
        for month, dimension, key, *counts in rows:
            number = month_number(month)
            row = self.row_of.get((number, dimension, key))
            new = [int(v or 0) for v in counts]
            if row is None:
                row = self._add_row(number, dimension, key)  # logged even if all zero: it is there now
            elif self.values[row].tolist() == new:
                continue  # re-read within the margin, unchanged
            self.log.append((self.version + 1, row, new - self.values[row]))
            self.values[row] = new
            changed = True
        if changed:
            self.version += 1

    def _add_row(self, number: int, dimension: str, key: str) -> int:
        if self.n == len(self.months):
            size = max(1024, 2 * self.n)
            self.months = np.resize(self.months, size)
            self.row_groups = np.resize(self.row_groups, size)
            values = np.zeros((size, len(COUNTERS)), dtype=np.int64)
            values[: self.n] = self.values[: self.n]
            self.values = values
        row = self.n
        self.months[row], self.row_groups[row] = number, self._group(number, dimension, key)
        self.row_of[(number, dimension, key)] = row
        self.n += 1
        return row

    def _group(self, number: int, dimension: str, key: str) -> int:
        """The "all" rows stay per month (the monthly series); the others are summed over months."""
        label = f"{number // 12:04d}-{number % 12 + 1:02d}" if dimension == "all" else None
        group = self.group_of.get((dimension, key, label))
        if group is None:
            group = self.group_of[(dimension, key, label)] = len(self.groups)
            self.groups.append((dimension, key, label))
        return group

    # --- answering ----------------------------------------------------------------------------

    def rows(self, start: dt.date, end: dt.date) -> list[Row]:
        """Counter sums per (dimension, key) over the months ``start``..``end`` (the "all" rows per month)."""
        first, last = month_number(start), month_number(end)
        months = self.months[: self.n]
        chosen = np.flatnonzero((months >= first) & (months <= last))
        groups = self.row_groups[chosen]
        present = np.unique(groups)
        values = self.values[chosen]
        sums = np.stack(
            [np.bincount(groups, weights=values[:, c], minlength=len(self.groups)) for c in range(len(COUNTERS))],
            axis=1,
        )
        totals = np.rint(sums[present]).astype(np.int64).tolist()
        out: list[Row] = []
        for group, counts in zip(present.tolist(), totals, strict=True):
            dimension, key, label = self.groups[group]
            out.append((dimension, label, key, *counts))
        return out

    def figures(self, start: dt.date, end: dt.date, make: Callable[[], Answer]) -> dict[str, list[Mapping[str, Any]]]:
        """The answer for ``start``..``end`` as of now: read-only rows in lists of the caller's own."""
        with self._lock:
            self.sync()
            key = (month_number(start), month_number(end))
            now = time.monotonic()
            period = self.memo.get(key)
            if period is None or now - period.built > MEMO_SECONDS or period.version < self._log_floor():
                if len(self.memo) >= MEMO_SIZE:
                    self.memo.clear()
                period = self.memo[key] = self._build(start, end, make, now)
            elif period.version != self.version:
                self._catch_up(period)
            self._trim_log()
            return period.answer.answer()

    def _build(self, start: dt.date, end: dt.date, make: Callable[[], Answer], now: float) -> _Period:
        answer = make()
        sums = np.zeros((len(self.groups), len(COUNTERS)), dtype=np.int64)
        for dimension, label, key, *counts in self.rows(start, end):
            answer.put(dimension, label, key, counts)
            sums[self.group_of[(dimension, key, label)]] = counts
        return _Period(month_number(start), month_number(end), self.version, now, sums, answer)

    def _catch_up(self, period: _Period) -> None:
        """Add the logged changes since the period's version to its sums; put again the rows they touched."""
        touched: set[int] = set()
        for version, row, change in self.log:
            if version > period.version and period.first <= self.months[row] <= period.last:
                group = int(self.row_groups[row])
                if group >= len(period.sums):
                    grown = np.zeros((len(self.groups), len(COUNTERS)), dtype=np.int64)
                    grown[: len(period.sums)] = period.sums
                    period.sums = grown
                period.sums[group] += change
                touched.add(group)
        for group in sorted(touched):
            dimension, key, label = self.groups[group]
            period.answer.put(dimension, label, key, period.sums[group].tolist())
        period.version = self.version

    def _log_floor(self) -> int:
        """The oldest version the log can bring forward (an answer older than that is rebuilt)."""
        return self.log[0][0] - 1 if self.log else self.version

    def _trim_log(self) -> None:
        """Forget changes every kept answer has seen; past MAX_LOG, also the answers left behind."""
        oldest = min((p.version for p in self.memo.values()), default=self.version)
        if len(self.log) > MAX_LOG:
            oldest = max(oldest, self.log[-MAX_LOG][0] - 1)
            self.memo = {k: p for k, p in self.memo.items() if p.version >= oldest}
        if self.log and self.log[0][0] <= oldest:
            self.log = [entry for entry in self.log if entry[0] > oldest]

    def reset(self) -> None:
        with self._lock:
            self._clear()
            self.full_loads = 0


REPLICA = CounterReplica()
