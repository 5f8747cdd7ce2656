"""A state machine as a table: the helper every domain app's ``states.py`` uses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class ClockEffect(StrEnum):
    NONE = "none"
    START = "start"  # the handling clock starts (dispatch, re-dispatch, reopen)
    PAUSE = "pause"
    RESUME = "resume"
    EXTEND = "extend"
    STOP = "stop"


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    roles: frozenset[str]
    needs_note: bool = False
    clock: ClockEffect = ClockEffect.NONE
    # Actions shown as secondary (not the main button) on pages.
    extra: dict[str, object] = field(default_factory=dict, hash=False, compare=False)


class TransitionTable:
    def __init__(self, transitions: Iterable[Transition]):
        self.transitions = list(transitions)
        self._index: dict[tuple[str, str], Transition] = {}
        for t in self.transitions:
            key = (t.source, t.action)
            if key in self._index:
                raise ValueError(f"duplicate transition {key}")
            self._index[key] = t

    def get(self, source: str, action: str) -> Transition | None:
        return self._index.get((source, action))

    def from_state(self, source: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == source]

    def states(self) -> set[str]:
        return {t.source for t in self.transitions} | {t.target for t in self.transitions}

    def actions(self) -> set[str]:
        return {t.action for t in self.transitions}
