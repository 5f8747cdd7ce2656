"""The states of a task's assignment to one grid: a worker of the grid claims it and reports it done;
the street that pushed it may send it back with a note."""

from __future__ import annotations

from huying.core.statemachine import Transition, TransitionTable

OPEN, CLAIMED, DONE = "open", "claimed", "done"  # GridTaskAssignment.Status
# Roles of the task table, derived from the actor's relation to the assignment (not account roles).
WORKER = "grid_worker"  # a current worker or liaison member of the assignment's grid
STREET = "street"  # staff managing the unit that pushed the task

TRANSITIONS = TransitionTable(
    [
        Transition(OPEN, "claim", CLAIMED, frozenset({WORKER})),
        Transition(CLAIMED, "report_done", DONE, frozenset({WORKER}), needs_note=True),
        Transition(DONE, "reopen", CLAIMED, frozenset({STREET}), needs_note=True),
    ]
)
