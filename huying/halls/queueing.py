"""Staffing planner for a service hall: pooled comprehensive windows vs per-department windows.

Two models of the same M/M/c FCFS queue:

* :func:`erlang_c` — the closed form, computed through the Erlang B recursion (stable for any server count);
* :func:`simulate` — a discrete-event simulation (a heap of server-free times), mean wait with a batch-means
  confidence interval.

:func:`compare` sets a hall's departments (each with its own windows) against the same number of pooled
comprehensive windows (综合窗口) serving the mixed arrival stream. A pooled queue whose customers have different
mean service times is *not* M/M/c: Erlang C is applied with the arrival-weighted mean service time (an
approximation), and the simulation draws each customer's service time from that customer's own department, so it
measures the approximation's error. An Allen–Cunneen correction, Wq x (1 + cs²) / 2 with cs² the squared
coefficient of variation of the mixed service time, is reported beside it.

Pure Python + numpy; no Django.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = [
    "SEED_LIKE_HALL",
    "Comparison",
    "Department",
    "ErlangC",
    "ReductionPoint",
    "SimResult",
    "balanced",
    "compare",
    "erlang_c",
    "min_servers_for",
    "reduction_range",
    "reduction_sweep",
    "scale_to_utilisation",
    "simulate",
    "simulate_mixed",
    "utilisation",
]

# Two-sided 95 % Student t quantiles for the batch-means interval (degrees of freedom -> quantile).
_T95 = {4: 2.776, 9: 2.262, 14: 2.145, 19: 2.093, 24: 2.064, 29: 2.045, 39: 2.023, 49: 2.010}


def _t95(dof: int) -> float:
    if dof in _T95:
        return _T95[dof]
    return 1.96 if dof > 49 else _T95[min(k for k in _T95 if k >= dof)]


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


def _check_rates(arrival_rate: float, service_rate: float) -> None:
    for name, value in (("arrival_rate", arrival_rate), ("service_rate", service_rate)):
        if not (isinstance(value, int | float) and math.isfinite(value)) or value <= 0:
            raise ValueError(f"{name} must be a finite positive number, got {value!r}")


def _check_servers(servers: int) -> None:
    if isinstance(servers, bool) or not isinstance(servers, int | np.integer) or servers < 1:
        raise ValueError(f"servers must be a positive integer, got {servers!r}")


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
    _check_rates(arrival_rate, service_rate)
    _check_servers(servers)
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
    _check_rates(arrival_rate, service_rate)
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


# --------------------------------------------------------------------------- simulation


@dataclass(frozen=True)
class SimResult:
    """Simulated FCFS multi-server queue after the warm-up customers are dropped."""

    customers: int  # customers measured (after warm-up)
    mean_wait: float
    ci_half_width: float  # 95 % batch-means half-width of mean_wait
    share_waited: float  # share of customers with a wait > 0
    mean_service: float

    @property
    def ci(self) -> tuple[float, float]:
        return (self.mean_wait - self.ci_half_width, self.mean_wait + self.ci_half_width)


def _fcfs_waits(interarrivals: np.ndarray, services: np.ndarray, servers: int) -> np.ndarray:
    """Waits in an FCFS c-server queue: each arrival takes the earliest-free server (heap of free times)."""
    waits = np.empty(len(interarrivals))
    if servers == 1:  # Lindley recursion, same result, no heap
        w = 0.0
        prev_s = 0.0
        out = waits
        for i, (ia, s) in enumerate(zip(interarrivals.tolist(), services.tolist(), strict=True)):
            w = w + prev_s - ia if i else 0.0
            if w < 0.0:
                w = 0.0
            out[i] = w
            prev_s = s
        return waits
    free = [0.0] * servers
    replace = heapq.heapreplace
    t = 0.0
    result = [0.0] * len(interarrivals)
    for i, (ia, s) in enumerate(zip(interarrivals.tolist(), services.tolist(), strict=True)):
        t += ia
        first = free[0]
        if first > t:
            result[i] = first - t
            replace(free, first + s)
        else:
            replace(free, t + s)
    waits[:] = result
    return waits


def _summarise(waits: np.ndarray, services: np.ndarray, warmup: int, batches: int) -> SimResult:
    w = waits[warmup:]
    n = len(w) - len(w) % batches
    if n < batches * 2:
        raise ValueError("too few customers after warm-up for the batch means")
    means = w[:n].reshape(batches, -1).mean(axis=1)
    half = _t95(batches - 1) * float(means.std(ddof=1)) / math.sqrt(batches)
    return SimResult(
        customers=len(w),
        mean_wait=float(w.mean()),
        ci_half_width=half,
        share_waited=float((w > 0).mean()),
        mean_service=float(services[warmup:].mean()),
    )


def _sim_args(customers: int, warmup: int | None, batches: int) -> int:
    if customers < 1:
        raise ValueError(f"customers must be positive, got {customers!r}")
    if batches < 2:
        raise ValueError(f"batches must be >= 2, got {batches!r}")
    warm = customers // 10 if warmup is None else warmup
    if warm < 0 or warm >= customers:
        raise ValueError(f"warmup must be in [0, customers), got {warm!r}")
    return warm


def simulate(
    arrival_rate: float,
    service_rate: float,
    servers: int,
    *,
    customers: int = 200_000,
    seed: int = 0,
    warmup: int | None = None,
    batches: int = 20,
) -> SimResult:
    """M/M/c FCFS discrete-event simulation, deterministic for a seed. Warm-up defaults to 10 % of customers."""
    _check_rates(arrival_rate, service_rate)
    _check_servers(servers)
    warm = _sim_args(customers, warmup, batches)
    if arrival_rate >= servers * service_rate:
        raise ValueError(f"unstable queue: rho = {arrival_rate / (servers * service_rate):.4f} >= 1")
    rng = np.random.default_rng(seed)
    interarrivals = rng.exponential(1.0 / arrival_rate, customers)
    services = rng.exponential(1.0 / service_rate, customers)
    return _summarise(_fcfs_waits(interarrivals, services, int(servers)), services, warm, batches)


def simulate_mixed(
    arrival_rates: Sequence[float],
    mean_services: Sequence[float],
    servers: int,
    *,
    customers: int = 200_000,
    seed: int = 0,
    warmup: int | None = None,
    batches: int = 20,
) -> SimResult:
    """One FCFS queue fed by several Poisson streams, each customer with its own stream's exponential service."""
    if len(arrival_rates) != len(mean_services) or not arrival_rates:
        raise ValueError("arrival_rates and mean_services must be non-empty and of equal length")
    for rate, mean in zip(arrival_rates, mean_services, strict=True):
        _check_rates(rate, 1.0 / mean if mean > 0 else -1.0)
    _check_servers(servers)
    warm = _sim_args(customers, warmup, batches)
    lam = np.asarray(arrival_rates, dtype=float)
    means = np.asarray(mean_services, dtype=float)
    total = float(lam.sum())
    if float((lam * means).sum()) >= servers:
        raise ValueError(f"unstable queue: rho = {float((lam * means).sum()) / servers:.4f} >= 1")
    rng = np.random.default_rng(seed)
    interarrivals = rng.exponential(1.0 / total, customers)
    kinds = rng.choice(len(lam), size=customers, p=lam / total)
    services = rng.exponential(1.0, customers) * means[kinds]
    return _summarise(_fcfs_waits(interarrivals, services, int(servers)), services, warm, batches)


