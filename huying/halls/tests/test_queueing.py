"""Erlang C, the M/M/c simulation and the pooled vs separate window comparison. No database."""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import pairwise

import pytest

from huying.halls.queueing import (
    SEED_LIKE_HALL,
    Department,
    balanced,
    compare,
    erlang_c,
    min_servers_for,
    reduction_range,
    reduction_sweep,
    scale_to_utilisation,
    simulate,
    simulate_mixed,
    utilisation,
)


def _erlang_c_factorial(a: int, c: int) -> float:
    """Reference: the textbook factorial formula in exact rationals (integer offered load)."""
    head = sum(Fraction(a**k, math.factorial(k)) for k in range(c))
    tail = Fraction(a**c, math.factorial(c)) * Fraction(c, c - a)
    return float(tail / (head + tail))


def test_mm1_reduces_to_rho_over_mu_minus_lambda() -> None:
    lam, mu = 10.0, 12.0  # per hour
    r = erlang_c(lam, mu, 1)
    rho = lam / mu
    assert r.prob_wait == pytest.approx(rho)
    assert r.mean_wait == pytest.approx(rho / (mu - lam))  # 0.41667 h = 25 min
    assert r.mean_wait * 60 == pytest.approx(25.0)
    assert r.mean_in_system == pytest.approx(1 / (mu - lam))


def test_textbook_values() -> None:
    # M/M/2, a = 1: P(wait) = 1/3, Wq = 1/3 / (2 mu - lambda) = 1/3.
    r = erlang_c(1.0, 1.0, 2)
    assert r.prob_wait == pytest.approx(1 / 3)
    assert r.mean_wait == pytest.approx(1 / 3)
    # M/M/3, a = 2: P0 = 1/9, P(wait) = 4/9, Wq = 4/9.
    r = erlang_c(2.0, 1.0, 3)
    assert r.prob_wait == pytest.approx(4 / 9)
    assert r.mean_wait == pytest.approx(4 / 9)
    assert r.utilisation == pytest.approx(2 / 3)
    assert r.mean_queue_length == pytest.approx(2 * 4 / 9)  # Little
    for a, c in [(8, 10), (15, 20), (45, 50), (90, 100)]:
        assert erlang_c(float(a), 1.0, c).prob_wait == pytest.approx(_erlang_c_factorial(a, c), rel=1e-10)


def test_large_server_counts_are_stable() -> None:
    r = erlang_c(9_500.0, 1.0, 10_000)
    assert 0.0 < r.prob_wait < 1.0
    assert math.isfinite(r.mean_wait)
    assert erlang_c(9_990.0, 1.0, 10_000).prob_wait > r.prob_wait


def test_more_servers_less_wait() -> None:
    waits = [erlang_c(5.0, 1.0, c).mean_wait for c in range(6, 20)]
    assert all(a > b for a, b in pairwise(waits))
    probs = [erlang_c(5.0, 1.0, c).prob_wait for c in range(6, 20)]
    assert all(a > b for a, b in pairwise(probs))


@pytest.mark.parametrize(("lam", "mu", "c"), [(3.0, 1.0, 3), (4.0, 1.0, 3), (1.0, 1.0, 1)])
def test_unstable_raises(lam: float, mu: float, c: int) -> None:
    with pytest.raises(ValueError, match="unstable"):
        erlang_c(lam, mu, c)
    with pytest.raises(ValueError, match="unstable"):
        simulate(lam, mu, c, customers=100)


@pytest.mark.parametrize(
    ("lam", "mu", "c"), [(0.0, 1.0, 1), (-1.0, 1.0, 1), (1.0, 0.0, 2), (1.0, 2.0, 0), (1.0, 2.0, 1.5)]
)
def test_invalid_inputs_raise(lam: float, mu: float, c: int) -> None:
    with pytest.raises(ValueError):
        erlang_c(lam, mu, c)


