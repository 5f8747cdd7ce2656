"""Domain classifier for 智能派单: which 一级分类 (城乡建设, 教育文体 …) a citizen's message belongs to.

Model (chosen by 5-fold cross-validation on the training set, see docs/adr/0005-dispatch-classifier.md):

* every text goes through :func:`huying.dispatch.normalize.normalize_text`, after clipping very long
  messages to their head and tail (the topic is stated early; the clip bounds the latency);
* features: TF-IDF of character 1-2-grams of the message, plus TF-IDF of character 1-3-grams of its
  "head" (the title when there is one, else the first 30 characters) at half weight;
* classifier: one-vs-rest linear SVMs on naive-Bayes-scaled features (NB-SVM, Wang & Manning 2012),
  classes balanced; the NB ratios are folded into the weights, so prediction is one sparse product;
* confidence: softmax of the decision scores with a temperature fitted on out-of-fold scores, so that
  "0.9" means about nine in ten right; the same out-of-fold scores give a suggested auto-dispatch
  threshold (the lowest confidence at which at least 95 % of suggestions were right).

Pickled models are code: only :func:`load` files this project wrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from .normalize import normalize_text

__all__ = ["Model", "ModelConfig", "load", "save", "train"]

FORMAT_VERSION = 1


@dataclass(frozen=True)
class ModelConfig:
    head_chars: int = 30  # "head" when no title is given
    head_weight: float = 0.5
    clip_head: int = 2000  # characters kept from the start of a long message …
    clip_tail: int = 500  # … and from its end
    min_df: int = 2
    C: float = 1.0
    nb_alpha: float = 0.1  # smoothing of the naive-Bayes log-count ratios
    cv_folds: int = 5
    seed: int = 2020
    target_precision: float = 0.95  # for the suggested auto-dispatch threshold


def _clip(text: str, cfg: ModelConfig) -> str:
    if len(text) <= cfg.clip_head + cfg.clip_tail:
        return text
    return text[: cfg.clip_head] + " " + text[-cfg.clip_tail :]


def _prepare(text: str, title: str, cfg: ModelConfig) -> tuple[str, str]:
    body = normalize_text(_clip(text or "", cfg))
    head = normalize_text(title) if title else ""
    return body, head or body[: cfg.head_chars]


def _vectorizer(ngram_max: int, min_df: int) -> TfidfVectorizer:
    # Texts are already normalised (lowercased); keep the vectorizer from touching them again.
    return TfidfVectorizer(
        analyzer="char", ngram_range=(1, ngram_max), min_df=min_df, lowercase=False, dtype=np.float32
    )


@dataclass
class _Fitted:
    body_vec: TfidfVectorizer
    head_vec: TfidfVectorizer
    classes: np.ndarray
    coef_body: np.ndarray  # (n_body_features, n_classes)
    coef_head: np.ndarray  # (n_head_features, n_classes), head weight folded in
    intercept: np.ndarray  # (n_classes,)

    def scores(self, bodies: Sequence[str], heads: Sequence[str]) -> np.ndarray:
        xb = self.body_vec.transform(bodies)
        xh = self.head_vec.transform(heads)
        return np.asarray(xb @ self.coef_body + xh @ self.coef_head) + self.intercept


def _fit(bodies: Sequence[str], heads: Sequence[str], labels: np.ndarray, cfg: ModelConfig) -> _Fitted:
    min_df = cfg.min_df if len(bodies) >= 20 * cfg.min_df else 1
    body_vec = _vectorizer(2, min_df)
    head_vec = _vectorizer(3, min_df)
    x = sp.hstack([body_vec.fit_transform(bodies), cfg.head_weight * head_vec.fit_transform(heads)]).tocsr()
    classes = np.unique(labels)
    if len(classes) < 2:
        raise ValueError("training data needs at least two labels")
    n_body = len(body_vec.vocabulary_)
    coef = np.zeros((x.shape[1], len(classes)), dtype=np.float64)
    intercept = np.zeros(len(classes), dtype=np.float64)
    for i, label in enumerate(classes):
        positive = labels == label
        p = cfg.nb_alpha + np.asarray(x[positive].sum(axis=0)).ravel()
        q = cfg.nb_alpha + np.asarray(x[~positive].sum(axis=0)).ravel()
        ratio = np.log((p / p.sum()) / (q / q.sum()))
        svm = LinearSVC(C=cfg.C, class_weight="balanced", max_iter=5000)
        svm.fit(x.multiply(ratio).tocsr(), positive)
        coef[:, i] = svm.coef_.ravel() * ratio  # (x ∘ r)·w == x·(r ∘ w)
        intercept[i] = svm.intercept_[0]
    return _Fitted(
        body_vec=body_vec,
        head_vec=head_vec,
        classes=classes,
        coef_body=coef[:n_body].astype(np.float32),
        coef_head=(cfg.head_weight * coef[n_body:]).astype(np.float32),
        intercept=intercept,
    )


def _softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores * temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _fit_temperature(scores: np.ndarray, truth_idx: np.ndarray) -> float:
    """Inverse temperature minimising the negative log-likelihood of out-of-fold scores."""
    best_t, best_nll = 1.0, np.inf
    for t in np.geomspace(0.1, 100, 121):
        p = _softmax(scores, float(t))[np.arange(len(truth_idx)), truth_idx]
        nll = -np.mean(np.log(np.clip(p, 1e-12, None)))
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


def _auto_threshold(confidence: np.ndarray, correct: np.ndarray, target: float) -> tuple[float | None, float]:
    """Lowest confidence t such that suggestions with confidence ≥ t were right ≥ target of the time."""
    order = np.argsort(-confidence)
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
    fitted: _Fitted
    temperature: float = 1.0
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return [str(c) for c in self.fitted.classes]

    def scores(self, texts: Sequence[str], titles: Sequence[str] | None = None) -> np.ndarray:
        titles = titles if titles is not None else [""] * len(texts)
        prepared = [_prepare(t, h, self.config) for t, h in zip(texts, titles, strict=True)]
        return self.fitted.scores([b for b, _ in prepared], [h for _, h in prepared])

    def predict_proba(self, texts: Sequence[str], titles: Sequence[str] | None = None) -> np.ndarray:
        """Calibrated confidences, one row per text, columns in :attr:`labels` order; rows sum to 1."""
        return _softmax(self.scores(texts, titles), self.temperature)

    def predict(self, texts: Sequence[str], titles: Sequence[str] | None = None) -> list[str]:
        idx = self.scores(texts, titles).argmax(axis=1)
        return [str(self.fitted.classes[i]) for i in idx]

    def predict_top(self, text: str, k: int = 3, title: str = "") -> list[tuple[str, float]]:
        """The k most likely labels with their confidences, most likely first."""
        proba = self.predict_proba([text], [title])[0]
        order = np.argsort(-proba)[: max(k, 0)]
        return [(str(self.fitted.classes[i]), float(proba[i])) for i in order]

    @property
    def auto_threshold(self) -> float | None:
        """Suggested confidence above which a message may be dispatched without a person (None: never)."""
        return self.metadata.get("auto_threshold")

    def save(self, path: str | Path) -> None:
        save(self, path)

    @classmethod
    def load(cls, path: str | Path) -> Model:
        return load(path)


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    titles: Sequence[str] | None = None,
    config: ModelConfig | None = None,
) -> Model:
    """Train on ``texts`` (title + body, as citizens wrote them) and their ``labels``.

    With enough data per label, a stratified k-fold cross-validation (fixed seed) on the same data
    gives the out-of-fold scores used for the reported CV figures, the confidence temperature and the
    auto-dispatch threshold; then the final model is fitted on everything.
    """
    cfg = config or ModelConfig()
    if len(texts) != len(labels):
        raise ValueError("texts and labels differ in length")
    titles = list(titles) if titles is not None else [""] * len(texts)
    y = np.asarray([str(label) for label in labels])
    prepared = [_prepare(t, h, cfg) for t, h in zip(texts, titles, strict=True)]
    bodies = [b for b, _ in prepared]
    heads = [h for _, h in prepared]

    started = dt.datetime.now(dt.UTC)
    _, counts = np.unique(y, return_counts=True)
    folds = min(cfg.cv_folds, int(counts.min()))
    meta: dict[str, Any] = {"format": FORMAT_VERSION, "n_samples": len(y), "cv_folds": 0}
    temperature = 1.0
    if folds >= 2:
        classes = np.unique(y)
        oof = np.zeros((len(y), len(classes)))
        splitter = StratifiedKFold(folds, shuffle=True, random_state=cfg.seed)
        for fit_idx, val_idx in splitter.split(np.zeros(len(y)), y):
            part = _fit([bodies[i] for i in fit_idx], [heads[i] for i in fit_idx], y[fit_idx], cfg)
            oof[val_idx] = part.scores([bodies[i] for i in val_idx], [heads[i] for i in val_idx])
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
    fitted = _fit(bodies, heads, y, cfg)
    meta.update(
        trained_at=started.isoformat(timespec="seconds"),
        labels=[str(c) for c in fitted.classes],
        temperature=temperature,
        config=asdict(cfg),
    )
    return Model(config=cfg, fitted=fitted, temperature=temperature, metadata=meta)


def save(model: Model, path: str | Path) -> None:
    import joblib

    joblib.dump(model, Path(path), compress=3)


def load(path: str | Path) -> Model:
    """Load a model written by :func:`save` (trusted files only: this unpickles)."""
    import joblib

    model = joblib.load(Path(path))
    if not isinstance(model, Model) or model.metadata.get("format") != FORMAT_VERSION:
        raise ValueError(f"{path} is not a dispatch model of format {FORMAT_VERSION}")
    return model
