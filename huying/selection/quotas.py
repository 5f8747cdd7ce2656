"""Quotas from population shares, and feasibility with the smallest relaxations.

:func:`quotas_from_shares` apportions a panel of ``k`` seats to each category's values by largest
remainders (Hamilton's method, so the targets of a category always sum to ``k``) and widens each target
by a tolerance: the minima then sum to at most ``k`` and the maxima to at least ``k``.

:func:`feasibility` answers "can any panel meet every quota?" with an integer programme over the
pool; when none can, a second programme with slack on every bound finds the smallest total relaxation
(lower minima, higher maxima) that makes the quotas feasible, and says which bounds move and by how much.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import highspy
import numpy as np

from .model import Instance, Problem, Quota, problems, typed_pool
from .pricing import PanelProgram, quiet_highs

__all__ = ["Feasibility", "Relaxation", "feasibility", "quotas_from_shares"]


def quotas_from_shares(shares: Mapping[str, Mapping[str, float]], k: int, tolerance: int = 1) -> list[Quota]:
    """Integer quotas for ``k`` seats from each category's population shares (any positive scale)."""
    out: list[Quota] = []
    for cat, values in shares.items():
        total = sum(values.values())
        if total <= 0:
            raise ValueError(f"shares of {cat} sum to {total}")
        exact = {v: k * s / total for v, s in values.items()}
        seats = {v: math.floor(e) for v, e in exact.items()}
        left = k - sum(seats.values())
        for v in sorted(exact, key=lambda v: (-(exact[v] - seats[v]), v))[:left]:
            seats[v] += 1
        for v in values:
            out.append(Quota(cat, v, max(0, seats[v] - tolerance), min(k, seats[v] + tolerance)))
    return out


@dataclass(frozen=True)
class Relaxation:
    category: str
    value: str
    bound: str  # "min" or "max"
    old: int
    new: int


@dataclass
class Feasibility:
    feasible: bool
    problems: list[Problem] = field(default_factory=list)
    relaxations: list[Relaxation] = field(default_factory=list)

    def explanation(self) -> list[str]:
        lines = [p.message for p in self.problems]
        lines += [f"{r.category}={r.value}: {r.bound} {r.old} -> {r.new}" for r in self.relaxations]
        return lines


def _value_shortages(inst: Instance) -> list[Problem]:
    have: dict[tuple[str, str], int] = {}
    for p in inst.people:
        for cat, v in p.features.items():
            have[(cat, v)] = have.get((cat, v), 0) + 1
    out = []
    for q in inst.quotas:
        n = have.get((q.category, q.value), 0)
        if n < q.min:
            out.append(
                Problem(
                    "too_few_people",
                    f"{q.category}={q.value}: min {q.min} but only {n} in the pool",
                    {"category": q.category, "value": q.value, "min": q.min, "have": n},
                )
            )
    return out


def feasibility(inst: Instance) -> Feasibility:
    """Whether a panel meets every quota; if not, why, and the smallest relaxations that would do."""
    structural = problems(inst)
    hard = [
        p
        for p in structural
        if p.code
        in {
            "duplicate_id",
            "missing_value",
            "unknown_value",
            "duplicate_value",
            "panel_size",
            "pool_too_small",
            "min_above_max",
        }
    ]
    if hard:
        return Feasibility(False, structural)
    if not structural and PanelProgram(typed_pool(inst)).any_panel() is not None:
        return Feasibility(True)
    return Feasibility(False, structural + _value_shortages(inst), _relax(inst))


def _relax(inst: Instance) -> list[Relaxation]:
    """min sum of slacks s.t. a panel of k exists with min_v - s_v <= count_v <= max_v + t_v."""
    n, quotas = len(inst.people), inst.quotas
    nq = len(quotas)
    h = quiet_highs()
    inf = highspy.kHighsInf
    # x_i (binary), then s_q (below min), then t_q (above max)
    h.addVars(n + 2 * nq, np.zeros(n + 2 * nq), np.array([1.0] * n + [inf] * (2 * nq)))
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger))
    h.changeColsCost(2 * nq, np.arange(n, n + 2 * nq, dtype=np.int32), np.ones(2 * nq))
    h.addRow(inst.k, inst.k, n, np.arange(n, dtype=np.int32), np.ones(n))
    for j, q in enumerate(quotas):
        members = [i for i, p in enumerate(inst.people) if p.features.get(q.category) == q.value]
        idx = np.array([*members, n + j], dtype=np.int32)
        h.addRow(q.min, inf, len(idx), idx, np.array([1.0] * len(members) + [1.0]))
        idx = np.array([*members, n + nq + j], dtype=np.int32)
        h.addRow(-inf, q.max, len(idx), idx, np.array([1.0] * len(members) + [-1.0]))
    if inst.one_per_household:
        houses: dict[str, list[int]] = {}
        for i, p in enumerate(inst.people):
            if p.household:
                houses.setdefault(p.household, []).append(i)
        for members in houses.values():
            if len(members) > 1:
                h.addRow(-inf, 1.0, len(members), np.array(members, dtype=np.int32), np.ones(len(members)))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return []
    x = np.rint(np.asarray(h.getSolution().col_value)).astype(int)
    out = []
    for j, q in enumerate(quotas):
        if x[n + j] > 0:
            out.append(Relaxation(q.category, q.value, "min", q.min, q.min - int(x[n + j])))
        if x[n + nq + j] > 0:
            out.append(Relaxation(q.category, q.value, "max", q.max, q.max + int(x[n + nq + j])))
    return out
