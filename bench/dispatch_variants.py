"""Cross-validated macro-F1 of the dispatch classifier's variants (ADR 0005, the head channel measured alone).

Reads ``../shared/data/dispatch/train.csv`` only: 5-fold stratified cross-validation, seeds 2020,
7 and 11, every fit inside its fold. test.csv is never read here. Prints one line per variant:

    .venv/bin/python bench/dispatch_variants.py            # all variants, ~4 min on 2 cores
    .venv/bin/python bench/dispatch_variants.py current head30

Variants: ``current`` (the shipped model: NB-SVM on character 1-2-grams), ``head30`` (plus a
second NB-SVM on the first 30 characters, scores added with weight 0.5), ``crops`` (each training
message also as 3 random windows of 30-120 characters, weight 0.5), ``skipgrams`` (plus character
pairs one apart, "a_c").
"""

from __future__ import annotations

import csv
import random
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared/data/dispatch/train.csv"
sys.path.insert(0, str(ROOT))

from huying.dispatch.classifier import ModelConfig, _char_ngrams, _feature_text  # noqa: E402

SEEDS = (2020, 7, 11)
Fold = Callable[[list[str], np.ndarray, list[str], int], np.ndarray]


def _analyzer(skipgrams: bool) -> Callable[[str], list[str]]:
    def grams(s: str) -> list[str]:
        out = _char_ngrams(s, 2)
        if skipgrams:
            out.extend(f"{s[i]}_{s[i + 2]}" for i in range(len(s) - 2))
        return out

    return grams


def _nbsvm(
    train: Sequence[str],
    y: np.ndarray,
    test: Sequence[str],
    classes: np.ndarray,
    *,
    skipgrams: bool = False,
    weight: np.ndarray | None = None,
) -> np.ndarray:
    """One-vs-rest NB-SVM as ``huying.dispatch.classifier._fit`` builds it (α 0.1, C 1, balanced)."""
    vec = TfidfVectorizer(analyzer=_analyzer(skipgrams), min_df=2)
    x = vec.fit_transform(train).tocsr()
    xt = vec.transform(test).tocsr()
    xw = x if weight is None else sparse.diags(weight) @ x
    scores = np.zeros((len(test), len(classes)))
    for i, label in enumerate(classes):
        positive = y == label
        p = 0.1 + np.asarray(xw[positive].sum(axis=0)).ravel()
        q = 0.1 + np.asarray(xw[~positive].sum(axis=0)).ravel()
        ratio = np.log((p / p.sum()) / (q / q.sum()))
        svm = LinearSVC(C=1.0, class_weight="balanced", max_iter=5000, random_state=0)
        svm.fit(x.multiply(ratio).tocsr(), positive, sample_weight=weight)
        scores[:, i] = xt.multiply(ratio).tocsr() @ svm.coef_.ravel() + svm.intercept_[0]
    return scores


def current(train: list[str], y: np.ndarray, test: list[str], seed: int) -> np.ndarray:
    return _nbsvm(train, y, test, np.unique(y))


def head30(train: list[str], y: np.ndarray, test: list[str], seed: int) -> np.ndarray:
    classes = np.unique(y)
    head = _nbsvm([s[:30] for s in train], y, [s[:30] for s in test], classes)
    return _nbsvm(train, y, test, classes) + 0.5 * head


def crops(train: list[str], y: np.ndarray, test: list[str], seed: int) -> np.ndarray:
    rng = random.Random(seed)
    docs, labels, weight = list(train), list(y), [1.0] * len(train)
    for text, label in zip(train, y, strict=True):
        for _ in range(3):
            length = rng.randint(30, 120)
            start = rng.randint(0, max(0, len(text) - length))
            docs.append(text[start : start + length])
            labels.append(label)
            weight.append(0.5)
    return _nbsvm(docs, np.array(labels), test, np.unique(y), weight=np.array(weight))


def skipgrams(train: list[str], y: np.ndarray, test: list[str], seed: int) -> np.ndarray:
    return _nbsvm(train, y, test, np.unique(y), skipgrams=True)


VARIANTS: dict[str, Fold] = {"current": current, "head30": head30, "crops": crops, "skipgrams": skipgrams}


def evaluate(name: str) -> tuple[str, list[float], float]:
    started = time.perf_counter()
    with TRAIN.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    cfg = ModelConfig()
    texts = [_feature_text(r["text"], cfg) for r in rows]
    y = np.array([r["label"] for r in rows])
    classes = np.unique(y)
    figures = []
    for seed in SEEDS:
        predicted = np.empty(len(y), dtype=object)
        for fit_idx, val_idx in StratifiedKFold(5, shuffle=True, random_state=seed).split(texts, y):
            scores = VARIANTS[name]([texts[i] for i in fit_idx], y[fit_idx], [texts[i] for i in val_idx], seed)
            predicted[val_idx] = classes[scores.argmax(axis=1)]
        figures.append(float(f1_score(y, predicted, average="macro")))
    return name, figures, time.perf_counter() - started


def main(argv: list[str]) -> None:
    names = argv or list(VARIANTS)
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        raise SystemExit(f"unknown variant(s) {unknown}; choose from {list(VARIANTS)}")
    print(f"5-fold CV on {TRAIN.name}, seeds {SEEDS}; macro-F1 mean, then per seed")
    with ProcessPoolExecutor(max_workers=2) as pool:
        for name, figures, seconds in pool.map(evaluate, names):
            per_seed = " / ".join(f"{f:.4f}" for f in figures)
            print(f"{name:10s} {np.mean(figures):.4f}   {per_seed}   ({seconds:.0f} s)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
