"""Quorum and majority, computed (plain Python, no Django).

A body's rule is data: how many of its members must attend (``quorum``: a fraction, "at least" or
"more than"), and how many votes adopt an option (more than ``majority`` of those present, or of
all members). The laws behind the usual rules:

- 村民代表会议: "有三分之二以上的组成人员参加方可召开，所作决定应当经到会人员的过半数同意"
  (村民委员会组织法 Art. 26) — at least 2/3 attend; more than half of those present adopt;
- 村民会议: "有本村十八周岁以上村民的过半数，或者本村三分之二以上的户的代表参加"; decisions by
  more than half of those present (Art. 22);
- a Party branch meeting: more than half of the members entitled to vote attend, and a decision
  needs more than half of the members who should attend (中国共产党支部工作条例（试行） Art. 15) —
  the majority is of all members, not of those present.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

PRESENT = "present"  # the majority is of those present
MEMBERS = "members"  # the majority is of all members


@dataclass(frozen=True)
class Rule:
    quorum: Fraction = Fraction(1, 2)
    quorum_strict: bool = True  # True: more than ``quorum``; False: at least ``quorum``
    majority: Fraction = Fraction(1, 2)  # an option needs more than this share of the base
    majority_base: str = PRESENT


def quorum_needed(rule: Rule, members: int) -> int:
    """The fewest members present for the meeting to proceed."""
    exact = rule.quorum * members
    whole = exact.numerator // exact.denominator
    if rule.quorum_strict:
        return whole + 1
    return whole if exact.denominator == 1 else whole + 1


def quorum_met(rule: Rule, members: int, present: int) -> bool:
    return members > 0 and present >= quorum_needed(rule, members)


def votes_needed(rule: Rule, members: int, present: int) -> int:
    """The fewest votes that adopt an option: more than ``majority`` of the base."""
    base = present if rule.majority_base == PRESENT else members
    exact = rule.majority * base
    return exact.numerator // exact.denominator + 1


@dataclass(frozen=True)
class Tally:
    counts: dict[int, int]  # option id -> votes
    abstained: int
    needed: int
    adopted: int | None  # the option adopted, if one reached ``needed``


def tally(rule: Rule, members: int, present: int, choices: Iterable[int | None]) -> Tally:
    """Count the choices of those present (None: abstained) and say which option, if any, is adopted."""
    counted = Counter(choices)
    abstained = counted.pop(None, 0)
    counts = {int(option): n for option, n in counted.items() if option is not None}
    needed = votes_needed(rule, members, present)
    winners = [option for option, n in counts.items() if n >= needed]
    return Tally(counts=counts, abstained=abstained, needed=needed, adopted=winners[0] if len(winners) == 1 else None)
