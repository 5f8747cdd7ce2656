"""A random draw anyone can repeat: the eligible ids sorted, shuffled by ``random.Random(seed)``, the
first ``count`` taken. The seed is published with the result, so the draw can be checked.

This is the one function to swap for huying.selection's lottery once that package offers one. Plain
Python, no Django.
"""

from __future__ import annotations

import random
from collections.abc import Iterable


def seeded_draw(eligible_ids: Iterable[int], count: int, seed: str) -> list[int]:
    """``count`` ids drawn from ``eligible_ids`` with the published ``seed`` (the same inputs, the same draw)."""
    pool = sorted(set(eligible_ids))
    random.Random(seed).shuffle(pool)
    return pool[: max(0, count)]
