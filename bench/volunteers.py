"""Suggestions of volunteers for needs at Zhangqiu's size: the index against scoring everyone.

``.venv/bin/python bench/volunteers.py [--volunteers 120000] [--needs 10000] [--sample 200]``.
Prints figures, asserts nothing (it does check that both methods return the same lists).

1. 120,000 volunteers are generated over a 40 km × 55 km area around 章丘 (117.3–117.75 E,
   36.45–36.95 N): 80% around 18 town centres (Gaussian, σ 2 km), 20% spread evenly; one to four
   skills each from the 38 leaves of the skills tree, popular skills more often (Zipf-like weights);
   each free in about half of the 21 weekly slots. 10,000 open needs are generated the same way,
   with one or two wanted skills and one time slot.
2. ``SuggestionIndex`` (``huying/volunteers/matching.py``: per-1-km-cell, per-skill lists, rings
   visited outward until nobody further can beat the 10th best) is built once and asked for the
   top 10 of every need, one call at a time. → per-need p50 / p99.
3. ``brute_force`` scores every volunteer with the same ``score`` for a random sample of needs
   (``--sample``; all 10,000 would take half an hour), and each sampled answer is compared with the
   index's. → ratio = index mean per need / brute-force mean per need on the same needs
   (the ratio of the time to answer every need); the p99 ratio is printed too.

Times are CPU time of this process (``time.process_time``), so other work on the machine changes
both methods alike. The last line is ``RESULT suggest_p99_ms=… ratio_to_bruteforce=…``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from huying.volunteers import matching  # plain Python: no Django to set up

LEAVES = [
    "elder_care", "child_care", "disability", "companion", "first_aid", "nursing", "health_talk", "psychology",
    "electric", "plumbing", "haircut", "sewing", "tutoring", "lecture", "art", "calligraphy", "law", "mediation",
    "proxy", "guide", "digital", "cleanup", "garbage", "greening", "rescue", "epidemic", "traffic", "delivery",
    "driving", "cooking",
]  # fmt: skip
LEAVES += [f"extra_{i}" for i in range(38 - len(LEAVES))]
WEST, EAST, SOUTH, NORTH = 117.30, 117.75, 36.45, 36.95
TOWNS = 18
KM = 1 / 111.32


def _place(rng: random.Random, towns: list[tuple[float, float]]) -> tuple[float, float]:
    if rng.random() < 0.8:
        lon, lat = rng.choice(towns)
        return lon + rng.gauss(0, 2 * KM / 0.8), lat + rng.gauss(0, 2 * KM)
    return rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH)


def generate(volunteers: int, needs: int, seed: int = 17):
    rng = random.Random(seed)
    towns = [(rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH)) for _ in range(TOWNS)]
    weights = [1 / (i + 1) ** 0.8 for i in range(len(LEAVES))]
    people = []
    for key in range(volunteers):
        lon, lat = _place(rng, towns)
        chosen = frozenset(rng.choices(LEAVES, weights, k=rng.randint(1, 4)))
        people.append(matching.Candidate(key, chosen, lon, lat, rng.getrandbits(21)))
    wanted = []
    for _ in range(needs):
        lon, lat = _place(rng, towns)
        chosen = frozenset(rng.choices(LEAVES, weights, k=rng.randint(1, 2)))
        wanted.append(matching.Wanted(chosen, lon, lat, 1 << rng.randrange(21)))
    return people, wanted


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=120_000)
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    people, wanted = generate(args.volunteers, args.needs)
    print(f"volunteers={len(people):,} needs={len(wanted):,} skills={len(LEAVES)} top-k={args.k}")

    started = time.process_time()
    index = matching.SuggestionIndex(people)
    print(f"index build: {time.process_time() - started:.2f} s CPU, {len(index.cells):,} cells")

    index_ms, answers = [], []
    for need in wanted:
        t = time.process_time()
        answers.append(index.suggest(need, args.k))
        index_ms.append((time.process_time() - t) * 1000)
    empty = sum(1 for a in answers if not a)
    print(f"index: all {len(wanted):,} needs in {sum(index_ms) / 1000:.2f} s CPU; per need "
          f"p50 {percentile(index_ms, 0.5):.3f} ms, p99 {percentile(index_ms, 0.99):.3f} ms; "
          f"{empty} needs with nobody eligible")  # fmt: skip

    rng = random.Random(3)
    sample = rng.sample(range(len(wanted)), min(args.sample, len(wanted)))
    brute_ms, same = [], 0
    for i in sample:
        t = time.process_time()
        expected = matching.brute_force(wanted[i], people, args.k)
        brute_ms.append((time.process_time() - t) * 1000)
        same += expected == answers[i]
    sampled_index = [index_ms[i] for i in sample]
    print(f"brute force on {len(sample)} sampled needs: per need p50 {percentile(brute_ms, 0.5):.1f} ms, "
          f"p99 {percentile(brute_ms, 0.99):.1f} ms; identical top-{args.k}: {same}/{len(sample)}")  # fmt: skip
    ratio = statistics.mean(sampled_index) / statistics.mean(brute_ms)
    p99_ratio = percentile(index_ms, 0.99) / percentile(brute_ms, 0.99)
    print(f"ratio (mean per need, same needs): {ratio:.4f}; p99 ratio: {p99_ratio:.4f}; goal <= 0.05")
    print(f"RESULT suggest_p99_ms={percentile(index_ms, 0.99):.3f} ratio_to_bruteforce={ratio:.4f}")


if __name__ == "__main__":
    main()
