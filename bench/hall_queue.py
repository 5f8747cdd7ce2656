"""Service-hall staffing: pooled comprehensive windows (综合窗口) vs per-department windows, and how far the
planner's model is from a simulation of the same hall.

``make bench-queue`` (or ``.venv/bin/python bench/hall_queue.py``). Prints figures, asserts nothing.

Service times in a hall are not exponential. Each department here serves for lognormal times of its own mean and a
squared coefficient of variation Cs² within the department (0.35: the spread of the demo hall's finished tickets,
what the planner measures; and 1.5 for a hall with a long tail); the pooled queue mixes the departments' times.

1. The seed-like hall (:data:`huying.halls.queueing.SEED_LIKE_HALL`: six departments, 10 windows, service 8–20
   min, uneven loads as in the 滨州 account's "窗口忙闲不均") scaled to several hall utilisations; the same hall
   with every department equally busy (the case least favourable to pooling); the seed-like hall with Cs² = 1.5.
   For each load: arrival-weighted mean wait of the separate windows and of the same 10 windows pooled, by
   Allen–Cunneen (the planner's model), by plain Erlang C and by simulation, and the reduction.
2. The load range where pooling cuts the mean wait by > 90 % (Allen–Cunneen and plain Erlang C).

Last line: ``RESULT allen_cunneen_gap=… erlang_c_gap=… wait_reduction=…``. A gap is the largest
|simulation / model - 1| over every row's separate and pooled waits (it includes the simulation's sampling noise,
about 1–3 %). wait_reduction = 1 - pooled / separate simulated mean wait at the seed-like load (utilisation 0.82).
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
    with_service_scv,
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


class Gaps:
    def __init__(self) -> None:
        self.allen_cunneen: list[float] = []
        self.erlang_c: list[float] = []
        self.waits: list[float] = []  # the simulated wait each pair of gaps belongs to

    def where_waits_matter(self, gaps: list[float], minutes: float = 2.0) -> float:
        return max(g for g, w in zip(gaps, self.waits, strict=True) if w >= minutes)


def table(title: str, hall: list[Department], loads: list[float], seed: int, gaps: Gaps) -> dict[float, Comparison]:
    print(f"\n{title}")
    print(
        f"{'load':>6} {'sep AC':>7} {'sep EC':>7} {'sep sim':>14} {'pool AC':>7} {'pool EC':>7} {'pool sim':>14} "
        f"{'red AC':>7} {'red sim':>7} {'gapAC sep':>9} {'pool':>6} {'gapEC sep':>9} {'pool':>6}"
    )
    rows: dict[float, Comparison] = {}
    for i, rho in enumerate(loads):
        c = compare(scale_to_utilisation(hall, rho), simulate_customers=customers_for(rho), seed=seed + 100 * i)
        assert c.separate_sim is not None and c.pooled_sim is not None and c.reduction_sim is not None
        ac = (
            gap(c.separate_sim.mean_wait, c.separate_wait_corrected),
            gap(c.pooled_sim.mean_wait, c.pooled_wait_corrected),
        )
        ec = (gap(c.separate_sim.mean_wait, c.separate_wait_erlang), gap(c.pooled_sim.mean_wait, c.pooled_wait_erlang))
        gaps.allen_cunneen += ac
        gaps.erlang_c += ec
        gaps.waits += [c.separate_sim.mean_wait, c.pooled_sim.mean_wait]
        rows[rho] = c
        print(
            f"{rho:6.3f} {c.separate_wait_corrected:7.2f} {c.separate_wait_erlang:7.2f} "
            f"{c.separate_sim.mean_wait:7.2f}±{c.separate_sim.ci_half_width:<6.2f}"
            f"{c.pooled_wait_corrected:7.2f} {c.pooled_wait_erlang:7.2f} "
            f"{c.pooled_sim.mean_wait:7.2f}±{c.pooled_sim.ci_half_width:<6.2f}"
            f"{c.reduction_corrected:7.1%} {c.reduction_sim:7.1%} {ac[0]:9.1%} {ac[1]:6.1%} {ec[0]:9.1%} {ec[1]:6.1%}",
            flush=True,
        )
    return rows


def show_range(label: str, hall: list[Department]) -> None:
    plain = reduction_range(hall, corrected=False)
    corrected = reduction_range(hall)
    limit = min(utilisation(hall) * d.windows / d.offered_load for d in hall)

    def fmt(r: tuple[float, float] | None) -> str:
        if r is None:
            return "never"
        return f"up to {r[1]:.3f}" if r[0] <= 0.011 else f"{r[0]:.3f}–{r[1]:.3f}"

    print(
        f"  {label:<44} reduction > 90% for hall utilisation {fmt(corrected)} (Allen–Cunneen), {fmt(plain)} "
        f"(Erlang C); separate windows unstable from {limit:.3f}"
    )


WITHIN_SCV = 0.35  # lognormal sigma 0.55, the demo hall's finished tickets
HEAVY_SCV = 1.5


def main() -> None:
    started = time.perf_counter()
    hall = with_service_scv(SEED_LIKE_HALL, WITHIN_SCV)
    print("Mean waits in minutes, arrival-weighted over customers; 10 windows in every case.")
    print("Departments (arrivals/h, service min, windows, own utilisation at the seed-like load):")
    for d in hall:
        print(
            f"  {d.name:<24} {d.arrival_rate:5.1f} {d.service_minutes:5.1f} {d.windows:2d} {d.offered_load / d.windows:6.3f}"
        )
    print(
        "AC = Allen–Cunneen, Erlang C x (1 + Cs²)/2 (pooled: Cs² of the departments' mixture); EC = plain Erlang C "
        "(pooled: arrival-weighted mean service time); sim = simulation ± 95% CI, lognormal service times, the pooled "
        "queue drawing each customer's own department's time."
    )
    gaps = Gaps()
    rows_u = table(
        f"Seed-like hall (uneven department loads), Cs² = {WITHIN_SCV} within each department",
        hall,
        [0.5, 0.7, 0.8, SEED_LIKE_LOAD, 0.85],
        seed=1,
        gaps=gaps,
    )
    table(f"Same hall, every department equally busy, Cs² = {WITHIN_SCV}", balanced(hall), [0.5, 0.7, 0.9], 2, gaps)
    table(
        f"Seed-like hall, Cs² = {HEAVY_SCV} (a long tail)",
        with_service_scv(SEED_LIKE_HALL, HEAVY_SCV),
        [0.7, SEED_LIKE_LOAD],
        3,
        gaps,
    )

    print("\nWhen does pooling cut the mean wait by more than 90%?")
    show_range("seed-like hall (6 departments, uneven)", hall)
    show_range("balanced hall (6 departments)", balanced(hall))
    show_range("balanced, 12 departments (two such halls)", balanced(hall) * 2)

    seed_row = rows_u[SEED_LIKE_LOAD]
    reduction = seed_row.reduction_sim
    assert reduction is not None
    print(
        f"\nSeed-like load {SEED_LIKE_LOAD:.3f}: separate {seed_row.separate_wait_corrected:.1f} min -> pooled "
        f"{seed_row.pooled_wait_corrected:.1f} min (Allen–Cunneen), reduction {seed_row.reduction_corrected:.1%} "
        f"(Allen–Cunneen), {reduction:.1%} (simulation); pooled service Cs² = {seed_row.service_scv:.2f}"
    )
    print(
        f"Largest gap simulation vs model: Allen–Cunneen {max(gaps.allen_cunneen):.1%} "
        f"(separate {max(gaps.allen_cunneen[0::2]):.1%}, pooled {max(gaps.allen_cunneen[1::2]):.1%}); "
        f"plain Erlang C {max(gaps.erlang_c):.1%} "
        f"(separate {max(gaps.erlang_c[0::2]):.1%}, pooled {max(gaps.erlang_c[1::2]):.1%})"
    )
    print(
        f"Where the simulated mean wait is 2 min or more: Allen–Cunneen {gaps.where_waits_matter(gaps.allen_cunneen):.1%}, "
        f"plain Erlang C {gaps.where_waits_matter(gaps.erlang_c):.1%} (Allen–Cunneen's largest gaps are on pooled "
        "queues at light load, waits of a minute or so)"
    )
    print(f"elapsed {time.perf_counter() - started:.0f} s")
    print(
        f"RESULT allen_cunneen_gap={max(gaps.allen_cunneen):.4f} erlang_c_gap={max(gaps.erlang_c):.4f} "
        f"wait_reduction={reduction:.4f}"
    )


if __name__ == "__main__":
    main()
