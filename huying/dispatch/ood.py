"""Is a message like anything the dispatch classifier was trained on? (plain Python, no Django)

A classifier always names a class, also for "路灯不亮", an English sentence or a question about a
school from a bureau it has never seen. Before its confidence may dispatch anything, the message is
judged against the training data:

* ``not_chinese``: under :data:`MIN_HAN_SHARE` of its visible characters are Chinese;
* ``too_short``: fewer than ``min_han`` Chinese characters;
* ``unknown_terms``: too small a share of its character n-grams is in the model's vocabulary;
* ``unlike_history``: its TF-IDF vector is far from every class centroid.

The last two limits are learned from out-of-fold data (a low quantile of what held-out training
messages scored), so about that share of messages like the training data is flagged too.
A message flagged for any reason gets a low confidence and goes to a person, with the reason.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

__all__ = [
    "NOT_CHINESE",
    "REASONS",
    "TOO_SHORT",
    "UNKNOWN_TERMS",
    "UNLIKE_HISTORY",
    "Limits",
    "fit_limits",
    "judge",
    "text_shape",
]

NOT_CHINESE = "not_chinese"
TOO_SHORT = "too_short"
UNKNOWN_TERMS = "unknown_terms"
UNLIKE_HISTORY = "unlike_history"
REASONS = (NOT_CHINESE, TOO_SHORT, UNKNOWN_TERMS, UNLIKE_HISTORY)
"""Every reason code, in the order they are checked."""

MIN_HAN_SHARE = 0.3
CONFIDENCE_CAP = 0.5
"""The highest confidence a flagged message may show (below every auto-dispatch threshold)."""

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")  # letters of any script, Chinese characters included


@dataclass(frozen=True)
class Limits:
    """Where a message stops looking like the training data (stored in the model's metadata)."""

    min_han: int = 10
    min_coverage: float = 0.0  # share of the message's character n-grams found in the vocabulary
    min_similarity: float = 0.0  # cosine similarity to the nearest class centroid

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Limits:
        data = data or {}
        known = {"min_han", "min_coverage", "min_similarity"}
        return cls(**{k: v for k, v in data.items() if k in known})


def text_shape(text: str) -> tuple[int, float]:
    """(Chinese characters, their share of the letters and characters) of a normalised text."""
    han = len(_HAN.findall(text))
    visible = len(_LETTER.findall(text))
    return han, (han / visible if visible else 0.0)


def judge(text: str, coverage: float, similarity: float, limits: Limits) -> str | None:
    """The first reason the message is unlike the training data, or None when it looks like it."""
    han, share = text_shape(text)
    if share < MIN_HAN_SHARE:
        return NOT_CHINESE
    if han < limits.min_han:
        return TOO_SHORT
    if coverage < limits.min_coverage:
        return UNKNOWN_TERMS
    if similarity < limits.min_similarity:
        return UNLIKE_HISTORY
    return None


def fit_limits(coverage: np.ndarray, similarity: np.ndarray, quantile: float, min_han: int = 10) -> Limits:
    """Limits at the ``quantile`` of out-of-fold coverage and centroid similarity (0: never flag)."""
    if quantile <= 0 or not len(coverage):
        return Limits(min_han=min_han)
    return Limits(
        min_han=min_han,
        min_coverage=float(np.quantile(coverage, quantile)),
        min_similarity=float(np.quantile(similarity, quantile)),
    )
