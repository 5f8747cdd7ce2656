"""Erlang C, Allen–Cunneen, the simulation and the pooled vs separate window comparison. No database."""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import pairwise

import pytest

from huying.halls.queueing import (
    SEED_LIKE_HALL,
    Department,
    allen_cunneen,
    balanced,
    compare,
    erlang_c,
    min_servers_for,
    mixed_service_scv,
    reduction_range,
    reduction_sweep,
    scale_to_utilisation,
    service_scv,
    simulate,
    simulate_empirical,
    simulate_mixed,
    utilisation,
    with_service_scv,
    within_group_scv,
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


# --------------------------------------------------------------------------- Allen–Cunneen (M/G/c)


@pytest.mark.parametrize(("lam", "mu", "c"), [(0.5, 1.0, 1), (2.1, 1.0, 3), (9.0, 0.5, 20), (95.0, 1.0, 100)])
def test_allen_cunneen_with_exponential_service_is_erlang_c(lam: float, mu: float, c: int) -> None:
    exact = erlang_c(lam, mu, c)
    approx = allen_cunneen(lam, mu, c, 1.0)
    assert approx.mean_wait == pytest.approx(exact.mean_wait, rel=1e-12)
    assert approx == exact


def test_allen_cunneen_scales_the_wait_and_keeps_little() -> None:
    base = erlang_c(2.4, 1.0, 3)
    r = allen_cunneen(2.4, 1.0, 3, 0.35)
    assert r.mean_wait == pytest.approx(base.mean_wait * 1.35 / 2)
    assert r.prob_wait == base.prob_wait
    assert r.mean_queue_length == pytest.approx(2.4 * r.mean_wait)
    assert r.mean_in_system == pytest.approx(r.mean_wait + 1.0)
    assert allen_cunneen(2.4, 1.0, 3, 0.35, arrival_scv=0.0).mean_wait == pytest.approx(base.mean_wait * 0.35 / 2)
    for bad in (-0.1, math.inf, math.nan):
        with pytest.raises(ValueError):
            allen_cunneen(2.4, 1.0, 3, bad)


def test_allen_cunneen_deterministic_service_is_pollaczek_khinchine_for_one_server() -> None:
    # M/D/1: Wq = rho / (2 mu (1 - rho)) exactly, half of M/M/1.
    lam, mu = 0.8, 1.0
    assert allen_cunneen(lam, mu, 1, 0.0).mean_wait == pytest.approx(0.8 / (2 * 1.0 * 0.2))
    sim = simulate(lam, mu, 1, service_scv=0.0, customers=400_000, seed=4)
    assert sim.mean_service == pytest.approx(1.0)  # cs² = 0: every service exactly the mean
    assert sim.mean_wait == pytest.approx(2.0, rel=0.05)


@pytest.mark.parametrize(("lam", "c"), [(1.6, 2), (2.4, 3), (4.0, 5)])
def test_allen_cunneen_is_near_md_c(lam: float, c: int) -> None:
    # M/D/c for c > 1 has no simple closed form; Allen–Cunneen is known to fall a few per cent below it.
    approx = allen_cunneen(lam, 1.0, c, 0.0).mean_wait
    sim = simulate(lam, 1.0, c, service_scv=0.0, customers=400_000, seed=2)
    assert approx <= sim.ci[1]
    assert sim.mean_wait == pytest.approx(approx, rel=0.08)


@pytest.mark.parametrize("scv", [0.35, 2.0])
def test_allen_cunneen_tracks_lognormal_service(scv: float) -> None:
    approx = allen_cunneen(2.4, 1.0, 3, scv).mean_wait
    sim = simulate(2.4, 1.0, 3, service_scv=scv, customers=400_000, seed=3)
    assert sim.mean_service == pytest.approx(1.0, rel=0.02)
    assert sim.mean_wait == pytest.approx(approx, rel=0.1)
    assert abs(sim.mean_wait / erlang_c(2.4, 1.0, 3).mean_wait - 1) > 0.25  # plain Erlang C is far off


def test_service_scv_of_samples() -> None:
    assert service_scv([1.0, 1.0, 1.0]) == 0.0
    assert service_scv([1.0, 3.0]) == pytest.approx(0.25)  # variance 1, mean 2
    with pytest.raises(ValueError):
        service_scv([2.0])
    scv, used = within_group_scv([[1.0, 3.0], [10.0, 30.0], [5.0]])  # both groups cs² 0.25; the single skipped
    assert scv == pytest.approx(0.25) and used == 4
    with pytest.raises(ValueError):
        within_group_scv([[5.0]])


def test_mixed_service_scv_adds_the_spread_between_departments() -> None:
    same = [Department("a", 6.0, 10.0, 1, 0.5), Department("b", 6.0, 10.0, 1, 0.5)]
    assert mixed_service_scv(same) == pytest.approx(0.5)
    exponential = [Department("a", 6.0, 5.0, 1), Department("b", 6.0, 15.0, 2)]
    # E[S] = 10, E[S²] = (2 x 25 + 2 x 225) / 2 = 250: cs² = 1.5
    assert mixed_service_scv(exponential) == pytest.approx(1.5)
    assert compare(exponential).service_scv == pytest.approx(1.5)


def test_compare_with_lognormal_departments() -> None:
    hall = with_service_scv(SEED_LIKE_HALL, 0.35)
    c = compare(hall, simulate_customers=150_000, seed=5)
    assert c.separate_wait_corrected == pytest.approx(c.separate_wait_erlang * 1.35 / 2)
    assert c.pooled_sim is not None and c.separate_sim is not None
    assert c.pooled_sim.mean_wait == pytest.approx(c.pooled_wait_corrected, rel=0.15)
    assert c.separate_sim.mean_wait == pytest.approx(c.separate_wait_corrected, rel=0.15)
    assert c.reduction_corrected > 0.9


def test_empirical_simulation_draws_the_samples() -> None:
    samples = [4.0, 6.0, 8.0, 30.0]
    sim = simulate_empirical(0.2, samples, 3, customers=200_000, seed=6)
    assert sim.mean_service == pytest.approx(12.0, rel=0.02)
    assert sim.mean_wait == pytest.approx(allen_cunneen(0.2, 1 / 12.0, 3, service_scv(samples)).mean_wait, rel=0.2)
    with pytest.raises(ValueError):
        simulate_empirical(0.2, [], 3)
    with pytest.raises(ValueError):
        simulate_empirical(1.0, samples, 3)  # rho = 4 > 1
