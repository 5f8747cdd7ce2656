"""The index returns exactly what scoring every volunteer returns."""

from __future__ import annotations

import random

from huying.volunteers import matching, rotating


def _people(n: int, seed: int) -> list[matching.Candidate]:
    rng = random.Random(seed)
    codes = [f"s{i}" for i in range(12)]
    return [
        matching.Candidate(
            i,
            frozenset(rng.sample(codes, rng.randint(1, 3))),
            117.5 + rng.random() * 0.4,
            36.6 + rng.random() * 0.3,
            rng.getrandbits(21),
        )
        for i in range(n)
    ]


def test_index_equals_brute_force():
    people = _people(3000, 1)
    index = matching.SuggestionIndex(people)
    rng = random.Random(2)
    for _ in range(80):
        wanted = frozenset(rng.sample([f"s{i}" for i in range(12)], rng.randint(1, 3)))
        slot = rng.choice([0, 1 << rng.randrange(21)])  # 0: any time
        need = matching.Wanted(wanted, 117.5 + rng.random() * 0.4, 36.6 + rng.random() * 0.3, slot)
        assert index.suggest(need, 10) == matching.brute_force(need, people, 10)


def test_score_needs_a_skill_the_slot_and_distance():
    v = matching.Candidate(1, frozenset({"a"}), 117.0, 36.0, matching.slot_bit(0, 9))
    assert matching.score(matching.Wanted(frozenset({"b"}), 117.0, 36.0), v) is None
    assert matching.score(matching.Wanted(frozenset({"a"}), 117.0, 36.0, matching.slot_bit(0, 20)), v) is None
    assert matching.score(matching.Wanted(frozenset({"a"}), 117.0, 36.5), v) is None  # 55 km away
    near = matching.score(matching.Wanted(frozenset({"a", "b"}), 117.0, 36.0), v)
    assert near is not None and abs(near - (0.35 + 0.3)) < 1e-9


def test_rotating_code_changes_with_the_window_and_accepts_one_before():
    secret = rotating.new_secret()
    code = rotating.current_code(secret, 7, now=1000.0, period=30)
    assert rotating.is_current(secret, 7, code, now=1000.0, period=30)
    assert rotating.is_current(secret, 7, code, now=1000.0 + 30, period=30)  # the window before
    assert not rotating.is_current(secret, 7, code, now=1000.0 + 60, period=30)  # a photo a minute old
    assert not rotating.is_current(secret, 8, code, now=1000.0, period=30)  # another activity
