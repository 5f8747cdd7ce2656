"""The transparent lottery (Flanigan, Kehne, Procaccia 2021, "Fair sortition made transparent").

A LEXIMIN distribution gives panels irrational-looking probabilities that nobody can check at a
public event. It is rounded here to ``M`` panels that are equally likely (a panel may appear more
than once): then the draw is "pick one of M numbered panels", which anyone can re-run from the
published list and the public seed.

Rounding: every panel gets ``floor(M p_P)`` copies; the remaining copies go to panels chosen by an
integer programme that minimises the largest deviation of any type's expected count from the
distribution's (the paper's objective), with largest remainders as the fallback. Panels of counts
become panels of people by walking each type's members in a fixed order (by SHA-256 of their id), so
each person appears in the floor or ceiling of their share of the type's seats: the rounding moves no
one's probability by more than the type's deviation plus ``1/M``.

The draw: panel number ``SHA-256(seed) mod M``. Publishing the panels' digest before the seed is read
out means neither can be chosen after the other.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from .leximin import Distribution
from .model import Instance, SelectionError
from .pricing import Panel, quiet_highs

__all__ = ["Lottery", "draw_index", "panels_digest", "round_to_lottery", "verify"]


@dataclass
class Lottery:
    panels: list[list[str]]
    target: dict[str, float]
    achieved: dict[str, float]

    @property
    def m(self) -> int:
        return len(self.panels)

    @property
    def digest(self) -> str:
        return panels_digest(self.panels)

    @property
    def max_deviation(self) -> float:
        return max((abs(self.achieved[i] - self.target[i]) for i in self.target), default=0.0)

    def draw(self, seed: str) -> tuple[int, list[str]]:
        index = draw_index(seed, self.m)
        return index, sorted(self.panels[index])


def panels_digest(panels: Sequence[Sequence[str]]) -> str:
    """SHA-256 of the panels, one line each, members sorted and separated by spaces."""
    text = "\n".join(" ".join(sorted(p)) for p in panels) + "\n"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def draw_index(seed: str, m: int) -> int:
    """The winning panel: SHA-256 of the seed (UTF-8, surrounding spaces removed) as a number, modulo M."""
    seed = seed.strip()
    if not seed:
        raise SelectionError("empty_seed", "the seed is empty")
    return int(hashlib.sha256(seed.encode("utf-8")).hexdigest(), 16) % m


def _copies(dist: Distribution, m: int) -> list[int]:
    scaled = [p * m for p in dist.probs]
    base = [math.floor(s + 1e-9) for s in scaled]
    rest = m - sum(base)
    if rest <= 0:
        return base
    frac = [max(s - b, 0.0) for s, b in zip(scaled, base, strict=True)]
    candidates = [j for j, f in enumerate(frac) if f > 1e-9]
    chosen = _round_ilp(dist, m, base, candidates, rest)
    if chosen is None:
        chosen = sorted(candidates, key=lambda j: -frac[j])[:rest]
    for j in chosen:
        base[j] += 1
    return base


def _round_ilp(
    dist: Distribution, m: int, base: list[int], cands: list[int], rest: int, time_limit: float = 2.0
) -> list[int] | None:
    """Pick ``rest`` panels for one more copy each, minimising the largest deviation in any type."""
    if len(cands) < rest or len(cands) > 5000:
        return None
    sizes = np.array(dist.pool.sizes, dtype=float)
    counts = np.array([dist.panels[j] for j in cands], dtype=float) / sizes
    have = np.zeros(len(sizes))
    for j, c in enumerate(base):
        have += c * np.array(dist.panels[j]) / sizes
    target = m * np.array(dist.type_probs)
    h = quiet_highs()
    h.setOptionValue("time_limit", time_limit)
    h.setOptionValue("mip_abs_gap", 1.0)  # the deviation is in copies per person: within 1/M of the best is enough
    nc = len(cands)
    h.addVars(nc + 1, np.zeros(nc + 1), np.array([1.0] * nc + [highspy.kHighsInf]))
    h.changeColsIntegrality(nc, np.arange(nc, dtype=np.int32), np.full(nc, highspy.HighsVarType.kInteger))
    h.changeColCost(nc, 1.0)
    h.addRow(rest, rest, nc, np.arange(nc, dtype=np.int32), np.ones(nc))
    for t in range(len(sizes)):
        col = counts[:, t]
        idx = np.flatnonzero(col)
        if not len(idx):
            continue
        ix = np.array([*list(idx), nc], dtype=np.int32)
        gap = target[t] - have[t]
        h.addRow(-highspy.kHighsInf, gap, len(ix), ix, np.array([*list(col[idx]), -1.0]))
        h.addRow(gap, highspy.kHighsInf, len(ix), ix, np.array([*list(col[idx]), 1.0]))
    h.run()
    if h.getModelStatus() not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit):
        return None
    x = np.asarray(h.getSolution().col_value)[:nc]
    chosen = [cands[j] for j in range(nc) if x[j] > 0.5]
    return chosen if len(chosen) == rest else None


def _order(ids: list[str]) -> list[str]:
    return sorted(ids, key=lambda pid: hashlib.sha256(pid.encode("utf-8")).hexdigest())


def round_to_lottery(inst: Instance, dist: Distribution, m: int = 1000) -> Lottery:
    """Round ``dist`` to ``m`` equally likely panels of people."""
    if m < 1:
        raise SelectionError("lottery_size", f"M must be positive, got {m}", m=m)
    copies = _copies(dist, m)
    people = inst.people
    walkers = [_order([people[i].id for i in ms]) for ms in dist.pool.members]
    cursor = [0] * len(walkers)
    panels: list[list[str]] = []
    expanded: list[Panel] = [p for p, c in zip(dist.panels, copies, strict=True) for _ in range(c)]
    for panel in expanded:
        chosen: list[str] = []
        for t, count in enumerate(panel):
            ring = walkers[t]
            for _ in range(count):
                chosen.append(ring[cursor[t] % len(ring)])
                cursor[t] += 1
        panels.append(sorted(chosen))
    target = {p.id: pr for p, pr in zip(people, dist.agent_probs, strict=True)}
    return Lottery(panels, target, achieved(panels, [p.id for p in people]))


def achieved(panels: Sequence[Sequence[str]], ids: Sequence[str]) -> dict[str, float]:
    seen = dict.fromkeys(ids, 0)
    for panel in panels:
        for pid in panel:
            seen[pid] += 1
    return {pid: c / len(panels) for pid, c in seen.items()}


def verify(panels: Sequence[Sequence[str]], digest: str, seed: str) -> tuple[bool, int, list[str]]:
    """Re-run a published draw: does the list match its digest, and which panel does the seed pick?"""
    index = draw_index(seed, len(panels))
    return panels_digest(panels) == digest, index, sorted(panels[index])