# --------------------------------------------------------------------------- hall comparison


@dataclass(frozen=True)
class Department:
    """A department's window: arrivals per hour, mean service minutes, dedicated windows."""

    name: str
    arrival_rate: float  # customers per hour
    service_minutes: float  # mean service time
    windows: int

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
    return [Department(d.name, d.arrival_rate * factor, d.service_minutes, d.windows) for d in departments]


@dataclass(frozen=True)
class Comparison:
    """Arrival-weighted mean waits (minutes), separate department windows vs pooled comprehensive windows."""

    separate_windows: int
    pooled_windows: int
    utilisation: float  # offered load / pooled windows
    separate_wait_erlang: float
    pooled_wait_erlang: float  # Erlang C with the arrival-weighted mean service time
    pooled_wait_corrected: float  # the same x (1 + cs²) / 2 (Allen–Cunneen)
    service_scv: float  # cs² of the pooled (mixed) service time
    per_department_erlang: dict[str, float]
    separate_sim: SimResult | None = None
    pooled_sim: SimResult | None = None

    @property
    def reduction_erlang(self) -> float:
        """1 - pooled / separate mean wait, both by Erlang C."""
        return _reduction(self.separate_wait_erlang, self.pooled_wait_erlang)

    @property
    def reduction_corrected(self) -> float:
        return _reduction(self.separate_wait_erlang, self.pooled_wait_corrected)

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


