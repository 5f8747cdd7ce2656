"""Reads for appeals. Missing and not-visible raise the same NotFound."""

from __future__ import annotations

import bisect
import datetime as dt
import time
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from django.db import connections, router
from django.db.models import Q, QuerySet

from huying.accounts.roles import Role
from huying.accounts.selectors import ActorLike, actor_for
from huying.core.deadlines import deadline_state
from huying.core.errors import NotFound
from huying.organisations.models import Division, OrgUnit

from . import stats_replica
from .models import Appeal, AppealEvent, AppealMonthlyStat, Category, CategoryRoute
from .permissions import visible_appeals_q
from .states import Channel, Status
from .stats import COUNTERS

OPEN_WORK = [Status.DISPATCHED, Status.RETURN_REQUESTED, Status.HANDLING, Status.EXTENSION_REQUESTED, Status.SUSPENDED]


def appeal_list_for(actor: ActorLike) -> QuerySet[Appeal]:
    return Appeal.objects.filter(visible_appeals_q(actor_for(actor))).select_related("lead_unit", "category")


def appeal_get_for(*, actor: ActorLike, appeal_id: int | None = None, number: str | None = None) -> Appeal:
    qs = appeal_list_for(actor).select_related("category__parent", "division", "merged_into")
    try:
        appeal = qs.get(pk=appeal_id) if appeal_id is not None else qs.get(number=number)
    except (Appeal.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    return appeal


def appeal_timeline(appeal: Appeal, *, public_only: bool) -> QuerySet[AppealEvent]:
    qs = appeal.events.select_related("actor", "actor_unit")
    return qs.filter(is_public=True) if public_only else qs


def appeal_deadline(appeal: Appeal, now: dt.datetime | None = None) -> str:
    """The appeal's deadline colour (core.deadlines): once the unit has replied (or the order is
    closed) the clock is stopped and the due date stays on the record as 已停止计时."""
    return deadline_state(
        appeal.due_at,
        now=now,
        paused=appeal.paused_at is not None,
        stopped=appeal.status not in OPEN_WORK,
        overdue=appeal.is_overdue,
    )


def unit_inbox_for(actor: ActorLike) -> QuerySet[Appeal]:
    """Open work dispatched to the actor's units (lead or assisting), soonest deadline first."""
    resolved = actor_for(actor)
    paths = resolved.unit_paths(Role.HANDLER)
    if not paths:
        return Appeal.objects.none()
    q = Q()
    for path in paths:
        q |= Q(assignments__unit__path__startswith=path, assignments__is_active=True)
    return (
        Appeal.objects.filter(q, status__in=[*OPEN_WORK, Status.UNSATISFIED, Status.REPLIED])
        .select_related("lead_unit", "category")
        .distinct()
        .order_by("due_at")
    )


def supervisor_board_for(actor: ActorLike) -> dict[str, QuerySet[Appeal]]:
    base = appeal_list_for(actor)
    return {
        "overdue": base.filter(is_overdue=True, status__in=OPEN_WORK).order_by("-supervise_level", "due_at"),
        "returns": base.filter(status=Status.RETURN_REQUESTED).order_by("due_at"),
        "extensions": base.filter(status=Status.EXTENSION_REQUESTED).order_by("due_at"),
        "unsatisfied": base.filter(status=Status.UNSATISFIED).order_by("submitted_at"),
        "to_dispatch": base.filter(status__in=[Status.SUBMITTED, Status.ACCEPTED]).order_by("submitted_at"),
        "to_follow_up": base.filter(status=Status.REPLIED).order_by("replied_at"),
    }


def suggest_unit(category: Category | None, division: Division | None) -> OrgUnit | None:
    """The 派单目录 answer: an area route for the category (or its parents) first, then its unit."""
    node = category
    while node is not None:
        div = division
        while div is not None:
            route = CategoryRoute.objects.filter(category=node, division=div).select_related("unit").first()
            if route:
                return route.unit
            div = div.parent
        if node.unit_id:
            return node.unit
        node = node.parent
    return None


def category_choices() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True, children__isnull=True).select_related("parent", "unit")


def _rate(numerator: int, denominator: int) -> float | None:
    return round(100.0 * numerator / denominator, 1) if denominator else None


def figures(row: dict[str, Any]) -> dict[str, Any]:
    """The published figures from the counters (definitions in docs/glossary.md)."""
    return {
        **row,
        "closure_rate": _rate(row["closed"], row["accepted"]),  # 办结率
        "reply_rate": _rate(row["replied"], row["dispatched"]),  # 回复率
        "response_rate": _rate(row["signed_on_time"], row["dispatched"]),  # 响应率
        "resolution_rate": _rate(row["resolved"], row["followed_up"]),  # 解决率
        "satisfaction_rate": _rate(row["satisfied"], row["followed_up"]),  # 满意率
        "on_time_rate": _rate(row["replied_on_time"], row["replied"]),  # 按时办结率
    }


DASHBOARD_DIMENSIONS = ("all", "month", "channel", "unit", "category")


def appeal_dashboard_provider(*, start: dt.date, end: dt.date) -> dict[str, list[Mapping[str, Any]]]:
    """Every dimension's figures over whole months ``start``..``end``.

    Returns ``{"all": [total], "month": [...by month...], "channel"|"unit"|"category": [...]}``,
    the keyed dimensions sorted by 受理量, largest first. The "all" counter rows give both the
    monthly series and (summed here) the total; the other dimensions are summed over the months.
    Outside a transaction the sums come from this process's copy of the counters, brought up to
    date first (``stats_replica``); inside one, from one grouped query over the counter rows.
    """
    if stats_replica.usable():
        return stats_replica.REPLICA.figures(start, end, DashboardAnswer)
    return _assemble(_counter_sums(start, end))


