"""LEXIMIN and MAXIMIN selection by column generation (Flanigan, Gölz, Gupta, Hennig, Procaccia 2021).

The master problem is a linear programme over panels: choose probabilities ``p_P`` for a set of
panels so that the lowest selection probability ``z`` of the people not yet fixed is as high as
possible, while every fixed person keeps the level found for them earlier. Its dual prices every
person; the pricing problem (:class:`~huying.selection.pricing.PanelProgram`) finds the panel of
highest total price. When no panel is worth more than the convexity dual, the level is optimal; every
person whose dual is positive cannot rise above it (their probabilities are tied to ``z`` by the dual
certificate) and is fixed; the next level starts from the same basis (HiGHS re-optimises after
columns are added and bounds change, a warm start).

People with the same values in every category are interchangeable, and the LEXIMIN probabilities
are unique, so they are equal for interchangeable people: the programmes work over *types* (see
:func:`~huying.selection.model.typed_pool`), which turns the paper's 2,000-person example into four
variables.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

from .model import Instance, SelectionError, TypedPool, typed_pool
from .pricing import Panel, PanelProgram, quiet_highs

__all__ = ["Distribution", "leximin", "maximin"]

TOL = 1e-9


@dataclass
class Distribution:
    """A lottery over panels (counts per type) and the selection probability it gives everyone."""

    pool: TypedPool
    panels: list[Panel]
    probs: list[float]
    type_probs: list[float]
    agent_probs: list[float]
    levels: list[float] = field(default_factory=list)
    method: str = "leximin"
    seconds: float = 0.0
    pricing_calls: int = 0
    exact: bool = True

    @property
    def min_prob(self) -> float:
        return min(self.agent_probs) if self.agent_probs else 0.0

    @property
    def geometric_mean(self) -> float:
        ps = self.agent_probs
        if not ps or min(ps) <= 0:
            return 0.0
        return math.exp(sum(math.log(p) for p in ps) / len(ps))


class _Master:
    """max z  s.t.  sum_P a_tP p_P - z >= 0 (free types),  sum_P a_tP p_P >= f_t (fixed),  sum_P p_P = 1."""

    def __init__(self, pool: TypedPool) -> None:
        self.sizes = np.array(pool.sizes, dtype=float)
        self.n_types = len(self.sizes)
        h = quiet_highs()
        inf = highspy.kHighsInf
        h.addVar(0.0, 1.0)
        h.changeColCost(0, 1.0)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        for _t in range(self.n_types):
            h.addRow(0.0, inf, 1, np.array([0], dtype=np.int32), np.array([-1.0]))
        h.addRow(1.0, 1.0, 0, np.array([], dtype=np.int32), np.array([]))
        self.h = h
        self.panels: list[Panel] = []
        self.seen: set[Panel] = set()
        self.free = np.ones(self.n_types, dtype=bool)

    def add(self, panel: Panel) -> bool:
        if panel in self.seen:
            return False
        self.seen.add(panel)
        self.panels.append(panel)
        idx = [t for t, c in enumerate(panel) if c]
        vals = [panel[t] / self.sizes[t] for t in idx]
        self.h.addCol(
            0.0,
            0.0,
            highspy.kHighsInf,
            len(idx) + 1,
            np.array([*idx, self.n_types], dtype=np.int32),
            np.array([*vals, 1.0]),
        )
        return True

    def solve(self) -> tuple[float, np.ndarray, float]:
        """The level z, the type prices (>= 0) and the convexity dual."""
        h = self.h
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise SelectionError("solver_failed", f"master ended {h.modelStatusToString(h.getModelStatus())}")
        sol = h.getSolution()
        duals = np.asarray(sol.row_dual)
        prices = np.maximum(-duals[: self.n_types], 0.0)
        return float(sol.col_value[0]), prices, float(duals[self.n_types])

    def fix(self, types: Sequence[int], level: float) -> None:
        for t in types:
            self.h.changeCoeff(int(t), 0, 0.0)
            self.h.changeRowBounds(int(t), max(level - TOL, 0.0), highspy.kHighsInf)
            self.free[t] = False

    def distribution(self) -> tuple[list[Panel], list[float], np.ndarray]:
        x = np.maximum(np.asarray(self.h.getSolution().col_value)[1:], 0.0)
        keep = [j for j, v in enumerate(x) if v > 1e-12]
        total = float(sum(x[j] for j in keep))
        panels = [self.panels[j] for j in keep]
        probs = [float(x[j]) / total for j in keep]
        type_probs = np.zeros(self.n_types)
        for panel, p in zip(panels, probs, strict=True):
            type_probs += p * np.array(panel) / self.sizes
        return panels, probs, type_probs


def _seed_panels(master: _Master, program: PanelProgram, rounds: int) -> None:
    """A varied first set of panels: multiplicative weights steer each panel towards uncovered types."""
    weights = np.ones(master.n_types)
    covered = np.zeros(master.n_types, dtype=bool)
    for _ in range(rounds):
        found = program.best(weights / master.sizes)
        if found is None:
            raise SelectionError("infeasible", "no panel meets every quota")
        panel = np.array(found[0])
        master.add(found[0])
        weights *= np.where(panel > 0, 0.8 ** (panel / master.sizes), 1.0)
        covered |= panel > 0
        if covered.all():
            break


def _level(master: _Master, program: PanelProgram) -> tuple[float, np.ndarray, bool]:
    """Column generation until no panel improves the level; returns it, the prices and whether proven."""
    while True:
        z, prices, mu = master.solve()
        found = program.best(prices / master.sizes)
        if found is None:
            raise SelectionError("infeasible", "no panel meets every quota")
        panel, value, bound = found
        if value > mu + TOL and master.add(panel):
            continue
        return z, prices, bound <= mu + 1e-7


def _run(inst: Instance, levels_wanted: int | None, method: str) -> Distribution:
    started = time.perf_counter()
    pool = typed_pool(inst)
    program = PanelProgram(pool)
    master = _Master(pool)
    _seed_panels(master, program, rounds=max(10, min(master.n_types, 200)))
    levels: list[float] = []
    exact = True
    while master.free.any() and (levels_wanted is None or len(levels) < levels_wanted):
        z, prices, proven = _level(master, program)
        exact &= proven
        free = np.flatnonzero(master.free)
        tight = [int(t) for t in free if prices[t] > 1e-9]
        if not tight:  # cannot happen in exact arithmetic: the free prices sum to one
            tight = [int(t) for t in free]
        master.fix(tight, z)
        levels.append(z)
    if levels_wanted is not None:
        master.solve()
    panels, probs, type_probs = master.distribution()
    return Distribution(
        pool=pool,
        panels=panels,
        probs=probs,
        type_probs=[float(v) for v in type_probs],
        agent_probs=pool.agent_probs([float(v) for v in type_probs], len(inst.people)),
        levels=levels,
        method=method,
        seconds=time.perf_counter() - started,
        pricing_calls=program.calls,
        exact=exact,
    )


def leximin(inst: Instance) -> Distribution:
    """The LEXIMIN lottery: the lowest probability as high as possible, then the next lowest, and so on."""
    return _run(inst, None, "leximin")


def maximin(inst: Instance) -> Distribution:
    """The MAXIMIN lottery: only the lowest probability is maximised (the rest as the solver leaves it)."""
    return _run(inst, 1, "maximin")
