"""Replacements when panel members decline.

The seats left open are filled from the people never selected, against what remains of each quota
once the members still sitting are counted (``min - sitting``, ``max - sitting``), by the same method
(LEXIMIN, rounded to a lottery, drawn from a seed) so that the replacement draw has the same record as
the first. Nobody who shares a household with a sitting member may be drawn when the panel is one per
household.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from .leximin import Distribution, leximin
from .lottery import Lottery, round_to_lottery
from .model import Instance, Quota, SelectionError

__all__ = ["Replacement", "check_candidate", "remaining_instance", "replacements"]


@dataclass
class Replacement:
    instance: Instance
    distribution: Distribution
    lottery: Lottery
    index: int
    chosen: list[str]


def _houses(inst: Instance, ids: Collection[str]) -> set[str]:
    return {p.household for p in inst.people if p.id in ids and p.household}


def check_candidate(inst: Instance, sitting: Collection[str], candidate: str) -> None:
    """Refuse a replacement who is already on the panel or shares a household with a member."""
    person = next((p for p in inst.people if p.id == candidate), None)
    if person is None:
        raise SelectionError("unknown_person", f"{candidate} is not in the pool", id=candidate)
    if candidate in sitting:
        raise SelectionError("already_selected", f"{candidate} is already on the panel", id=candidate)
    if inst.one_per_household and person.household and person.household in _houses(inst, sitting):
        raise SelectionError("same_household", f"{candidate} shares a household with a panel member", id=candidate)


def remaining_instance(inst: Instance, sitting: Collection[str], excluded: Collection[str], seats: int) -> Instance:
    """The pool and quotas for ``seats`` replacements."""
    if seats <= 0:
        raise SelectionError("no_seats", "no seat to fill", seats=seats)
    counts: Counter[tuple[str, str]] = Counter()
    for p in inst.people:
        if p.id in sitting:
            counts.update(p.features.items())
    quotas = [
        Quota(
            q.category,
            q.value,
            max(0, q.min - counts[(q.category, q.value)]),
            max(0, q.max - counts[(q.category, q.value)]),
        )
        for q in inst.quotas
    ]
    houses = _houses(inst, sitting) if inst.one_per_household else set()
    out = set(sitting) | set(excluded)
    ids = [p.id for p in inst.people if p.id not in out and not (p.household and p.household in houses)]
    return inst.restricted(ids, quotas, seats)


def replacements(
    inst: Instance, sitting: Collection[str], excluded: Collection[str], seats: int, seed: str, m: int = 1000
) -> Replacement:
    sub = remaining_instance(inst, sitting, excluded, seats)
    dist = leximin(sub)
    lottery = round_to_lottery(sub, dist, m)
    index, chosen = lottery.draw(seed)
    return Replacement(sub, dist, lottery, index, chosen)
