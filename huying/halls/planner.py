"""The staffing planner behind /hall/planner/: validated input, windows allotted to departments when the
planner leaves that to us, and :mod:`huying.halls.queueing` run within a time budget (a request stays well
under two seconds: the simulation is capped at SIM_BUDGET customers in all).

Service times in a hall are not exponential, so the planner's waits are Allen–Cunneen's (Erlang C x (1 + Cs²) / 2
for Poisson arrivals). Cs² within a department is measured from the halls' finished tickets of the last
SCV_DAYS days (each ticket's service time against its own department's mean); the pooled queue's Cs² adds the
spread between the departments' mean times typed into the planner. With fewer than MIN_SCV_TICKETS finished
tickets the planner assumes exponential times (Cs² = 1, plain Erlang C) and says so."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.errors import ValidationFailed

from .models import Hall, Ticket
from .queueing import Comparison, Department, compare, erlang_c, reduction_range, within_group_scv
from .states import Status

MAX_DEPARTMENTS = 12
MAX_WINDOWS = 120
MAX_ARRIVALS_PER_HOUR = 600.0
MIN_SERVICE_MINUTES = 0.5
MAX_SERVICE_MINUTES = 240.0
# Customers simulated across all queues (separate departments + the pooled queue): about 0.7 µs each.
SIM_BUDGET = 1_000_000
SIM_MAX_PER_QUEUE = 200_000
THRESHOLD = 0.9
SCV_DAYS = 30
MIN_SCV_TICKETS = 30
MAX_SCV_TICKETS = 20_000


@dataclass(frozen=True)
class ServiceVariability:
    """Cs² of service times within a department, and how many finished tickets it was measured on (0: assumed)."""

    scv: float
    tickets: int

    @property
    def measured(self) -> bool:
        return self.tickets > 0


ASSUMED_EXPONENTIAL = ServiceVariability(1.0, 0)


def measured_service_variability(hall: Hall | None = None, *, now: dt.datetime | None = None) -> ServiceVariability:
    """Within-department Cs² of the service times (开始办理 → 结束) of the finished tickets of the last SCV_DAYS
    days, in ``hall`` or in every active hall; tickets are grouped by hall and department (一件事 and 咨询 each a
    group). At most MAX_SCV_TICKETS tickets, the newest, per hall; each hall's query runs on its queue index."""
    now = now or timezone.now()
    halls = [hall.pk] if hall is not None else list(Hall.objects.filter(is_active=True).values_list("pk", flat=True))
    groups: dict[tuple[int, str, int | None], list[float]] = defaultdict(list)
    for hall_id in halls:
        rows = (
            Ticket.objects.filter(
                hall_id=hall_id,
                status=Status.DONE,
                taken_at__gte=now - dt.timedelta(days=SCV_DAYS),
                taken_at__lte=now,
                started_at__isnull=False,
                finished_at__isnull=False,
            )
            .order_by("-taken_at")
            .values_list("unit_id", "bundle_id", "started_at", "finished_at")[:MAX_SCV_TICKETS]
        )
        for unit_id, bundle_id, start, end in rows:
            seconds = (end - start).total_seconds() if start and end else 0.0
            if seconds > 0:
                key = (hall_id, "bundle", None) if bundle_id else (hall_id, "unit", unit_id)
                groups[key].append(seconds)
    try:
        scv, used = within_group_scv(groups.values())
    except ValueError:
        return ASSUMED_EXPONENTIAL
    return ServiceVariability(scv, used) if used >= MIN_SCV_TICKETS else ASSUMED_EXPONENTIAL


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
    wait_erlang: float  # minutes, plain Erlang C
    wait: float  # minutes, Allen–Cunneen with the measured Cs²


@dataclass(frozen=True)
class PlanResult:
    lines: list[DepartmentLine]
    windows: int
    comparison: Comparison
    simulated_per_queue: int
    reduction_range: tuple[float, float] | None  # hall utilisations where pooling cuts waiting by >= 90 %
    threshold: float
    variability: ServiceVariability = ASSUMED_EXPONENTIAL

    @property
    def separate_gap(self) -> float | None:
        """Simulation against the planner's model (Allen–Cunneen), separate windows."""
        sim = self.comparison.separate_sim
        return _gap(sim.mean_wait if sim else None, self.comparison.separate_wait_corrected)

    @property
    def pooled_gap(self) -> float | None:
        sim = self.comparison.pooled_sim
        return _gap(sim.mean_wait if sim else None, self.comparison.pooled_wait_corrected)

    @property
    def pooled_gap_erlang(self) -> float | None:
        """Simulation against plain Erlang C, pooled windows: what the correction is worth."""
        sim = self.comparison.pooled_sim
        return _gap(sim.mean_wait if sim else None, self.comparison.pooled_wait_erlang)

    @property
    def current_in_range(self) -> bool:
        r = self.reduction_range
        return r is not None and r[0] <= self.comparison.utilisation <= r[1]


def _gap(sim: float | None, model: float) -> float | None:
    """|simulation / model - 1|; None when either is zero or missing (no queue to speak of)."""
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
    department where it cuts the arrival-weighted mean wait most (by Erlang C: one Cs² for every department
    scales each wait by the same factor, so Allen–Cunneen allots the same way)."""
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


def plan(
    rows: Sequence[PlanRow], windows: int, *, seed: int = 0, variability: ServiceVariability | None = None
) -> PlanResult:
    """Compare the rows' departments on windows of their own with ``windows`` comprehensive windows. The
    within-department Cs² is ``variability``, by default measured from the halls' finished tickets."""
    rows = validate(rows, windows)
    variability = measured_service_variability() if variability is None else variability
    given = [r.windows for r in rows if r.windows is not None]
    counts = given if len(given) == len(rows) else allocate(rows, windows)
    departments = [
        Department(r.name, r.arrivals_per_hour, r.service_minutes, int(c), variability.scv)
        for r, c in zip(rows, counts, strict=True)
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
            comparison.per_department_corrected[d.name],
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
        variability=variability,
    )
