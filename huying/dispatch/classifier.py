"""Domain classifier for 智能派单: which 一级分类 (城乡建设, 教育文体 …) a citizen's message belongs to.

Model (chosen by 5-fold cross-validation on the training set, see docs/adr/0005-dispatch-classifier.md):

* text: :func:`huying.dispatch.normalize.normalize_text`, clipped to its head and tail (the topic is
  stated early; the clip bounds latency); for the features only, place codes of the anonymised
  source (``A市``, ``A1区``) become ``某`` and digits become ``0``, so the model cannot learn
  source-specific tokens;
* features: TF-IDF (raw term frequency, l2-normalised) of character 1-2-grams;
* classifier: one-vs-rest linear SVMs on naive-Bayes-scaled features (NB-SVM, Wang & Manning 2012),
  classes balanced; the NB ratios are folded into the weights, so a prediction is one dot product;
* confidence: softmax of the decision scores with a temperature fitted on out-of-fold scores; the same
  out-of-fold scores give the suggested auto-dispatch threshold (the lowest confidence at which at
  least ``target_precision`` of the suggestions were right).

Files are ``.npz`` archives of plain arrays plus JSON metadata: loading one never runs code.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from .normalize import normalize_text

__all__ = ["FORMAT_VERSION", "Model", "ModelConfig", "ModelFormatError", "Prediction", "load", "save", "train"]

FORMAT_VERSION = 1

Prediction = tuple[str, float, list[tuple[str, float]]]
"""``(label, confidence, top3)``; ``top3`` holds ``(label, confidence)`` pairs, most likely first."""


class ModelFormatError(ValueError):
    """The file is not a dispatch model this code can read."""


@dataclass(frozen=True)
class ModelConfig:
    ngram_max: int = 2  # character 1..ngram_max-grams (at most 3)
    min_df: int = 2  # lowered to 1 for tiny training sets
    sublinear_tf: bool = False
    mask_places: bool = True  # 'a1区' → '某区' (features only)
    mask_digits: bool = True  # '2019' → '0000' (features only)
    clip_head: int = 2000  # characters kept from the start of a long message …
    clip_tail: int = 500  # … and from its end
    C: float = 1.0
    nb_alpha: float = 0.1  # smoothing of the naive-Bayes log-count ratios
    cv_folds: int = 5  # 0 or 1: no cross-validation (no CV figures, temperature 1, no threshold)
    seed: int = 2020
    target_precision: float = 0.95  # for the suggested auto-dispatch threshold


# Place codes of the anonymised source, after normalisation (lowercase): "a市", "a1区", "k9县".
_PLACE = re.compile(r"(?<![a-z0-9])[a-z]\d{0,2}(?=[市区县])")
_DIGIT = re.compile(r"[0-9]")


def _feature_text(text: str, cfg: ModelConfig) -> str:
    s = normalize_text(text).replace("\x00", "")
    if len(s) > cfg.clip_head + cfg.clip_tail:
        s = s[: cfg.clip_head] + " " + s[-cfg.clip_tail :]
    if cfg.mask_places:
        s = _PLACE.sub("某", s)
    if cfg.mask_digits:
        s = _DIGIT.sub("0", s)
    return s


def _char_ngrams(text: str, ngram_max: int) -> list[str]:
    """Character 1..ngram_max-grams, as scikit-learn's ``analyzer="char"`` makes them."""
    grams = list(text)
    for n in range(2, ngram_max + 1):
        grams.extend(text[i : i + n] for i in range(len(text) - n + 1))
    return grams


def _gram_keys(text: str, ngram_max: int) -> np.ndarray:
    """Every 1..ngram_max-gram of ``text`` as one int64 (21 bits per code point; NUL never occurs)."""
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    keys = [cps]
    for n in range(2, ngram_max + 1):
        if len(cps) < n:
            break
        key = cps[: len(cps) - n + 1].copy()
        for k in range(1, n):
            key = (key << 21) | cps[k : len(cps) - n + 1 + k]
        keys.append(key)
    return np.concatenate(keys)


def _term_key(term: str) -> int:
    """The key :func:`_gram_keys` gives the n-gram ``term``."""
    key = 0
    for ch in term:
        key = (key << 21) | ord(ch)
    return key


