"""The legacy greedy method, kept for comparison (the Sortition Foundation's original algorithm).

Seats are filled one at a time: the value whose unmet minimum is largest relative to the people still
available with it is served first, by a uniformly random person having it; people whose values have
reached their maxima leave the pool. A dead end starts the draw again. Probabilities are estimated
from repeated draws; the paper reports how low they fall for over-represented people.
"""

from __future__ import annotations

import random
from collections import Counter

from .model import Instance, SelectionError, validate

__all__ = ["legacy_draw", "legacy_probabilities"]


def _attempt(inst: Instance, rng: random.Random) -> list[int] | None:
    bounds = {(q.category, q.value): (q.min, q.max) for q in inst.quotas}
    chosen: list[int] = []
    counts: Counter[tuple[str, str]] = Counter()
    houses: set[str] = set()
    left = set(range(len(inst.people)))
    while len(chosen) < inst.k:
        if not left:
            return None
        avail: Counter[tuple[str, str]] = Counter()
        for i in left:
            for key in inst.people[i].features.items():
                avail[key] += 1
        best, ratio = None, -1.0
        for key, (lo, _hi) in sorted(bounds.items()):
            need = lo - counts[key]
            if need > 0:
                if avail[key] == 0:
                    return None
                r = need / avail[key]
                if r > ratio:
                    best, ratio = key, r
        pool = sorted(i for i in left if best is None or inst.people[i].features.get(best[0]) == best[1])
        i = rng.choice(pool)
        person = inst.people[i]
        chosen.append(i)
        left.discard(i)
        for key in person.features.items():
            counts[key] += 1
        if inst.one_per_household and person.household:
            houses.add(person.household)
        left = {
            j
            for j in left
            if all(counts[kv] < bounds[kv][1] for kv in inst.people[j].features.items() if kv in bounds)
            and not (inst.one_per_household and inst.people[j].household in houses)
        }
    return chosen


def legacy_draw(inst: Instance, rng: random.Random, attempts: int = 100) -> list[int]:
    validate(inst)
    for _ in range(attempts):
        found = _attempt(inst, rng)
        if found is not None:
            return found
    raise SelectionError("legacy_failed", f"no panel after {attempts} greedy attempts", attempts=attempts)


def legacy_probabilities(inst: Instance, draws: int = 1000, seed: int = 0) -> list[float]:
    rng = random.Random(seed)
    hits = [0] * len(inst.people)
    for _ in range(draws):
        for i in legacy_draw(inst, rng):
            hits[i] += 1
    return [h / draws for h in hits]
