"""A generated open-day pool: volunteers skewed away from the population they should represent.

Those who sign up for a government open day are older, more often men, more often Party members and
more often in public-sector work than the district's adults. The quotas come from the population's
shares (:data:`POPULATION`), the pool from the skewed shares (:data:`VOLUNTEERS`). Used by the panels
benchmark and the open-day demo.
"""

from __future__ import annotations

import random

from .model import Instance, Person
from .quotas import quotas_from_shares

__all__ = ["POPULATION", "VOLUNTEERS", "open_day_pool"]

POPULATION: dict[str, dict[str, float]] = {
    "age_band": {"18-29": 0.19, "30-39": 0.19, "40-49": 0.18, "50-59": 0.20, "60+": 0.24},
    "gender": {"男": 0.50, "女": 0.50},
    "political_status": {"中共党员": 0.09, "共青团员": 0.07, "民主党派": 0.01, "群众": 0.83},
    "occupation": {
        "机关事业单位": 0.08,
        "企业职工": 0.38,
        "个体经营": 0.14,
        "农业": 0.12,
        "学生": 0.06,
        "离退休": 0.22,
    },
}

VOLUNTEERS: dict[str, dict[str, float]] = {
    "age_band": {"18-29": 0.08, "30-39": 0.12, "40-49": 0.17, "50-59": 0.25, "60+": 0.38},
    "gender": {"男": 0.68, "女": 0.32},
    "political_status": {"中共党员": 0.40, "共青团员": 0.04, "民主党派": 0.02, "群众": 0.54},
    "occupation": {
        "机关事业单位": 0.30,
        "企业职工": 0.22,
        "个体经营": 0.08,
        "农业": 0.07,
        "学生": 0.03,
        "离退休": 0.30,
    },
}


def open_day_pool(n: int = 300, k: int = 30, seed: int = 2026, tolerance: int = 1) -> Instance:
    """``n`` volunteers drawn from :data:`VOLUNTEERS`, quotas for ``k`` seats from :data:`POPULATION`."""
    rng = random.Random(seed)
    people = []
    for i in range(n):
        feats = {cat: rng.choices(list(shares), list(shares.values()))[0] for cat, shares in VOLUNTEERS.items()}
        people.append(Person(f"v{i:04d}", feats))
    return Instance(quotas_from_shares(POPULATION, k, tolerance), people, k)