@dataclass
class _Weights:
    """Everything a prediction needs, as plain arrays."""

    terms: list[str]
    idf: np.ndarray  # (n_features,)
    coef: np.ndarray  # (n_features, n_classes), NB ratios folded in
    intercept: np.ndarray  # (n_classes,)
    keys: np.ndarray = field(init=False, repr=False)  # sorted n-gram keys of the terms …
    columns: np.ndarray = field(init=False, repr=False)  # … and their feature columns

    def __post_init__(self) -> None:
        term_keys = np.fromiter((_term_key(t) for t in self.terms), dtype=np.int64, count=len(self.terms))
        self.columns = np.argsort(term_keys, kind="stable")
        self.keys = term_keys[self.columns]

    def scores_one(self, feature_text: str, cfg: ModelConfig) -> np.ndarray:
        grams, counts = np.unique(_gram_keys(feature_text, cfg.ngram_max), return_counts=True)
        at = np.minimum(np.searchsorted(self.keys, grams), len(self.keys) - 1)
        found = self.keys[at] == grams
        if not found.any():
            return self.intercept.copy()
        columns = self.columns[at[found]]
        tf = counts[found].astype(np.float64)
        if cfg.sublinear_tf:
            tf = 1.0 + np.log(tf)
        x = tf * self.idf[columns]
        x /= math.sqrt(float(x @ x))
        return np.asarray(x @ self.coef[columns]) + self.intercept


def _fit(feature_texts: Sequence[str], y: np.ndarray, classes: np.ndarray, cfg: ModelConfig) -> _Weights:
    min_df = cfg.min_df if len(feature_texts) >= 20 * cfg.min_df else 1
    vec = TfidfVectorizer(
        analyzer=lambda s: _char_ngrams(s, cfg.ngram_max),
        min_df=min_df,
        sublinear_tf=cfg.sublinear_tf,
        dtype=np.float64,
    )
    x = vec.fit_transform(feature_texts).tocsr()
    coef = np.zeros((x.shape[1], len(classes)))
    intercept = np.zeros(len(classes))
    for i, label in enumerate(classes):
        positive = y == label
        p = cfg.nb_alpha + np.asarray(x[positive].sum(axis=0)).ravel()
        q = cfg.nb_alpha + np.asarray(x[~positive].sum(axis=0)).ravel()
        ratio = np.log((p / p.sum()) / (q / q.sum()))
        svm = LinearSVC(C=cfg.C, class_weight="balanced", max_iter=5000, random_state=cfg.seed)
        svm.fit(x.multiply(ratio).tocsr(), positive)
        coef[:, i] = svm.coef_.ravel() * ratio  # (x ∘ r)·w == x·(r ∘ w)
        intercept[i] = svm.intercept_[0]
    terms = [""] * len(vec.vocabulary_)
    for term, j in vec.vocabulary_.items():
        terms[j] = term
    return _Weights(terms=terms, idf=vec.idf_.astype(np.float64), coef=coef.astype(np.float32), intercept=intercept)


def _softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = np.atleast_2d(scores) * temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def _fit_temperature(scores: np.ndarray, truth_idx: np.ndarray) -> float:
    """Inverse temperature minimising the negative log-likelihood of out-of-fold scores."""
    best_t, best_nll = 1.0, math.inf
    for t in np.geomspace(0.1, 100, 121):
        p = _softmax(scores, float(t))[np.arange(len(truth_idx)), truth_idx]
        nll = float(-np.mean(np.log(np.clip(p, 1e-12, None))))
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


def _auto_threshold(confidence: np.ndarray, correct: np.ndarray, target: float) -> tuple[float | None, float]:
    """Lowest confidence t such that suggestions with confidence ≥ t were right ≥ target of the time."""
    order = np.argsort(-confidence, kind="stable")
    precision = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    ok = np.nonzero(precision >= target)[0]
    if not len(ok):
        return None, 0.0
    last = int(ok[-1])
    return float(confidence[order][last]), (last + 1) / len(order)


