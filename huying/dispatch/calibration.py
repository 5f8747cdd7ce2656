"""Confidence that means something: calibration of the dispatch classifier (plain Python, no Django).

Everything here is fitted on *out-of-fold* scores (each training message scored by a model that did
not see it), never on the scores of the final model on its own training data:

* a softmax temperature (negative log-likelihood), then
* an isotonic map from that softmax's top probability to the share of such suggestions that were
  right (top-label calibration), stored as breakpoints, applied with ``np.interp``;
* the auto-dispatch threshold: the lowest calibrated confidence at which at least
  ``target_precision`` of the out-of-fold suggestions were right;
* whether the cross-validation can tell anything at all (:func:`not_measurable`): templated texts
  that every fold gets right say nothing about real messages, so such a model gets no threshold;
* the out-of-distribution limits (:mod:`huying.dispatch.ood`): unknown terms at a low quantile of
  the held-out vocabulary coverage; the centroid-similarity limit as strict as possible while the
  held-out messages keep ``min_auto_coverage`` of automatic dispatch (a message from another city
  that is unlike this history is safer with a person than with the model).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import ood

__all__ = [
    "TOO_FEW_PER_CLASS",
    "TOO_FEW_TEXTS",
    "TOO_PERFECT",
    "Calibrated",
    "OutOfFold",
    "auto_threshold",
    "calibrate",
    "deployment_threshold",
    "expected_calibration_error",
    "fit_isotonic",
    "fit_temperature",
    "not_measurable",
    "softmax",
]

# Why cross-validated figures cannot be trusted (stored in the model's metadata).
TOO_FEW_TEXTS = "too_few_distinct_texts"
TOO_FEW_PER_CLASS = "too_few_per_class"
TOO_PERFECT = "cv_perfect"

MIN_DISTINCT_TEXTS = 200
MIN_PER_CLASS = 20
MAX_CREDIBLE_F1 = 0.99


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    """Row-wise softmax of ``scores × temperature`` (the 'temperature' is an inverse one)."""
    z = np.atleast_2d(scores) * temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def fit_temperature(scores: np.ndarray, truth_idx: np.ndarray) -> float:
    """Inverse temperature minimising the negative log-likelihood of out-of-fold scores."""
    best_t, best_nll = 1.0, math.inf
    for t in np.geomspace(0.1, 100, 121):
        p = softmax(scores, float(t))[np.arange(len(truth_idx)), truth_idx]
        nll = float(-np.mean(np.log(np.clip(p, 1e-12, None))))
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


def fit_isotonic(top_proba: np.ndarray, correct: np.ndarray) -> tuple[list[float], list[float]]:
    """Breakpoints ``(x, y)`` of a non-decreasing map from top probability to observed accuracy.

    Pool-adjacent-violators on the messages sorted by probability; the map is then linear between
    the centres of the pooled blocks, so close probabilities keep distinct, ordered confidences.
    """
    order = np.argsort(top_proba, kind="stable")
    x, y = top_proba[order].astype(float), correct[order].astype(float)
    blocks: list[list[float]] = []  # [sum of y, count, sum of x]
    for xi, yi in zip(x, y, strict=True):
        blocks.append([yi, 1.0, xi])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            s, n, sx = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += n
            blocks[-1][2] += sx
    xs = [b[2] / b[1] for b in blocks]
    ys = [b[0] / b[1] for b in blocks]
    return [0.0, *xs, 1.0], [ys[0], *ys, ys[-1]]


def apply_isotonic(top_proba: float | np.ndarray, points: tuple[Sequence[float], Sequence[float]]) -> np.ndarray:
    return np.asarray(np.interp(top_proba, points[0], points[1]))


def auto_threshold(confidence: np.ndarray, correct: np.ndarray, target: float) -> tuple[float | None, float]:
    """Lowest confidence t such that the suggestions with confidence ≥ t were right ≥ ``target`` of
    the time, and the share of messages they cover; ``(None, 0.0)`` when no t reaches it.
    Equal confidences are taken or left together."""
    if not len(confidence):
        return None, 0.0
    values, inverse = np.unique(-confidence, return_inverse=True)  # highest confidence first
    right = np.bincount(inverse, weights=correct.astype(float), minlength=len(values))
    count = np.bincount(inverse, minlength=len(values)).astype(float)
    precision = np.cumsum(right) / np.cumsum(count)
    ok = np.nonzero(precision >= target)[0]
    if not len(ok):
        return None, 0.0
    last = int(ok[-1])
    return float(-values[last]), float(np.cumsum(count)[last] / len(confidence))


def not_measurable(texts: Sequence[str], labels: Sequence[str], cv_macro_f1: float | None) -> str | None:
    """Why cross-validation on these data cannot tell anything about real messages, or None.

    Few distinct texts or few per class, or a perfect score, are what templated (demo) data give:
    such figures must not set an auto-dispatch threshold.
    """
    if len(set(texts)) < MIN_DISTINCT_TEXTS:
        return TOO_FEW_TEXTS
    _, counts = np.unique(np.asarray(labels), return_counts=True)
    if counts.min() < MIN_PER_CLASS:
        return TOO_FEW_PER_CLASS
    if cv_macro_f1 is None or cv_macro_f1 >= MAX_CREDIBLE_F1:
        return TOO_PERFECT
    return None


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """ECE: mean |accuracy − confidence| over equal-width confidence bins, weighted by their size."""
    if not len(confidence):
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            total += inside.sum() * abs(float(correct[inside].mean()) - float(confidence[inside].mean()))
    return total / len(confidence)


def deployment_threshold(model_threshold: float | None, floor: float | None) -> float | None:
    """The confidence from which a deployment dispatches without a person: the model's own
    threshold, never below the configured ``floor``; None (never) when the model has none."""
    if model_threshold is None:
        return None
    return max(float(model_threshold), float(floor)) if floor is not None else float(model_threshold)


SIMILARITY_QUANTILES = (0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)


@dataclass
class OutOfFold:
    """Held-out scores of the training messages and what the OOD judgement needs of them."""

    scores: np.ndarray  # (n, n_classes) decision scores
    truth: np.ndarray  # (n,) index of the true class
    coverage: np.ndarray  # (n,) share of n-grams in the vocabulary
    similarity: np.ndarray  # (n,) cosine similarity to the nearest class centroid
    texts: list[str]  # feature texts (title + content), for the shape rules


@dataclass
class Calibrated:
    temperature: float
    isotonic: tuple[list[float], list[float]]
    limits: ood.Limits
    meta: dict[str, Any]


def _capped(confidence: np.ndarray, oof: OutOfFold, limits: ood.Limits) -> tuple[np.ndarray, np.ndarray]:
    flagged = np.array(
        [
            ood.judge(text, cov, sim, limits) is not None
            for text, cov, sim in zip(oof.texts, oof.coverage, oof.similarity, strict=True)
        ],
        dtype=bool,
    )
    return np.where(flagged, np.minimum(confidence, ood.CONFIDENCE_CAP), confidence), flagged


def calibrate(
    oof: OutOfFold,
    *,
    target_precision: float,
    min_han: int,
    coverage_quantile: float,
    min_auto_coverage: float,
    not_measurable: str | None,
) -> Calibrated:
    """Temperature, isotonic map, OOD limits, auto-dispatch threshold and CV figures from OOF scores."""
    predicted = oof.scores.argmax(axis=1)
    correct = predicted == oof.truth
    temperature = fit_temperature(oof.scores, oof.truth)
    top = softmax(oof.scores, temperature).max(axis=1)
    isotonic = fit_isotonic(top, correct)
    raw = apply_isotonic(top, isotonic)
    limits = ood.Limits(min_han=min_han)
    if not_measurable is None:  # templated data teach no limits either
        limits = ood.fit_limits(oof.coverage, oof.similarity, coverage_quantile, min_han)
        for q in SIMILARITY_QUANTILES:  # ascending: keep the strictest that leaves enough coverage
            trial = ood.Limits(min_han, limits.min_coverage, float(np.quantile(oof.similarity, q)))
            confidence, _ = _capped(raw, oof, trial)
            if auto_threshold(confidence, correct, target_precision)[1] < min_auto_coverage:
                break
            limits = trial
    confidence, flagged = _capped(raw, oof, limits)
    threshold, coverage = auto_threshold(confidence, correct, target_precision)
    if not_measurable is not None:
        threshold, coverage = None, 0.0
    meta = {
        "cv_accuracy": float(np.mean(correct)),
        "cv_ece": expected_calibration_error(confidence, correct),
        "cv_ood_share": float(np.mean(flagged)),
        "not_measurable": not_measurable,
        "auto_threshold": threshold,
        "auto_coverage": coverage,
    }
    return Calibrated(temperature, isotonic, limits, meta)
