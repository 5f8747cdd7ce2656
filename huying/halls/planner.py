"""The staffing planner behind /hall/planner/: validated input, windows allotted to departments when the
planner leaves that to us, and :mod:`huying.halls.queueing` run within a time budget (a request stays well
under two seconds: the simulation is capped at SIM_BUDGET customers in all)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from huying.core.errors import ValidationFailed

from .queueing import Comparison, Department, compare, erlang_c, reduction_range

MAX_DEPARTMENTS = 12
MAX_WINDOWS = 120
MAX_ARRIVALS_PER_HOUR = 600.0
MIN_SERVICE_MINUTES = 0.5
MAX_SERVICE_MINUTES = 240.0
# Customers simulated across all queues (separate departments + the pooled queue): about 0.7 µs each.
SIM_BUDGET = 1_000_000
SIM_MAX_PER_QUEUE = 200_000
THRESHOLD = 0.9


@dataclass(frozen=True)
class PlanRow:
    name: str
    arrivals_per_hour: float
    service_minutes: float
    windows: int | None = None


@dataclass(frozen=True)
class DepartmentLine:
    name: str
    arrivals_per_hour: float
    service_minutes: float
    windows: int
    utilisation: float
    wait_erlang: float  # minutes


@dataclass(frozen=True)
class PlanResult:
    lines: list[DepartmentLine]
    windows: int
    comparison: Comparison
    simulated_per_queue: int
    reduction_range: tuple[float, float] | None  # hall utilisations where pooling cuts waiting by >= 90 %
    threshold: float

    @property
    def separate_gap(self) -> float | None:
        sim = self.comparison.separate_sim
        model = self.comparison.separate_wait_erlang
        return _gap(sim.mean_wait if sim else None, model)

    @property
    def pooled_gap(self) -> float | None:
        sim = self.comparison.pooled_sim
        return _gap(sim.mean_wait if sim else None, self.comparison.pooled_wait_erlang)

    @property
    def current_in_range(self) -> bool:
        r = self.reduction_range
        return r is not None and r[0] <= self.comparison.utilisation <= r[1]


def _gap(sim: float | None, model: float) -> float | None:
    """|simulation / Erlang C - 1|; None when either is zero or missing (no queue to speak of)."""
    if sim is None or model <= 1e-9:
        return None
    return abs(sim / model - 1.0)


def _min_windows(row: PlanRow) -> int:
    """Fewest windows on which the department's queue is stable (utilisation below 1)."""
    load = row.arrivals_per_hour / 60.0 * row.service_minutes
    return math.floor(load) + 1


def _wait(row: PlanRow, windows: int) -> float:
    return erlang_c(row.arrivals_per_hour / 60.0, 1.0 / row.service_minutes, windows).mean_wait


def allocate(rows: Sequence[PlanRow], windows: int) -> list[int]:
    """Department windows for a total: each the fewest that keep it stable, then each spare window to the
    department where it cuts the arrival-weighted mean wait most."""
    counts = [_min_windows(r) for r in rows]
    if sum(counts) > windows:
        raise ValidationFailed(
            _("按各部门的来办量和办理时长，分开设窗至少需要%(need)d个窗口，窗口总数%(have)d个不够。")
            % {"need": sum(counts), "have": windows},
            data={"windows": _("至少需要%(need)d个窗口。") % {"need": sum(counts)}},
        )
    for _spare in range(windows - sum(counts)):
        best = max(
            range(len(rows)),
            key=lambda i: rows[i].arrivals_per_hour * (_wait(rows[i], counts[i]) - _wait(rows[i], counts[i] + 1)),
        )
        counts[best] += 1
    return counts


def validate(rows: Sequence[PlanRow], windows: int) -> list[PlanRow]:
    """Field errors keyed ``rows`` / ``windows``; rows keep their order."""
    errors: dict[str, str] = {}
    if not rows:
        errors["rows"] = _("请至少填写一个部门。")
    elif len(rows) > MAX_DEPARTMENTS:
        errors["rows"] = _("部门最多%(n)d个。") % {"n": MAX_DEPARTMENTS}
    if not isinstance(windows, int) or isinstance(windows, bool) or not 1 <= windows <= MAX_WINDOWS:
        errors["windows"] = _("窗口总数应为1到%(n)d之间的整数。") % {"n": MAX_WINDOWS}
    names = [r.name for r in rows]
    if len(set(names)) != len(names):
        errors["rows"] = _("部门名称不能重复。")
    given = [r.windows for r in rows if r.windows is not None]
    if given and len(given) != len(rows):
        errors["rows"] = _("请为每个部门都填写窗口数，或全部留空由系统按负荷分配。")
    elif given and "windows" not in errors and sum(given) != windows:
        errors["windows"] = _("各部门窗口数之和（%(sum)d）应等于窗口总数（%(total)d）。") % {
            "sum": sum(given),
            "total": windows,
        }
    for r in rows:
        if r.windows is not None and r.windows < _min_windows(r):
            errors["rows"] = _(
                "“%(name)s”的负荷为%(load).1f，%(w)d个窗口排不过来（队伍会无限变长），至少需要%(need)d个。"
            ) % {
                "name": r.name,
                "load": r.arrivals_per_hour / 60.0 * r.service_minutes,
                "w": r.windows,
                "need": _min_windows(r),
            }
            break
    if errors:
        raise ValidationFailed(data=errors)
    return list(rows)


def plan(rows: Sequence[PlanRow], windows: int, *, seed: int = 0) -> PlanResult:
    rows = validate(rows, windows)
    given = [r.windows for r in rows if r.windows is not None]
    counts = given if len(given) == len(rows) else allocate(rows, windows)
    departments = [
        Department(r.name, r.arrivals_per_hour, r.service_minutes, int(c)) for r, c in zip(rows, counts, strict=True)
    ]
    per_queue = min(SIM_MAX_PER_QUEUE, SIM_BUDGET // (len(departments) + 1))
    try:
        comparison = compare(departments, pooled_windows=windows, simulate_customers=per_queue, seed=seed)
        found = reduction_range(departments, THRESHOLD)
    except ValueError as exc:  # the checks above keep every queue stable; this is a last guard
        raise ValidationFailed(_("输入的负荷超出模型可计算的范围，请减少来办量或增加窗口。")) from exc
    lines = [
        DepartmentLine(
            d.name,
            d.arrival_rate,
            d.service_minutes,
            d.windows,
            d.offered_load / d.windows,
            comparison.per_department_erlang[d.name],
        )
        for d in departments
    ]
    return PlanResult(
        lines=lines,
        windows=windows,
        comparison=comparison,
        simulated_per_queue=per_queue,
        reduction_range=found,
        threshold=THRESHOLD,
    )
