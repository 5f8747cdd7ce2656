"""Staffing planner for a service hall: pooled comprehensive windows vs per-department windows.

Models of an FCFS c-server queue with Poisson arrivals:

* :func:`erlang_c` — M/M/c in closed form, computed through the Erlang B recursion (stable for any server count);
* :func:`allen_cunneen` — the Allen–Cunneen approximation for M/G/c (and G/G/c): Erlang C's mean wait
  x (Ca² + Cs²) / 2, with Ca² = 1 for Poisson arrivals and Cs² the squared coefficient of variation of the service
  times. Cs² = 1 gives Erlang C back; Cs² = 0 (every service the same length) halves it, close to M/D/c;
* :mod:`huying.halls.queue_sim` — a discrete-event simulation with exponential, lognormal or measured service
  times, the check on both.

:func:`compare` sets a hall's departments (each with its own windows) against the same number of pooled
comprehensive windows (综合窗口) serving the mixed arrival stream. Each department's service times have their own
mean and Cs² (measured from a hall's finished tickets, see :func:`within_group_scv`); the pooled queue's service
time is their mixture, whose Cs² is larger than any department's when the means differ. The planner's figures are
Allen–Cunneen's; plain Erlang C (arrival-weighted mean service time, exponential) is reported beside them.

Pure Python + numpy; no Django.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from .queue_sim import SimResult, check_rates, check_servers, simulate, simulate_empirical, simulate_mixed

__all__ = [
    "SEED_LIKE_HALL",
    "Comparison",
    "Department",
    "ErlangC",
    "ReductionPoint",
    "SimResult",
    "allen_cunneen",
    "balanced",
    "compare",
    "erlang_c",
    "min_servers_for",
    "mixed_service_scv",
    "reduction_range",
    "reduction_sweep",
    "scale_to_utilisation",
    "service_scv",
    "simulate",
    "simulate_empirical",
    "simulate_mixed",
    "utilisation",
    "with_service_scv",
    "within_group_scv",
]

# --------------------------------------------------------------------------- Erlang C


@dataclass(frozen=True)
class ErlangC:
    """M/M/c steady state. Times are in the unit of ``1 / rate`` (rates per minute -> minutes)."""

    arrival_rate: float
    service_rate: float
    servers: int
    offered_load: float  # a = lambda / mu, in erlangs
    utilisation: float  # rho = a / c
    prob_wait: float  # P(W > 0), the Erlang C formula
    mean_wait: float  # Wq
    mean_in_system: float  # W = Wq + 1 / mu
    mean_queue_length: float  # Lq = lambda * Wq


def _erlang_b(offered_load: float, servers: int) -> float:
    """Blocking probability B(c, a) by the recursion B(k) = a B(k-1) / (k + a B(k-1)), B(0) = 1."""
    b = 1.0
    for k in range(1, servers + 1):
        b = offered_load * b / (k + offered_load * b)
    return b


def _erlang_c_prob(offered_load: float, servers: int, erlang_b: float) -> float:
    return servers * erlang_b / (servers - offered_load * (1.0 - erlang_b))


def erlang_c(arrival_rate: float, service_rate: float, servers: int) -> ErlangC:
    """Steady-state M/M/c figures; ``ValueError`` when an input is invalid or the queue is unstable (rho >= 1)."""
    check_rates(arrival_rate, service_rate)
    check_servers(servers)
    servers = int(servers)
    a = arrival_rate / service_rate
    rho = a / servers
    if rho >= 1.0:
        raise ValueError(
            f"unstable queue: utilisation rho = lambda / (c mu) = {rho:.4f} >= 1 "
            f"(offered load {a:.3f} erlangs on {servers} servers); add servers or lower the arrival rate"
        )
    pw = _erlang_c_prob(a, servers, _erlang_b(a, servers))
    wq = pw / (servers * service_rate - arrival_rate)
    return ErlangC(
        arrival_rate=arrival_rate,
        service_rate=service_rate,
        servers=servers,
        offered_load=a,
        utilisation=rho,
        prob_wait=pw,
        mean_wait=wq,
        mean_in_system=wq + 1.0 / service_rate,
        mean_queue_length=arrival_rate * wq,
    )


def min_servers_for(arrival_rate: float, service_rate: float, target_wait: float, *, max_servers: int = 100_000) -> int:
    """Fewest servers whose Erlang C mean wait Wq is <= ``target_wait`` (same time unit as ``1 / rate``)."""
    check_rates(arrival_rate, service_rate)
    if not math.isfinite(target_wait) or target_wait < 0:
        raise ValueError(f"target_wait must be a finite number >= 0, got {target_wait!r}")
    a = arrival_rate / service_rate
    b = 1.0
    for c in range(1, max_servers + 1):
        b = a * b / (c + a * b)  # Erlang B carried along, O(c) in all
        if c <= a:
            continue
        wq = _erlang_c_prob(a, c, b) / (c * service_rate - arrival_rate)
        if wq <= target_wait:
            return c
    raise ValueError(f"no server count up to {max_servers} reaches a mean wait of {target_wait}")


# --------------------------------------------------------------------------- Allen–Cunneen (M/G/c)


def allen_cunneen(
    arrival_rate: float, service_rate: float, servers: int, service_scv: float, *, arrival_scv: float = 1.0
) -> ErlangC:
    """Erlang C with the mean wait scaled by (Ca² + Cs²) / 2 (the Allen–Cunneen approximation).

    ``service_scv`` is Cs², the variance of the service time over its squared mean; ``arrival_scv`` is Ca², 1 for
    Poisson arrivals. The probability of waiting is Erlang C's, unchanged.
    """
    for name, value in (("service_scv", service_scv), ("arrival_scv", arrival_scv)):
        if not (isinstance(value, int | float) and math.isfinite(value)) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    base = erlang_c(arrival_rate, service_rate, servers)
    wq = base.mean_wait * (arrival_scv + service_scv) / 2.0
    return replace(base, mean_wait=wq, mean_in_system=wq + 1.0 / service_rate, mean_queue_length=arrival_rate * wq)


def service_scv(samples: Sequence[float]) -> float:
    """Squared coefficient of variation (population variance / mean²) of service times."""
    n = len(samples)
    if n < 2:
        raise ValueError("at least two service times are needed")
    mean = math.fsum(samples) / n
    if mean <= 0:
        raise ValueError("service times must have a positive mean")
    return math.fsum((x - mean) ** 2 for x in samples) / n / mean**2


def within_group_scv(groups: Iterable[Sequence[float]]) -> tuple[float, int]:
    """Cs² of service times around their own group's mean (a group: one department's or one kind of matter's
    tickets), pooled over the groups, and the number of times used. Groups of fewer than two are skipped.

    This is the variability a department's service time has in itself; the planner adds the spread between the
    departments' means from the rows it is given, so the two are not counted twice.
    """
    total = 0.0
    count = 0
    for group in groups:
        if len(group) < 2:
            continue
        mean = math.fsum(group) / len(group)
        if mean <= 0:
            continue
        total += math.fsum((x / mean - 1.0) ** 2 for x in group)
        count += len(group)
    if count == 0:
        raise ValueError("no group holds two or more service times")
    return total / count, count


# --------------------------------------------------------------------------- hall comparison


@dataclass(frozen=True)
class Department:
    """A department's window: arrivals per hour, mean service minutes, dedicated windows, and the squared
    coefficient of variation of its service times (1: exponential, the M/M/c case)."""

    name: str
    arrival_rate: float  # customers per hour
    service_minutes: float  # mean service time
    windows: int
    service_scv: float = 1.0  # Cs² of this department's service times

    @property
    def offered_load(self) -> float:
        """Erlangs: arrivals per minute x mean service minutes."""
        return self.arrival_rate / 60.0 * self.service_minutes


def utilisation(departments: Sequence[Department], windows: int | None = None) -> float:
    """Hall utilisation: total offered load over the windows (by default the departments' own total)."""
    total = sum(d.windows for d in departments) if windows is None else windows
    return sum(d.offered_load for d in departments) / total


def scale_to_utilisation(departments: Sequence[Department], rho: float) -> list[Department]:
    """The same mix with every arrival rate multiplied so that :func:`utilisation` equals ``rho``."""
    factor = rho / utilisation(departments)
    return [replace(d, arrival_rate=d.arrival_rate * factor) for d in departments]


def with_service_scv(departments: Sequence[Department], scv: float) -> list[Department]:
    """The same departments, each with service times of squared coefficient of variation ``scv``."""
    return [replace(d, service_scv=scv) for d in departments]


@dataclass(frozen=True)
class Comparison:
    """Arrival-weighted mean waits (minutes), separate department windows vs pooled comprehensive windows.

    ``*_erlang``: plain Erlang C (exponential service; pooled with the arrival-weighted mean service time).
    ``*_corrected``: Allen–Cunneen with each department's Cs² and, pooled, the Cs² of their mixture.
    """

    separate_windows: int
    pooled_windows: int
    utilisation: float  # offered load / pooled windows
    separate_wait_erlang: float
    pooled_wait_erlang: float
    separate_wait_corrected: float
    pooled_wait_corrected: float
    service_scv: float  # Cs² of the pooled (mixed) service time
    per_department_erlang: dict[str, float]
    per_department_corrected: dict[str, float]
    separate_sim: SimResult | None = None
    pooled_sim: SimResult | None = None

    @property
    def reduction_erlang(self) -> float:
        """1 - pooled / separate mean wait, both by Erlang C."""
        return _reduction(self.separate_wait_erlang, self.pooled_wait_erlang)

    @property
    def reduction_corrected(self) -> float:
        """1 - pooled / separate mean wait, both by Allen–Cunneen."""
        return _reduction(self.separate_wait_corrected, self.pooled_wait_corrected)

    @property
    def reduction_sim(self) -> float | None:
        if self.separate_sim is None or self.pooled_sim is None:
            return None
        return _reduction(self.separate_sim.mean_wait, self.pooled_sim.mean_wait)


def _reduction(separate: float, pooled: float) -> float:
    return 1.0 - pooled / separate if separate > 0 else 0.0


def _combine(results: Sequence[SimResult], weights: Sequence[float]) -> SimResult:
    """Weighted mean of independent simulations (weights sum to 1)."""
    return SimResult(
        customers=sum(r.customers for r in results),
        mean_wait=sum(w * r.mean_wait for r, w in zip(results, weights, strict=True)),
        ci_half_width=math.sqrt(sum((w * r.ci_half_width) ** 2 for r, w in zip(results, weights, strict=True))),
        share_waited=sum(w * r.share_waited for r, w in zip(results, weights, strict=True)),
        mean_service=sum(w * r.mean_service for r, w in zip(results, weights, strict=True)),
    )


def mixed_service_scv(departments: Sequence[Department]) -> float:
    """Cs² of the pooled queue's service time: the arrival-weighted mixture of the departments' distributions,
    E[S²] = sum of w_i (1 + Cs_i²) s_i², over the squared mean."""
    total = sum(d.arrival_rate for d in departments)
    mean = sum(d.arrival_rate / total * d.service_minutes for d in departments)
    second = sum(d.arrival_rate / total * (1.0 + d.service_scv) * d.service_minutes**2 for d in departments)
    return second / mean**2 - 1.0


def _separate_waits(departments: Sequence[Department]) -> list[ErlangC]:
    out = []
    for d in departments:
        try:
            out.append(erlang_c(d.arrival_rate / 60.0, 1.0 / d.service_minutes, d.windows))
        except ValueError as exc:
            raise ValueError(f"department {d.name!r}: {exc}") from exc
    return out


def _simulate_both(
    departments: Sequence[Department], pooled: int, model: str, customers: int, seed: int
) -> tuple[SimResult, SimResult]:
    total = sum(d.arrival_rate for d in departments)
    separate = _combine(
        [
            simulate(
                d.arrival_rate / 60.0,
                1.0 / d.service_minutes,
                d.windows,
                service_scv=d.service_scv,
                customers=customers,
                seed=seed + i,
            )
            for i, d in enumerate(departments)
        ],
        [d.arrival_rate / total for d in departments],
    )
    if model == "per_department":
        pooled_sim = simulate_mixed(
            [d.arrival_rate / 60.0 for d in departments],
            [d.service_minutes for d in departments],
            pooled,
            service_scvs=[d.service_scv for d in departments],
            customers=customers,
            seed=seed + 10_007,
        )
    else:
        mean = sum(d.arrival_rate * d.service_minutes for d in departments) / total
        pooled_sim = simulate(total / 60.0, 1.0 / mean, pooled, customers=customers, seed=seed + 10_007)
    return separate, pooled_sim


def compare(
    departments: Sequence[Department],
    pooled_windows: int | None = None,
    service_time_model: Literal["per_department", "pooled_mean"] = "per_department",
    *,
    simulate_customers: int = 0,
    seed: int = 0,
) -> Comparison:
    """Separate: each department its own queue. Pooled: one queue with ``pooled_windows`` (default: the same total).

    Each queue by plain Erlang C and by Allen–Cunneen (see :class:`Comparison`). With ``simulate_customers > 0``
    both set-ups are also simulated (that many customers per queue): the pooled queue with each customer's own
    department's service time distribution (``"per_department"``, which checks the models) or with one exponential
    of the weighted mean (``"pooled_mean"``, exactly the model plain Erlang C assumes).
    """
    if not departments:
        raise ValueError("at least one department is needed")
    if service_time_model not in ("per_department", "pooled_mean"):
        raise ValueError(f"unknown service_time_model {service_time_model!r}")
    separate_windows = sum(d.windows for d in departments)
    pooled = separate_windows if pooled_windows is None else pooled_windows
    total = sum(d.arrival_rate for d in departments)
    if total <= 0:
        raise ValueError("total arrival rate must be positive")
    weights = [d.arrival_rate / total for d in departments]
    plain = [r.mean_wait for r in _separate_waits(departments)]
    corrected = [wq * (1.0 + d.service_scv) / 2.0 for wq, d in zip(plain, departments, strict=True)]
    mean_service = sum(w * d.service_minutes for d, w in zip(departments, weights, strict=True))
    scv = mixed_service_scv(departments)
    pooled_ec = erlang_c(total / 60.0, 1.0 / mean_service, pooled)
    sims = (
        _simulate_both(departments, pooled, service_time_model, simulate_customers, seed)
        if simulate_customers
        else (None, None)
    )
    names = [d.name for d in departments]
    return Comparison(
        separate_windows=separate_windows,
        pooled_windows=pooled,
        utilisation=pooled_ec.utilisation,
        separate_wait_erlang=sum(w * wq for wq, w in zip(plain, weights, strict=True)),
        pooled_wait_erlang=pooled_ec.mean_wait,
        separate_wait_corrected=sum(w * wq for wq, w in zip(corrected, weights, strict=True)),
        pooled_wait_corrected=pooled_ec.mean_wait * (1.0 + scv) / 2.0,
        service_scv=scv,
        per_department_erlang=dict(zip(names, plain, strict=True)),
        per_department_corrected=dict(zip(names, corrected, strict=True)),
        separate_sim=sims[0],
        pooled_sim=sims[1],
    )


# --------------------------------------------------------------------------- when does pooling cut waits by > 90 %?


@dataclass(frozen=True)
class ReductionPoint:
    utilisation: float
    separate_wait: float  # Allen–Cunneen when ``corrected``, else plain Erlang C
    pooled_wait: float
    reduction: float


def _max_utilisation(departments: Sequence[Department]) -> float:
    """Highest hall utilisation (same mix) at which every department's own windows are still stable."""
    hall = utilisation(departments)
    return min(hall * d.windows / d.offered_load for d in departments)


def _point(departments: Sequence[Department], rho: float, corrected: bool) -> ReductionPoint:
    c = compare(scale_to_utilisation(departments, rho))
    if corrected:
        return ReductionPoint(rho, c.separate_wait_corrected, c.pooled_wait_corrected, c.reduction_corrected)
    return ReductionPoint(rho, c.separate_wait_erlang, c.pooled_wait_erlang, c.reduction_erlang)


def reduction_sweep(
    departments: Sequence[Department], utilisations: Sequence[float], *, corrected: bool = True
) -> list[ReductionPoint]:
    """Erlang C reduction (pooled vs separate) at each hall utilisation, arrival rates scaled in proportion."""
    return [_point(departments, rho, corrected) for rho in utilisations]


def reduction_range(
    departments: Sequence[Department],
    threshold: float = 0.9,
    *,
    corrected: bool = True,
    lo: float = 0.01,
    steps: int = 400,
) -> tuple[float, float] | None:
    """Widest utilisation interval ``[a, b]`` (by a grid refined by bisection) where the reduction is >= threshold.

    Scanned from ``lo`` up to just below the load at which a department's own windows become unstable.
    Returns ``None`` when no load on the grid reaches the threshold.
    """
    hi = _max_utilisation(departments) * (1.0 - 1e-6)
    grid = [lo + (hi - lo) * i / steps for i in range(steps + 1)]
    ok = [_point(departments, r, corrected).reduction >= threshold for r in grid]
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, flag in enumerate(ok):
        if flag and start is None:
            start = i
        if not flag and start is not None:
            runs.append((start, i - 1))
            start = None
    if start is not None:
        runs.append((start, len(grid) - 1))
    if not runs:
        return None
    first, last = max(runs, key=lambda r: r[1] - r[0])

    def edge(inside: float, outside: float) -> float:
        for _ in range(40):
            mid = (inside + outside) / 2.0
            if _point(departments, mid, corrected).reduction >= threshold:
                inside = mid
            else:
                outside = mid
        return inside

    a = grid[first] if first == 0 else edge(grid[first], grid[first - 1])
    b = grid[last] if last == len(grid) - 1 else edge(grid[last], grid[last + 1])
    return (a, b)


# A seed-like hall before the reform (seed 000: 滨州, "窗口忙闲不均" — some windows overloaded while others idle):
# six departments, 10 windows, service 8–20 minutes. The busy departments' own windows run at 90–94 % (queues of
# an hour or more), the quiet ones at 60–67 %; the hall as a whole is at 82 %.
SEED_LIKE_HALL: tuple[Department, ...] = (
    Department("market_registration", 5.5, 20.0, 2),  # 市场主体登记, rho 0.92
    Department("real_estate", 7.5, 15.0, 2),  # 不动产登记, rho 0.94
    Department("social_insurance", 9.0, 12.0, 2),  # 社保, rho 0.90
    Department("household_registration", 5.0, 10.0, 1),  # 户政, rho 0.83
    Department("housing_fund", 5.0, 8.0, 1),  # 公积金, rho 0.67
    Department("tax", 6.0, 12.0, 2),  # 税务, rho 0.60
)


def balanced(departments: Sequence[Department]) -> list[Department]:
    """The same windows and service times with arrivals set so every department is as busy as the hall."""
    rho = utilisation(departments)
    return [replace(d, arrival_rate=rho * d.windows * 60.0 / d.service_minutes) for d in departments]