def test_min_servers_for() -> None:
    c = min_servers_for(5.0, 1.0, 0.1)
    assert erlang_c(5.0, 1.0, c).mean_wait <= 0.1 < erlang_c(5.0, 1.0, c - 1).mean_wait
    assert min_servers_for(0.5, 1.0, 10.0) == 1
    big = min_servers_for(900.0, 1.0, 0.01)
    assert erlang_c(900.0, 1.0, big).mean_wait <= 0.01 < erlang_c(900.0, 1.0, big - 1).mean_wait
    with pytest.raises(ValueError):
        min_servers_for(1.0, 1.0, -1.0)


def test_simulation_matches_erlang_c_mm3() -> None:
    exact = erlang_c(2.1, 1.0, 3)  # rho = 0.7
    sim = simulate(2.1, 1.0, 3, customers=400_000, seed=1)
    assert sim.mean_wait == pytest.approx(exact.mean_wait, rel=0.05)
    assert sim.share_waited == pytest.approx(exact.prob_wait, rel=0.05)
    assert sim.ci[0] < sim.mean_wait < sim.ci[1]
    assert sim.ci_half_width < 0.1 * sim.mean_wait


def test_simulation_matches_mm1_and_is_deterministic() -> None:
    a = simulate(0.5, 1.0, 1, customers=200_000, seed=7)
    assert a.mean_wait == pytest.approx(erlang_c(0.5, 1.0, 1).mean_wait, rel=0.05)
    assert simulate(0.5, 1.0, 1, customers=200_000, seed=7) == a
    assert simulate(0.5, 1.0, 1, customers=200_000, seed=8) != a


def test_mixed_simulation_with_one_stream_is_mmc() -> None:
    sim = simulate_mixed([2.1], [1.0], 3, customers=300_000, seed=3)
    assert sim.mean_wait == pytest.approx(erlang_c(2.1, 1.0, 3).mean_wait, rel=0.05)


@pytest.mark.parametrize("rho", [0.3, 0.6, 0.8, 0.95])
def test_pooling_never_increases_wait_identical_service(rho: float) -> None:
    depts = [Department(f"d{i}", 1.0, 12.0, w) for i, w in enumerate([1, 2, 1, 2, 1])]
    depts = balanced(scale_to_utilisation(depts, rho))
    c = compare(depts)
    assert c.service_scv == pytest.approx(1.0)  # one service-time distribution: pooled model is exact M/M/c
    assert c.pooled_wait_erlang == pytest.approx(c.pooled_wait_corrected)
    assert c.pooled_wait_erlang <= c.separate_wait_erlang
    for d in depts:  # and no department waits longer than under its own windows
        assert c.pooled_wait_erlang <= c.per_department_erlang[d.name]


def test_seed_like_hall_cuts_wait_by_over_90_percent() -> None:
    assert utilisation(SEED_LIKE_HALL) == pytest.approx(0.8208, abs=1e-3)
    c = compare(SEED_LIKE_HALL, simulate_customers=150_000, seed=11)
    assert c.reduction_erlang > 0.9
    assert c.reduction_corrected > 0.9
    assert c.reduction_sim is not None and c.reduction_sim > 0.9
    assert c.pooled_sim is not None and c.separate_sim is not None
    assert c.pooled_sim.mean_wait == pytest.approx(c.pooled_wait_erlang, rel=0.15)


def test_reduction_range_depends_on_balance_and_department_count() -> None:
    uneven = reduction_range(SEED_LIKE_HALL)
    even = reduction_range(balanced(SEED_LIKE_HALL))
    twelve = reduction_range(balanced(SEED_LIKE_HALL) * 2)
    assert uneven is not None and even is not None and twelve is not None
    assert even[1] < uneven[1]  # equally busy departments: pooling gains least
    assert 0.7 < even[1] < 0.9
    assert twelve[1] > 0.99  # twelve departments pooled: > 90 % at every stable load
    points = reduction_sweep(balanced(SEED_LIKE_HALL), [0.5, 0.7, 0.9])
    assert [p.reduction > 0.9 for p in points] == [True, True, False]
    assert points[0].reduction > points[1].reduction > points[2].reduction


def test_compare_reports_unstable_department() -> None:
    with pytest.raises(ValueError, match=r"department .*unstable"):
        compare(scale_to_utilisation(SEED_LIKE_HALL, 0.9))