def compare(
    departments: Sequence[Department],
    pooled_windows: int | None = None,
    service_time_model: Literal["per_department", "pooled_mean"] = "per_department",
    *,
    simulate_customers: int = 0,
    seed: int = 0,
) -> Comparison:
    """Separate: each department its own M/M/c. Pooled: one queue with ``pooled_windows`` (default: the same total).

    Erlang C for the pooled queue uses the arrival-weighted mean service time. With ``simulate_customers > 0`` both
    set-ups are also simulated (that many customers per queue): the pooled queue with each customer's own
    department's service time (``"per_department"``, which checks the approximation) or with one exponential of the
    weighted mean (``"pooled_mean"``, exactly the model Erlang C assumes).
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
    waits: list[float] = []
    for d in departments:
        try:
            waits.append(erlang_c(d.arrival_rate / 60.0, 1.0 / d.service_minutes, d.windows).mean_wait)
        except ValueError as exc:
            raise ValueError(f"department {d.name!r}: {exc}") from exc
    separate = sum(w * wq for wq, w in zip(waits, weights, strict=True))
    mean_service = sum(w * d.service_minutes for d, w in zip(departments, weights, strict=True))
    second_moment = sum(w * 2.0 * d.service_minutes**2 for d, w in zip(departments, weights, strict=True))
    scv = second_moment / mean_service**2 - 1.0
    pooled_ec = erlang_c(total / 60.0, 1.0 / mean_service, pooled)
    separate_sim = pooled_sim = None
    if simulate_customers:
        separate_sim = _combine(
            [
                simulate(
                    d.arrival_rate / 60.0,
                    1.0 / d.service_minutes,
                    d.windows,
                    customers=simulate_customers,
                    seed=seed + i,
                )
                for i, d in enumerate(departments)
            ],
            weights,
        )
        if service_time_model == "per_department":
            pooled_sim = simulate_mixed(
                [d.arrival_rate / 60.0 for d in departments],
                [d.service_minutes for d in departments],
                pooled,
                customers=simulate_customers,
                seed=seed + 10_007,
            )
        else:
            pooled_sim = simulate(
                total / 60.0, 1.0 / mean_service, pooled, customers=simulate_customers, seed=seed + 10_007
            )
    return Comparison(
        separate_windows=separate_windows,
        pooled_windows=pooled,
        utilisation=pooled_ec.utilisation,
        separate_wait_erlang=separate,
        pooled_wait_erlang=pooled_ec.mean_wait,
        pooled_wait_corrected=pooled_ec.mean_wait * (1.0 + scv) / 2.0,
        service_scv=scv,
        per_department_erlang=dict(zip((d.name for d in departments), waits, strict=True)),
        separate_sim=separate_sim,
        pooled_sim=pooled_sim,
    )


# --------------------------------------------------------------------------- when does pooling cut waits by > 90 %?


@dataclass(frozen=True)
class ReductionPoint:
    utilisation: float
    separate_wait: float
    pooled_wait: float  # Allen–Cunneen corrected when ``corrected`` (the conservative figure)
    reduction: float


def _max_utilisation(departments: Sequence[Department]) -> float:
    """Highest hall utilisation (same mix) at which every department's own windows are still stable."""
    hall = utilisation(departments)
    return min(hall * d.windows / d.offered_load for d in departments)


def _point(departments: Sequence[Department], rho: float, corrected: bool) -> ReductionPoint:
    c = compare(scale_to_utilisation(departments, rho))
    pooled = c.pooled_wait_corrected if corrected else c.pooled_wait_erlang
    return ReductionPoint(rho, c.separate_wait_erlang, pooled, _reduction(c.separate_wait_erlang, pooled))


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
    return [
        Department(d.name, rho * d.windows * 60.0 / d.service_minutes, d.service_minutes, d.windows)
        for d in departments
    ]
