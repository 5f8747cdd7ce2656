"""Quorum and majority as the laws word them (no database)."""

from __future__ import annotations

from fractions import Fraction

from huying.community.procedure import MEMBERS, Rule, quorum_met, quorum_needed, tally, votes_needed
from huying.community.rules import BODY_RULES


def test_representatives_need_two_thirds_present_and_a_majority_of_those_present() -> None:
    rule = BODY_RULES["representatives"]
    assert quorum_needed(rule, 20) == 14  # 2/3 of 20 = 13.33: at least 14
    assert quorum_needed(rule, 21) == 14  # exactly 2/3 is enough ("三分之二以上" includes it)
    assert not quorum_met(rule, 20, 13) and quorum_met(rule, 20, 14)
    assert votes_needed(rule, 20, 14) == 8  # more than half of 14 present
    assert tally(rule, 20, 14, [1] * 8 + [2] * 6).adopted == 1
    assert tally(rule, 20, 14, [1] * 7 + [2] * 5 + [None] * 2).adopted is None  # 7 of 14 is not more than half


def test_branch_majority_is_of_all_members_not_of_those_present() -> None:
    rule = BODY_RULES["branch"]
    assert rule.majority_base == MEMBERS
    assert quorum_needed(rule, 7) == 4 and not quorum_met(rule, 8, 4)  # more than half: 5 of 8
    assert votes_needed(rule, 7, 5) == 4  # more than half of 7 members, however many came
    assert tally(rule, 7, 5, [1, 1, 1, 2, 2]).adopted is None
    assert tally(rule, 7, 5, [1, 1, 1, 1, 2]).adopted == 1


def test_a_body_with_no_members_has_no_quorum() -> None:
    assert not quorum_met(Rule(Fraction(1, 2)), 0, 0)
