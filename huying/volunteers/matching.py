"""Ranking volunteers for a need (and needs for a volunteer): plain Python, no Django.

A volunteer is eligible for a need when they have at least one wanted skill, are free in the need's
time slot and live within ``MAX_KM``. Their score is ``SKILL_WEIGHT × share of wanted skills they
have + DISTANCE_WEIGHT × (1 − km / MAX_KM)``. ``brute_force`` scores every volunteer;
``SuggestionIndex`` keeps per-cell lists by skill and free slot on a grid of ``CELL_KM`` squares and visits cells
ring by ring from the need, stopping when no volunteer further out can beat the k-th best score
found, so both return the same list (the benchmark and the tests compare them).
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_KM = 15.0
CELL_KM = 1.0
SKILL_WEIGHT = 0.7
DISTANCE_WEIGHT = 0.3
KM_PER_DEG_LAT = 111.32
# Availability: 7 days × 3 parts of the day (morning, afternoon, evening) as 21 bits.
SLOTS_PER_DAY = 3
ALL_SLOTS = (1 << (7 * SLOTS_PER_DAY)) - 1


def slot_bit(weekday: int, hour: int) -> int:
    """The availability bit of a moment: ``weekday`` 0 = Monday; before 12, 12–18, after 18."""
    part = 0 if hour < 12 else 1 if hour < 18 else 2
    return 1 << (weekday * SLOTS_PER_DAY + part)


@dataclass(frozen=True)
class Candidate:
    key: int
    skills: frozenset[str]
    lon: float
    lat: float
    slots: int = ALL_SLOTS


@dataclass(frozen=True)
class Wanted:
    skills: frozenset[str]
    lon: float
    lat: float
    slot: int = 0  # 0: any time


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Equirectangular distance: within a district the error is far below a metre per kilometre."""
    x = (lon2 - lon1) * KM_PER_DEG_LAT * math.cos(math.radians((lat1 + lat2) / 2))
    y = (lat2 - lat1) * KM_PER_DEG_LAT
    return math.hypot(x, y)


def score(need: Wanted, volunteer: Candidate) -> float | None:
    """The volunteer's score for the need, or None when not eligible."""
    if need.slot and not volunteer.slots & need.slot:
        return None
    shared = len(need.skills & volunteer.skills)
    if not shared:
        return None
    km = distance_km(need.lon, need.lat, volunteer.lon, volunteer.lat)
    if km > MAX_KM:
        return None
    return SKILL_WEIGHT * shared / len(need.skills) + DISTANCE_WEIGHT * (1 - km / MAX_KM)


def _top(scored: Iterable[tuple[float, int]], k: int) -> list[tuple[int, float]]:
    # Highest score first; equal scores by key, so both methods break ties alike.
    best = heapq.nsmallest(k, ((-s, key) for s, key in scored))
    return [(key, -neg) for neg, key in best]


def brute_force(need: Wanted, volunteers: Sequence[Candidate], k: int = 10) -> list[tuple[int, float]]:
    scored = ((score(need, v), v.key) for v in volunteers)
    return _top(((s, key) for s, key in scored if s is not None), k)


class SuggestionIndex:
    """Volunteers by grid cell, skill and free slot; ``suggest`` gives the same top k as ``brute_force``."""

    def __init__(self, volunteers: Iterable[Candidate], *, max_lat: float = 54.0) -> None:
        # Cells are CELL_KM wide at ``max_lat`` (China lies south of 54° N), so wider further south and
        # "r − 1 cells away" stays a lower bound of the distance everywhere the index is used.
        self.km_per_deg_lon = KM_PER_DEG_LAT * math.cos(math.radians(max_lat))
        # cell → (skill, slot bit) → the volunteers there with that skill, free in that slot.
        self.cells: dict[tuple[int, int], dict[tuple[str, int], list[Candidate]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.size = 0
        self.frequency: dict[str, int] = defaultdict(int)
        for volunteer in volunteers:
            for skill in volunteer.skills:
                self.frequency[skill] += 1
            lists = self.cells[self.cell_of(volunteer.lon, volunteer.lat)]
            slots = [1 << i for i in range(7 * SLOTS_PER_DAY) if volunteer.slots >> i & 1]
            for skill in volunteer.skills:
                for slot in slots:
                    lists[(skill, slot)].append(volunteer)
            self.size += 1

    def cell_of(self, lon: float, lat: float) -> tuple[int, int]:
        return (math.floor(lon * self.km_per_deg_lon / CELL_KM), math.floor(lat * KM_PER_DEG_LAT / CELL_KM))

    def _ring(self, centre: tuple[int, int], r: int) -> Iterable[tuple[int, int]]:
        cx, cy = centre
        if r == 0:
            yield centre
            return
        for dx in range(-r, r + 1):
            yield (cx + dx, cy - r)
            yield (cx + dx, cy + r)
        for dy in range(-r + 1, r):
            yield (cx - r, cy + dy)
            yield (cx + r, cy + dy)

    def _least_shared(self, need: Wanted, kth: float | None, ring_km: float) -> int | None:
        """The fewest wanted skills a volunteer at least ``ring_km`` away needs to enter the top k
        (None: nobody that far can); every volunteer when the top k is not full yet."""
        if kth is None:
            return 1
        reach = DISTANCE_WEIGHT * (1 - ring_km / MAX_KM)
        wanted = len(need.skills)
        return next((t for t in range(1, wanted + 1) if SKILL_WEIGHT * t / wanted + reach >= kth), None)

    def suggest(self, need: Wanted, k: int = 10) -> list[tuple[int, float]]:
        slots = [need.slot] if need.slot else [1 << i for i in range(7 * SLOTS_PER_DAY)]
        # Rarest skills first: a volunteer with t of the n wanted skills is in any n − t + 1 of their lists.
        ordered = sorted(need.skills, key=lambda skill: (self.frequency.get(skill, 0), skill))
        centre = self.cell_of(need.lon, need.lat)
        seen: set[int] = set()
        best: list[tuple[float, int]] = []  # a min-heap of (score, -key) of the k best so far
        for r in range(math.ceil(MAX_KM / CELL_KM) + 2):
            # Anything in ring r or beyond is at least (r - 1) cells away.
            least = self._least_shared(need, best[0][0] if len(best) == k else None, max(0, r - 1) * CELL_KM)
            if least is None:
                break
            keys = [(skill, slot) for skill in ordered[: len(ordered) - least + 1] for slot in slots]
            for cell in self._ring(centre, r):
                lists = self.cells.get(cell)
                if not lists:
                    continue
                for key in keys:
                    for volunteer in lists.get(key, ()):
                        if volunteer.key in seen:
                            continue
                        seen.add(volunteer.key)
                        s = score(need, volunteer)
                        if s is None:
                            continue
                        item = (s, -volunteer.key)
                        if len(best) < k:
                            heapq.heappush(best, item)
                        elif item > best[0]:
                            heapq.heapreplace(best, item)
        return [(-neg_key, s) for s, neg_key in sorted(best, reverse=True)]
