"""Quotas, feasibility, the transparent lottery, replacements, the legacy method and the CSV formats."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from huying.selection.csvio import read_categories, read_people, write_categories, write_panels
from huying.selection.legacy import legacy_draw, legacy_probabilities
from huying.selection.leximin import leximin
from huying.selection.lottery import draw_index, round_to_lottery, verify
from huying.selection.model import Instance, Person, Quota, SelectionError, validate
from huying.selection.quotas import feasibility, quotas_from_shares
from huying.selection.replace import check_candidate, remaining_instance, replacements


def open_day_pool(n: int = 60, k: int = 12, seed: int = 3, households: bool = True) -> Instance:
    rng = random.Random(seed)
    cats = {"age": ["18-34", "35-59", "60+"], "gender": ["男", "女"], "party": ["党员", "群众"]}
    people = []
    for i in range(n):
        feats = {
            "age": rng.choices(cats["age"], [1, 2, 3])[0],
            "gender": rng.choices(cats["gender"], [3, 2])[0],
            "party": rng.choices(cats["party"], [1, 2])[0],
        }
        people.append(Person(f"r{i:03d}", feats, f"h{i // 2}" if households else None))
    shares = {
        "age": {"18-34": 0.3, "35-59": 0.45, "60+": 0.25},
        "gender": {"男": 0.5, "女": 0.5},
        "party": {"党员": 0.1, "群众": 0.9},
    }
    return Instance(quotas_from_shares(shares, k), people, k, one_per_household=households)


def meets(inst: Instance, ids, quotas=None) -> bool:
    by_id = {p.id: p for p in inst.people}
    counts = Counter(kv for pid in ids for kv in by_id[pid].features.items())
    return all(q.min <= counts[(q.category, q.value)] <= q.max for q in quotas or inst.quotas)


def test_quotas_from_shares_are_consistent():
    quotas = quotas_from_shares({"age": {"a": 0.333, "b": 0.333, "c": 0.334}, "sex": {"m": 49, "f": 51}}, 10)
    for cat in ("age", "sex"):
        qs = [q for q in quotas if q.category == cat]
        assert sum(q.min for q in qs) <= 10 <= sum(q.max for q in qs)
        assert all(0 <= q.min <= q.max for q in qs)
    assert {q.value: (q.min, q.max) for q in quotas if q.category == "sex"} == {"m": (4, 6), "f": (4, 6)}


def test_quotas_that_cannot_fill_the_panel_are_explained_with_the_smallest_relaxation():
    inst = open_day_pool(households=False)
    tight = [Quota(q.category, q.value, q.min, q.min) if q.category == "age" else q for q in inst.quotas]
    short = Instance(tight, inst.people, inst.k)
    report = feasibility(short)
    assert not report.feasible
    assert any(p.code == "quota_max_below_k" for p in report.problems)
    missing = inst.k - sum(q.min for q in tight if q.category == "age")
    assert sum(r.new - r.old for r in report.relaxations if r.bound == "max") == missing
    relaxed = {(r.category, r.value): r.new for r in report.relaxations}
    fixed = [Quota(q.category, q.value, q.min, relaxed.get((q.category, q.value), q.max)) for q in tight]
    assert feasibility(Instance(fixed, inst.people, inst.k)).feasible
    assert feasibility(inst).feasible


def test_a_value_no_quota_knows_is_refused():
    inst = open_day_pool()
    inst.people[0] = Person("r000", {**inst.people[0].features, "age": "12"})
    with pytest.raises(SelectionError) as err:
        validate(inst)
    assert err.value.code == "unknown_value" and err.value.params["value"] == "12"
    assert not feasibility(inst).feasible


def test_one_per_household_and_quotas_hold_on_every_panel_of_the_lottery():
    inst = open_day_pool()
    dist = leximin(inst)
    lottery = round_to_lottery(inst, dist, m=200)
    assert lottery.m == 200
    houses = {p.id: p.household for p in inst.people}
    for panel in lottery.panels:
        assert len(panel) == inst.k and len(set(panel)) == inst.k
        assert meets(inst, panel)
        assert len({houses[i] for i in panel}) == inst.k
    assert lottery.max_deviation <= 0.02
    assert min(lottery.achieved.values()) >= dist.min_prob - 0.02


def test_the_draw_is_reproducible_from_the_published_panels_and_seed():
    inst = open_day_pool(households=False)
    lottery = round_to_lottery(inst, leximin(inst), m=100)
    index, chosen = lottery.draw("07 19 23 31 42")
    assert index == draw_index(" 07 19 23 31 42 ", 100)
    ok, again, members = verify(lottery.panels, lottery.digest, "07 19 23 31 42")
    assert ok and again == index and members == chosen
    tampered = [list(p) for p in lottery.panels]
    tampered[0][0] = "someone-else"
    assert not verify(tampered, lottery.digest, "07 19 23 31 42")[0]
    with pytest.raises(SelectionError):
        draw_index("   ", 100)


def test_replacements_meet_the_remaining_quotas_and_skip_members_households():
    inst = open_day_pool()
    _, panel = round_to_lottery(inst, leximin(inst), m=50).draw("seed")
    declined = panel[:2]
    sitting = [pid for pid in panel if pid not in declined]
    result = replacements(inst, sitting, declined, seats=2, seed="seed/replacement/1", m=50)
    assert len(result.chosen) == 2 and not set(result.chosen) & set(panel)
    assert meets(inst, sitting + result.chosen)
    houses = {p.id: p.household for p in inst.people}
    assert not {houses[i] for i in result.chosen} & {houses[i] for i in sitting}
    sub = remaining_instance(inst, sitting, declined, 2)
    assert all(houses[p.id] not in {houses[i] for i in sitting} for p in sub.people)
    mate = next(p.id for p in inst.people if p.household == houses[sitting[0]] and p.id != sitting[0])
    with pytest.raises(SelectionError) as err:
        check_candidate(inst, sitting, mate)
    assert err.value.code == "same_household"


def test_legacy_panels_meet_quotas_and_leximin_is_fairer():
    inst = open_day_pool(households=False)
    rng = random.Random(1)
    assert meets(inst, [inst.people[i].id for i in legacy_draw(inst, rng)])
    probs = legacy_probabilities(inst, draws=300)
    assert abs(sum(probs) - inst.k) < 1e-9
    assert leximin(inst).min_prob >= min(probs)


def test_sortition_foundation_csv_round_trip():
    text = "feature,value,min,max,min_flex,max_flex\nGender,Female,2,3,0,3\nGender,Male,2,3,0,3\n"
    quotas = read_categories(text)
    assert quotas == [Quota("Gender", "Female", 2, 3), Quota("Gender", "Male", 2, 3)]
    assert read_categories(write_categories(quotas)) == quotas
    people = read_people("nationbuilder_id,name,Gender\np1,A,Female\np2,B,Male\n", quotas)
    assert [p.id for p in people] == ["p1", "p2"] and people[1].features == {"Gender": "Male"}
    assert read_categories("category,feature,min,max\ng,f,1,2\n") == [Quota("g", "f", 1, 2)]
    with pytest.raises(SelectionError) as err:
        read_categories("feature,value,min,max\nGender,Female,two,3\n")
    assert err.value.code == "bad_number"
    with pytest.raises(SelectionError):
        read_people("id,Age\n1,30\n", quotas)
    assert write_panels([["b", "a"]]) == "panel,members\n0,a b\n"
