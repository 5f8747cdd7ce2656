"""Fair panels: LEXIMIN on every public instance with a pool, against the published references.

``SORTITION_DATA=/path/to/sortition/data .venv/bin/python bench/panels.py [--runs 3]``

Instances (the folder defaults to ``../shared/sortition/data`` from the repository root):

* ``example_small_20`` and ``example_large_200`` from the replication files of Flanigan et al. 2021
  (reference LEXIMIN minimum 10.0% for both, from ``reference_output/<inst>_statistics.txt``);
* the Sortition Foundation library's test pool (n=150, k=22 as in its benchmarks; reference 9.09%);
* a generated open-day pool (n=300, k=30, four categories, skewed towards older, male, Party-member
  and public-sector volunteers; ``huying.selection.synthetic``), with no published reference.

For each: n, k, the number of interchangeable types, LEXIMIN's minimum probability beside the
reference, the geometric mean, the median wall time of ``--runs`` runs (types, column generation,
all levels), the rounding to a 1,000-panel lottery (its largest deviation from the exact
probabilities) and, for the generated pool, the legacy greedy method's minimum over 2,000 draws.
Prints figures, asserts nothing; the last line is
``RESULT min_prob_ratio=<worst ours/reference> small_s=<x> large_s=<x>``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from huying.selection.csvio import read_categories, read_people
from huying.selection.legacy import legacy_probabilities
from huying.selection.leximin import leximin
from huying.selection.lottery import round_to_lottery
from huying.selection.model import Instance
from huying.selection.synthetic import open_day_pool

ROOT = Path(__file__).resolve().parents[1]


def reference(data: Path, name: str) -> tuple[float | None, float | None]:
    path = data / "flanigan2021_replication/reference_output" / f"{name}_statistics.txt"
    text = path.read_text()
    lo = re.search(r"LEXIMIN minimum probability \(exact\):\s*([\d.]+)%", text)
    gm = re.search(r"geometric mean of LEXIMIN:\s*([\d.]+)%", text)
    return (float(lo.group(1)) / 100 if lo else None, float(gm.group(1)) / 100 if gm else None)


def instances(data: Path) -> list[tuple[str, Instance, float | None, float | None]]:
    out = []
    for name, k in (("example_small_20", 20), ("example_large_200", 200)):
        folder = data / "flanigan2021_replication/instances" / name
        quotas = read_categories((folder / "categories.csv").read_text())
        people = read_people((folder / "respondents.csv").read_text(), quotas)
        out.append((name, Instance(quotas, people, k), *reference(data, name)))
    folder = data / "sortition_algorithms_fixture"
    quotas = read_categories((folder / "features.csv").read_text())
    people = read_people((folder / "candidates.csv").read_text(), quotas)
    out.append(("sortition_algorithms_fixture_22", Instance(quotas, people, 22), 1 / 11, None))
    out.append(("open_day_300_30", open_day_pool(300, 30), None, None))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = Path(os.environ.get("SORTITION_DATA", ROOT / ".." / "shared/sortition/data"))
    if not data.exists():
        sys.exit(f"no reference data at {data}: pass SORTITION_DATA=/path/to/sortition/data")
    print(
        f"{'instance':34} {'n':>5} {'k':>4} {'types':>5} {'min':>8} {'ref':>8} {'geo':>8} {'ref':>8} "
        f"{'levels':>6} {'pricing':>7} {'time s':>7} {'lottery dev':>11}"
    )
    ratios, times = [], {}
    for name, inst, ref_min, ref_geo in instances(data):
        runs = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            dist = leximin(inst)
            runs.append(time.perf_counter() - t0)
        seconds = statistics.median(runs)
        times[name] = seconds
        lottery = round_to_lottery(inst, dist, 1000)
        if ref_min:
            ratios.append(dist.min_prob / ref_min)
        fmt = lambda v: f"{100 * v:7.3f}%" if v is not None else f"{'—':>8}"  # noqa: E731
        print(
            f"{name:34} {len(inst.people):5d} {inst.k:4d} {len(dist.pool.members):5d} {fmt(dist.min_prob)} "
            f"{fmt(ref_min)} {fmt(dist.geometric_mean)} {fmt(ref_geo)} {len(dist.levels):6d} "
            f"{dist.pricing_calls:7d} {seconds:7.3f} {100 * lottery.max_deviation:10.3f}%"
            + ("" if dist.exact else "  (pricing hit its time limit)")
        )
        if name.startswith("open_day"):
            legacy = legacy_probabilities(inst, draws=2000, seed=1)
            print(f"{'  legacy greedy, 2,000 draws':34} {'':>5} {'':>4} {'':>5} {fmt(min(legacy))}")
    print(
        f"RESULT min_prob_ratio={min(ratios):.4f} small_s={times['example_small_20']:.3f} "
        f"large_s={times['example_large_200']:.3f}"
    )


if __name__ == "__main__":
    main()