@dataclass
class Model:
    """A trained classifier; build it with :func:`train`, persist it with :func:`save` / :func:`load`."""

    config: ModelConfig
    classes: list[str]
    weights: _Weights
    temperature: float = 1.0
    metadata: dict[str, Any] = field(default_factory=dict)

    def scores(self, text: str) -> np.ndarray:
        """Raw decision scores, one per class in :attr:`classes` order."""
        return self.weights.scores_one(_feature_text(text, self.config), self.config)

    def proba(self, text: str) -> np.ndarray:
        """Calibrated confidences in :attr:`classes` order; they sum to 1."""
        return _softmax(self.scores(text), self.temperature)[0]

    def predict_top(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` most likely labels with their confidences, most likely first."""
        proba = self.proba(text)
        order = np.argsort(-proba, kind="stable")[: max(k, 0)]
        return [(self.classes[i], float(proba[i])) for i in order]

    def predict(self, text: str) -> Prediction:
        """``(label, confidence, top3)`` for one message (title + body)."""
        top = self.predict_top(text, 3)
        return top[0][0], top[0][1], top

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        return [self.predict(t) for t in texts]

    @property
    def auto_threshold(self) -> float | None:
        """Suggested confidence from which a message may be dispatched without a person (None: never)."""
        value = self.metadata.get("auto_threshold")
        return None if value is None else float(value)


def train(texts: Sequence[str], labels: Sequence[str], config: ModelConfig | None = None) -> Model:
    """Train on ``texts`` (title + body, as citizens wrote them) and their ``labels``.

    With at least ``cv_folds`` examples per label, a stratified k-fold cross-validation (fixed seed)
    first gives the out-of-fold scores behind the reported CV figures, the confidence temperature and
    the auto-dispatch threshold; then the final model is fitted on everything.
    """
    cfg = config or ModelConfig()
    if not 1 <= cfg.ngram_max <= 3:
        raise ValueError("ngram_max must be 1, 2 or 3")
    if len(texts) != len(labels):
        raise ValueError("texts and labels differ in length")
    y = np.asarray([str(label) for label in labels])
    classes = np.unique(y)
    if len(classes) < 2:
        raise ValueError("training data needs at least two labels")
    started = time.perf_counter()
    trained_at = dt.datetime.now(dt.UTC)
    docs = [_feature_text(t, cfg) for t in texts]
    _, counts = np.unique(y, return_counts=True)
    folds = min(cfg.cv_folds, int(counts.min()))
    meta: dict[str, Any] = {"cv_folds": 0, "cv_macro_f1": None, "cv_accuracy": None, "auto_threshold": None}
    temperature = 1.0
    if folds >= 2:
        oof = np.zeros((len(y), len(classes)))
        splitter = StratifiedKFold(folds, shuffle=True, random_state=cfg.seed)
        for fit_idx, val_idx in splitter.split(np.zeros(len(y)), y):
            part = _fit([docs[i] for i in fit_idx], y[fit_idx], classes, cfg)
            for i in val_idx:
                oof[i] = part.scores_one(docs[i], cfg)
        truth = np.searchsorted(classes, y)
        predicted = oof.argmax(axis=1)
        temperature = _fit_temperature(oof, truth)
        confidence = _softmax(oof, temperature).max(axis=1)
        threshold, coverage = _auto_threshold(confidence, predicted == truth, cfg.target_precision)
        meta.update(
            cv_folds=folds,
            cv_macro_f1=float(f1_score(truth, predicted, average="macro")),
            cv_accuracy=float(np.mean(predicted == truth)),
            auto_threshold=threshold,
            auto_coverage=coverage,
        )
    weights = _fit(docs, y, classes, cfg)
    meta.update(
        format_version=FORMAT_VERSION,
        trained_at=trained_at.isoformat(timespec="seconds"),
        training_seconds=round(time.perf_counter() - started, 3),
        n_samples=len(y),
        n_features=len(weights.terms),
        classes=[str(c) for c in classes],
        temperature=temperature,
        config=asdict(cfg),
    )
    return Model(config=cfg, classes=[str(c) for c in classes], weights=weights, temperature=temperature, metadata=meta)


def save(model: Model, path: str | Path) -> None:
    """Write ``model`` to ``path`` (an ``.npz`` archive; the name is used as given)."""
    meta = dict(model.metadata, format_version=FORMAT_VERSION, config=asdict(model.config))
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        meta=np.array(json.dumps(meta, ensure_ascii=False)),
        classes=np.array(model.classes),
        terms=np.array(model.weights.terms),
        idf=model.weights.idf,
        coef=model.weights.coef.astype(np.float32),
        intercept=model.weights.intercept,
        temperature=np.array(model.temperature),
    )
    Path(path).write_bytes(buffer.getvalue())


def load(path: str | Path) -> Model:
    """Read a model written by :func:`save`; :class:`ModelFormatError` when it is not one of this format."""
    try:
        with np.load(Path(path), allow_pickle=False) as archive:
            meta = json.loads(str(archive["meta"][()]))
            if meta.get("format_version") != FORMAT_VERSION:
                raise ModelFormatError(
                    f"{path}: model format {meta.get('format_version')!r}, this code reads {FORMAT_VERSION}"
                )
            known = {f.name for f in fields(ModelConfig)}
            cfg = ModelConfig(**{k: v for k, v in meta["config"].items() if k in known})
            weights = _Weights(
                terms=[str(t) for t in archive["terms"]],
                idf=archive["idf"].astype(np.float64),
                coef=archive["coef"].astype(np.float32),
                intercept=archive["intercept"].astype(np.float64),
            )
            classes = [str(c) for c in archive["classes"]]
            temperature = float(archive["temperature"])
    except ModelFormatError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelFormatError(f"{path}: not a dispatch model file ({exc})") from exc
    return Model(config=cfg, classes=classes, weights=weights, temperature=temperature, metadata=meta)
