"""Service-hall staffing: pooled comprehensive windows (综合窗口) vs per-department windows.

``make bench-queue`` (or ``.venv/bin/python bench/hall_queue.py``). Prints figures, asserts nothing.

1. The seed-like hall (:data:`huying.halls.queueing.SEED_LIKE_HALL`: six departments, 10 windows, service 8–20
   min, uneven loads as in seed 000's "窗口忙闲不均") scaled to several hall utilisations, and the same hall with
   every department equally busy (the case least favourable to pooling). For each load: arrival-weighted mean wait
   of the separate windows and of the same 10 windows pooled, by Erlang C and by simulation, and the reduction.
2. The load range where pooling cuts the mean wait by > 90 % (Erlang C; pooled wait also with the Allen–Cunneen
   correction), for the uneven hall, the balanced hall and twelve balanced departments.

Last line: ``RESULT max_model_gap=… wait_reduction=…``. max_model_gap = the largest |simulation / Erlang C - 1|
over every row's separate and pooled waits (pooled Erlang C uses the arrival-weighted mean service time, so this
includes that approximation's error and the simulation's sampling noise). wait_reduction = 1 - pooled / separate
simulated mean wait at the seed-like load (the hall's own before-reform rates, utilisation 0.82; see below).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder is sys.path[0] and "queue" would shadow the standard library module.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from huying.halls.queueing import (  # noqa: E402
    SEED_LIKE_HALL,
    Comparison,
    Department,
    balanced,
    compare,
    reduction_range,
    scale_to_utilisation,
    utilisation,
)

# The seed-like load is SEED_LIKE_HALL as defined, before the reform: its busy departments' own windows run at
# 90–94 % (Erlang C waits of 50–110 min there), the quiet ones at 60–67 %, the hall at 82 %. That is a hall with
# queues at some windows and idle clerks at others, the situation the seed's reform (one-window acceptance) ended.
SEED_LIKE_LOAD = utilisation(SEED_LIKE_HALL)


def customers_for(rho: float) -> int:
    """Customers simulated per queue: more near saturation, where waits are long and strongly correlated."""
    return 4_000_000 if rho >= 0.9 else 2_000_000 if rho >= 0.8 else 1_000_000


def gap(sim: float, model: float) -> float:
    return abs(sim / model - 1.0)


def table(
    title: str, hall: list[Department], loads: list[float], seed: int
) -> tuple[list[float], list[float], dict[float, Comparison]]:
    print(f"\n{title}")
    print(
        f"{'load':>6} {'sep EC':>8} {'sep sim':>16} {'pool EC':>8} {'pool AC':>8} {'pool sim':>15} "
        f"{'red EC':>7} {'red sim':>7} {'gap sep':>7} {'gap pool':>8}"
    )
    gaps: list[float] = []
    ac_gaps: list[float] = []
    rows: dict[float, Comparison] = {}
    for i, rho in enumerate(loads):
        c = compare(scale_to_utilisation(hall, rho), simulate_customers=customers_for(rho), seed=seed + 100 * i)
        assert c.separate_sim is not None and c.pooled_sim is not None and c.reduction_sim is not None
        g_sep = gap(c.separate_sim.mean_wait, c.separate_wait_erlang)
        g_pool = gap(c.pooled_sim.mean_wait, c.pooled_wait_erlang)
        gaps += [g_sep, g_pool]
        ac_gaps.append(gap(c.pooled_sim.mean_wait, c.pooled_wait_corrected))
        rows[rho] = c
        print(
            f"{rho:6.3f} {c.separate_wait_erlang:8.2f} {c.separate_sim.mean_wait:8.2f}±{c.separate_sim.ci_half_width:<7.2f}"
            f"{c.pooled_wait_erlang:8.2f} {c.pooled_wait_corrected:8.2f} "
            f"{c.pooled_sim.mean_wait:7.2f}±{c.pooled_sim.ci_half_width:<7.2f}"
            f"{c.reduction_erlang:7.1%} {c.reduction_sim:7.1%} {g_sep:7.1%} {g_pool:8.1%}",
            flush=True,
        )
    return gaps, ac_gaps, rows


def show_range(label: str, hall: list[Department]) -> None:
    plain = reduction_range(hall, corrected=False)
    corrected = reduction_range(hall)
    limit = min(utilisation(hall) * d.windows / d.offered_load for d in hall)

    def fmt(r: tuple[float, float] | None) -> str:
        if r is None:
            return "never"
        return f"up to {r[1]:.3f}" if r[0] <= 0.011 else f"{r[0]:.3f}–{r[1]:.3f}"

    print(
        f"  {label:<44} reduction > 90% for hall utilisation {fmt(plain)} (Erlang C), {fmt(corrected)} "
        f"(Allen–Cunneen); separate windows unstable from {limit:.3f}"
    )


def main() -> None:
    started = time.perf_counter()
    hall = list(SEED_LIKE_HALL)
    print("Mean waits in minutes, arrival-weighted over customers; 10 windows in every case.")
    print("Departments (arrivals/h, service min, windows, own utilisation at the seed-like load):")
    for d in hall:
        print(
            f"  {d.name:<24} {d.arrival_rate:5.1f} {d.service_minutes:5.1f} {d.windows:2d} {d.offered_load / d.windows:6.3f}"
        )
    print(
        "EC = Erlang C (pooled: arrival-weighted mean service time); AC = EC x (1 + cs²)/2; sim = simulation ± 95% CI; "
        "pooled sim draws each customer's own department's service time."
    )
    uneven_loads = [0.5, 0.6, 0.7, 0.8, SEED_LIKE_LOAD, 0.85]
    gaps_u, ac_u, rows_u = table("Seed-like hall (uneven department loads)", hall, uneven_loads, seed=1)
    gaps_b, ac_b, _ = table(
        "Same hall, every department equally busy", balanced(hall), [0.5, 0.7, 0.8, 0.9, 0.95], seed=2
    )

    print("\nWhen does pooling cut the mean wait by more than 90%?")
    show_range("seed-like hall (6 departments, uneven)", hall)
    show_range("balanced hall (6 departments)", balanced(hall))
    show_range("balanced, 12 departments (two such halls)", balanced(hall) * 2)

    seed_row = rows_u[SEED_LIKE_LOAD]
    reduction = seed_row.reduction_sim
    assert reduction is not None
    print(
        f"\nSeed-like load {SEED_LIKE_LOAD:.3f}: separate {seed_row.separate_wait_erlang:.1f} min -> pooled "
        f"{seed_row.pooled_wait_erlang:.1f} min (Erlang C), reduction {seed_row.reduction_erlang:.1%} (Erlang C), "
        f"{reduction:.1%} (simulation); pooled service cs² = {seed_row.service_scv:.2f}"
    )
    print(
        f"Largest gap simulation vs model: separate (exact M/M/c) {max((gaps_u + gaps_b)[0::2]):.1%}, "
        f"pooled plain Erlang C {max((gaps_u + gaps_b)[1::2]):.1%}, pooled Allen–Cunneen {max(ac_u + ac_b):.1%}"
    )
    print(f"elapsed {time.perf_counter() - started:.0f} s")
    print(f"RESULT max_model_gap={max(gaps_u + gaps_b):.4f} wait_reduction={reduction:.4f}")


if __name__ == "__main__":
    main()
