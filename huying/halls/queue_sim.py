"""Discrete-event simulation of an FCFS multi-server queue, the check on :mod:`huying.halls.queueing`'s formulas.

Poisson arrivals; service times exponential (M/M/c), lognormal with a given mean and squared coefficient of
variation (M/G/c), or drawn from measured samples (an empirical distribution). Each arrival takes the
earliest-free server (a heap of server-free times; the Lindley recursion for one server). The mean wait comes with
a 95 % batch-means confidence interval. Deterministic for a seed.

Pure Python + numpy; no Django.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "SimResult",
    "check_rates",
    "check_servers",
    "draw_services",
    "simulate",
    "simulate_empirical",
    "simulate_mixed",
]

# Two-sided 95 % Student t quantiles for the batch-means interval (degrees of freedom -> quantile).
_T95 = {4: 2.776, 9: 2.262, 14: 2.145, 19: 2.093, 24: 2.064, 29: 2.045, 39: 2.023, 49: 2.010}


def _t95(dof: int) -> float:
    if dof in _T95:
        return _T95[dof]
    return 1.96 if dof > 49 else _T95[min(k for k in _T95 if k >= dof)]


def check_rates(arrival_rate: float, service_rate: float) -> None:
    for name, value in (("arrival_rate", arrival_rate), ("service_rate", service_rate)):
        if not (isinstance(value, int | float) and math.isfinite(value)) or value <= 0:
            raise ValueError(f"{name} must be a finite positive number, got {value!r}")


def check_servers(servers: int) -> None:
    if isinstance(servers, bool) or not isinstance(servers, int | np.integer) or servers < 1:
        raise ValueError(f"servers must be a positive integer, got {servers!r}")


def _check_scv(scv: float) -> None:
    if not (isinstance(scv, int | float) and math.isfinite(scv)) or scv < 0:
        raise ValueError(f"service_scv must be a finite number >= 0, got {scv!r}")


def draw_services(rng: np.random.Generator, means: np.ndarray, scv: float | np.ndarray) -> np.ndarray:
    """One service time per entry of ``means``: exponential where the squared coefficient of variation is 1,
    lognormal with that mean and cs² elsewhere (cs² = 0: exactly the mean)."""
    scvs = np.broadcast_to(np.asarray(scv, dtype=float), means.shape)
    sigma2 = np.log1p(scvs)
    lognormal = means * np.exp(np.sqrt(sigma2) * rng.standard_normal(len(means)) - sigma2 / 2.0)
    if not np.any(scvs == 1.0):
        return lognormal
    exponential = rng.exponential(1.0, len(means)) * means
    return np.where(scvs == 1.0, exponential, lognormal)


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
    service_scv: float = 1.0,
    customers: int = 200_000,
    seed: int = 0,
    warmup: int | None = None,
    batches: int = 20,
) -> SimResult:
    """M/G/c FCFS simulation: exponential service (M/M/c) when ``service_scv`` is 1, lognormal with that cs²
    otherwise. Deterministic for a seed. Warm-up defaults to 10 % of customers."""
    check_rates(arrival_rate, service_rate)
    check_servers(servers)
    _check_scv(service_scv)
    warm = _sim_args(customers, warmup, batches)
    if arrival_rate >= servers * service_rate:
        raise ValueError(f"unstable queue: rho = {arrival_rate / (servers * service_rate):.4f} >= 1")
    rng = np.random.default_rng(seed)
    interarrivals = rng.exponential(1.0 / arrival_rate, customers)
    if service_scv == 1.0:
        services = rng.exponential(1.0 / service_rate, customers)
    else:
        services = draw_services(rng, np.full(customers, 1.0 / service_rate), service_scv)
    return _summarise(_fcfs_waits(interarrivals, services, int(servers)), services, warm, batches)


def simulate_mixed(
    arrival_rates: Sequence[float],
    mean_services: Sequence[float],
    servers: int,
    *,
    service_scvs: Sequence[float] | None = None,
    customers: int = 200_000,
    seed: int = 0,
    warmup: int | None = None,
    batches: int = 20,
) -> SimResult:
    """One FCFS queue fed by several Poisson streams, each customer served for a time drawn from its own stream's
    distribution: exponential, or lognormal where that stream's ``service_scvs`` entry is not 1."""
    if len(arrival_rates) != len(mean_services) or not arrival_rates:
        raise ValueError("arrival_rates and mean_services must be non-empty and of equal length")
    scvs = [1.0] * len(arrival_rates) if service_scvs is None else list(service_scvs)
    if len(scvs) != len(arrival_rates):
        raise ValueError("service_scvs must have one entry per stream")
    for rate, mean, scv in zip(arrival_rates, mean_services, scvs, strict=True):
        check_rates(rate, 1.0 / mean if mean > 0 else -1.0)
        _check_scv(scv)
    check_servers(servers)
    warm = _sim_args(customers, warmup, batches)
    lam = np.asarray(arrival_rates, dtype=float)
    means = np.asarray(mean_services, dtype=float)
    total = float(lam.sum())
    if float((lam * means).sum()) >= servers:
        raise ValueError(f"unstable queue: rho = {float((lam * means).sum()) / servers:.4f} >= 1")
    rng = np.random.default_rng(seed)
    interarrivals = rng.exponential(1.0 / total, customers)
    kinds = rng.choice(len(lam), size=customers, p=lam / total)
    if all(s == 1.0 for s in scvs):
        services = rng.exponential(1.0, customers) * means[kinds]
    else:
        services = draw_services(rng, means[kinds], np.asarray(scvs, dtype=float)[kinds])
    return _summarise(_fcfs_waits(interarrivals, services, int(servers)), services, warm, batches)


def simulate_empirical(
    arrival_rate: float,
    samples: Sequence[float],
    servers: int,
    *,
    customers: int = 200_000,
    seed: int = 0,
    warmup: int | None = None,
    batches: int = 20,
) -> SimResult:
    """Poisson arrivals, service times drawn with replacement from measured ``samples`` (e.g. a hall's finished
    tickets)."""
    values = np.asarray(samples, dtype=float)
    if values.size == 0 or not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError("samples must be a non-empty sequence of finite positive service times")
    mean = float(values.mean())
    check_rates(arrival_rate, 1.0 / mean)
    check_servers(servers)
    warm = _sim_args(customers, warmup, batches)
    if arrival_rate * mean >= servers:
        raise ValueError(f"unstable queue: rho = {arrival_rate * mean / servers:.4f} >= 1")
    rng = np.random.default_rng(seed)
    interarrivals = rng.exponential(1.0 / arrival_rate, customers)
    services = values[rng.integers(0, len(values), customers)]
    return _summarise(_fcfs_waits(interarrivals, services, int(servers)), services, warm, batches)