def _counter_sums(start: dt.date, end: dt.date) -> list[tuple[Any, ...]]:
    """(dimension, month for "all" else None, key, *COUNTERS) summed over the months, in one query.

    Read where the router sends the counters' reads: the replica inside ``replica_reads()``."""
    db = connections[router.db_for_read(AppealMonthlyStat)]
    table = db.ops.quote_name(AppealMonthlyStat._meta.db_table)
    q = db.ops.quote_name
    sums = ", ".join(f"SUM({q(c)})" for c in COUNTERS)
    sql = (
        f"SELECT {q('dimension')}, CASE WHEN {q('dimension')} = 'all' THEN {q('month')} END AS m, {q('key')}, {sums} "
        f"FROM {table} WHERE {q('month')} >= %s AND {q('month')} <= %s "
        f"GROUP BY {q('dimension')}, m, {q('key')}"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, [start.replace(day=1), end])
        return list(cursor.fetchall())


KEYED_DIMENSIONS = ("channel", "unit", "category")
_CHANNEL_LABELS = dict(Channel.choices)  # lazy: shown in the language of whoever reads the row


class DashboardAnswer:
    """The provider's answer, built row by row: a row put again replaces the old one and moves to its place.

    Rows are read-only (the per-process copy hands the same rows to every caller); the lists
    returned by :meth:`answer` are the caller's own. The month rows come in month order, the keyed
    dimensions by 受理量, largest first (ties by key); ``all`` is the sum of the month rows.
    """

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], Mapping[str, Any]] = {}
        # Per dimension, the rows in their order and, at the same positions, the keys they sort by.
        self._lists: dict[str, list[Mapping[str, Any]]] = {d: [] for d in DASHBOARD_DIMENSIONS}
        self._places: dict[str, list[tuple[Any, ...]]] = {d: [] for d in ("month", *KEYED_DIMENSIONS)}
        self._total_stale = True
        self._names: dict[str, dict[str, Any]] = {}
        self._reloaded: set[str] = set()

    def _label(self, dimension: str, key: str) -> Any:
        if dimension == "channel":
            return _CHANNEL_LABELS.get(key, key)
        names = self._names.get(dimension)
        if names is None or (key not in names and dimension not in self._reloaded):
            if names is not None:
                self._reloaded.add(dimension)  # a key still unknown after one reload keeps its number
            names = self._names[dimension] = _labels(dimension, [key])
        return names.get(key, key)

    @staticmethod
    def _place(dimension: str, row: Mapping[str, Any]) -> tuple[Any, ...]:
        return (row["key"],) if dimension == "month" else (-row["received"], row["key"])

    def put(self, dimension: str, month: Any, key: str, values: Sequence[Any]) -> None:
        """The summed counters of one (dimension, key), or of one month for dimension "all"."""
        counts = {c: int(v or 0) for c, v in zip(COUNTERS, values, strict=True)}
        if dimension == "all":
            label = str(month)[:7]  # a date on PostgreSQL, ISO text on SQLite, "YYYY-MM" from the copy
            dimension, key = "month", label
        elif dimension in KEYED_DIMENSIONS:
            label = self._label(dimension, key)
        else:
            return
        row = MappingProxyType(figures({**counts, "key": key, "label": label}))
        places, rows = self._places[dimension], self._lists[dimension]
        old = self._rows.get((dimension, key))
        if old is not None:
            at = bisect.bisect_left(places, self._place(dimension, old))
            del places[at], rows[at]
        place = self._place(dimension, row)
        at = bisect.bisect_right(places, place)
        places.insert(at, place)
        rows.insert(at, row)
        self._rows[(dimension, key)] = row
        self._total_stale = self._total_stale or dimension == "month"

    def answer(self) -> dict[str, list[Mapping[str, Any]]]:
        if self._total_stale:
            months = self._lists["month"]
            total = {c: sum(row[c] for row in months) for c in COUNTERS}
            self._lists["all"] = [MappingProxyType(figures({**total, "key": "", "label": "全部"}))] if months else []
            self._total_stale = False
        return {dimension: list(rows) for dimension, rows in self._lists.items()}


def _assemble(rows: list[tuple[Any, ...]]) -> dict[str, list[Mapping[str, Any]]]:
    answer = DashboardAnswer()
    for dimension, month, key, *values in rows:
        answer.put(dimension, month, key, values)
    return answer.answer()


# Unit and category names change rarely; the dashboard reads them from a per-process copy that is
# reloaded when a key is missing or after LABEL_TTL seconds (a rename shows within a minute).
LABEL_TTL = 60.0
_label_cache: dict[str, tuple[float, dict[str, str]]] = {}


def _labels(dimension: str, keys: list[str]) -> dict[str, str]:
    """Names of units or categories by key (as text), reloaded when one of ``keys`` is missing."""
    cached = _label_cache.get(dimension)
    now = time.monotonic()
    if cached and now - cached[0] < LABEL_TTL and all(k in cached[1] for k in keys):
        return cached[1]
    # values_list, not model instances; the whole table: a few hundred rows at most.
    if dimension == "unit":
        labels = {str(pk): short or name for pk, short, name in OrgUnit.objects.values_list("pk", "short_name", "name")}
    else:
        labels = {
            str(pk): f"{parent}/{name}" if parent else name
            for pk, name, parent in Category.objects.values_list("pk", "name", "parent__name")
        }
    _label_cache[dimension] = (now, labels)
    return labels
