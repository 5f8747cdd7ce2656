"""The panel integer program: choose a panel (counts per type) meeting every quota.

One HiGHS model is built per pool and reused: column generation only changes the objective, so each
pricing call is "maximise the weighted number of chosen members subject to the quotas". The same
model answers "is there any feasible panel" (zero weights).
"""

from __future__ import annotations

from collections.abc import Sequence

import highspy
import numpy as np

from .model import SelectionError, TypedPool

__all__ = ["PanelProgram", "quiet_highs"]

Panel = tuple[int, ...]


def quiet_highs() -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    return h


class PanelProgram:
    """max sum_t w_t x_t  s.t.  sum_t x_t = k,  min_v <= sum_{t has v} x_t <= max_v,  households <= 1."""

    def __init__(self, pool: TypedPool, time_limit: float = 60.0) -> None:
        self.pool = pool
        self.time_limit = time_limit
        self.calls = 0
        n_types = len(pool.members)
        h = quiet_highs()
        inf = highspy.kHighsInf
        lower = np.zeros(n_types)
        upper = np.array(pool.sizes, dtype=float)
        h.addVars(n_types, lower, upper)
        h.changeColsIntegrality(
            n_types, np.arange(n_types, dtype=np.int32), np.full(n_types, highspy.HighsVarType.kInteger)
        )
        all_types = np.arange(n_types, dtype=np.int32)
        h.addRow(pool.k, pool.k, n_types, all_types, np.ones(n_types))
        for q, rows in zip(pool.quotas, pool.value_rows, strict=True):
            idx = np.array(rows, dtype=np.int32)
            h.addRow(q.min, min(q.max, inf), len(idx), idx, np.ones(len(idx)))
        for group in pool.households:
            idx = np.array(group, dtype=np.int32)
            h.addRow(-inf, 1.0, len(idx), idx, np.ones(len(idx)))
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        h.setOptionValue("mip_rel_gap", 1e-9)
        h.setOptionValue("mip_abs_gap", 1e-10)
        h.setOptionValue("time_limit", time_limit)
        self.h = h
        self.n_types = n_types

    def best(self, weights: Sequence[float]) -> tuple[Panel, float, float] | None:
        """The panel of highest weight, its weight and the solver's upper bound; None if no panel exists."""
        self.calls += 1
        h = self.h
        w = np.asarray(weights, dtype=float)
        h.changeColsCost(self.n_types, np.arange(self.n_types, dtype=np.int32), w)
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit):
            raise SelectionError("solver_failed", f"panel program ended {h.modelStatusToString(status)}")
        x = np.rint(np.asarray(h.getSolution().col_value)).astype(int)
        info = h.getInfo()
        value = float(w @ x)
        bound = float(info.mip_dual_bound) if status == highspy.HighsModelStatus.kTimeLimit else value
        return tuple(int(v) for v in x), value, max(bound, value)

    def any_panel(self) -> Panel | None:
        found = self.best([0.0] * self.n_types)
        return None if found is None else found[0]
