"""The states of a task's assignment to one grid: a worker of the grid claims it and reports it done;
the street that pushed it may send it back with a note."""

from __future__ import annotations

from huying.core.statemachine import Transition, TransitionTable

from .tasks_models import GridTaskAssignment

S = GridTaskAssignment.Status
# Roles of the task table, derived from the actor's relation to the assignment (not account roles).
WORKER = "grid_worker"  # a current worker or liaison member of the assignment's grid
STREET = "street"  # staff managing the unit that pushed the task

TRANSITIONS = TransitionTable(
    [
        Transition(S.OPEN, "claim", S.CLAIMED, frozenset({WORKER})),
        Transition(S.CLAIMED, "report_done", S.DONE, frozenset({WORKER}), needs_note=True),
        Transition(S.DONE, "reopen", S.CLAIMED, frozenset({STREET}), needs_note=True),
    ]
)
