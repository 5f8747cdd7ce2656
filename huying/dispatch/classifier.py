"""Domain classifier for 智能派单: which 一级分类 (城乡建设, 教育文体 …) a citizen's message belongs to.

Model (chosen by 5-fold cross-validation on the training set, see docs/adr/0005-dispatch-classifier.md):

* text: :func:`huying.dispatch.normalize.normalize_text`, clipped to its head and tail (the topic is
  stated early; the clip bounds latency); for the features only, place codes of the anonymised
  source (``A市``, ``A1区``) become ``某`` and digits become ``0``, so the model cannot learn
  source-specific tokens;
* features: TF-IDF (raw term frequency, l2-normalised) of character 1-2-grams;
* classifier: one-vs-rest linear SVMs on naive-Bayes-scaled features (NB-SVM, Wang & Manning 2012),
  classes balanced; the NB ratios are folded into the weights, so a prediction is one dot product;
* the title is a second channel that cannot outweigh what the message says: a title n-gram counts
  ``title_weight`` of a content one, lowered further so that the title's characters weigh at most
  ``title_share`` of the content's (a long title over a short message counts little);
* confidence: calibrated on out-of-fold scores (:mod:`huying.dispatch.calibration`: temperature,
  then an isotonic map to the observed accuracy); the same scores give the suggested auto-dispatch
  threshold (the lowest confidence at which at least ``target_precision`` of the suggestions were
  right), or none when cross-validation on these data cannot tell anything (templated texts);
* a message unlike the training data (:mod:`huying.dispatch.ood`: not Chinese, too short, unknown
  terms, far from every class centroid) gets a low confidence and a reason code;
* training takes sample weights, so a deployment's own corrections can count more than imported
  history.

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
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import normalize as l2_rows
from sklearn.svm import LinearSVC

from . import calibration, ood
from .normalize import normalize_text

__all__ = [
    "FORMAT_VERSION",
    "Assessment",
    "Model",
    "ModelConfig",
    "ModelFormatError",
    "Prediction",
    "load",
    "save",
    "split_title",
    "train",
]

FORMAT_VERSION = 2
LOCAL_WEIGHT = 2.0
"""Sample weight of a deployment's own corrections against imported history (chosen by CV, ADR 0005)."""
READABLE_FORMATS = (1, 2)

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
    target_precision: float = 0.96  # out-of-fold, for the suggested auto-dispatch threshold (0.95 + margin)
    title_channel: bool = True  # False: title and content as one text (format-1 models)
    title_weight: float = 1.0  # a title n-gram counts at most this much against a content one …
    title_share: float = 0.3  # … and the whole title at most this share of the content (in characters)
    ood_quantile: float = 0.02  # share of held-out training messages the vocabulary-coverage limit flags
    min_auto_coverage: float = 0.72  # the similarity limit is as strict as keeps this much auto-dispatch (OOF)
    min_han: int = 10  # fewer Chinese characters: "too short"


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


def _title_weight(content: str, title: str, cfg: ModelConfig) -> float:
    """How much one title n-gram counts: ``title_weight``, at most ``title_share`` × content / title."""
    if not content or not title:
        return cfg.title_weight
    return min(cfg.title_weight, cfg.title_share * len(content) / len(title))


def split_title(title: str, text: str) -> str:
    """The content of ``text`` when it is ``title`` + content (as in the published CSV files)."""
    return text[len(title) :] if title and text.startswith(title) else text


@dataclass
class _Weights:
    """Everything a prediction needs, as plain arrays."""

    terms: list[str]
    idf: np.ndarray  # (n_features,)
    coef: np.ndarray  # (n_features, n_classes), NB ratios folded in
    intercept: np.ndarray  # (n_classes,)
    centroids: np.ndarray | None = None  # (n_features, n_classes), l2-normalised class means
    keys: np.ndarray = field(init=False, repr=False)  # sorted n-gram keys of the terms …
    columns: np.ndarray = field(init=False, repr=False)  # … and their feature columns

    def __post_init__(self) -> None:
        term_keys = np.fromiter((_term_key(t) for t in self.terms), dtype=np.int64, count=len(self.terms))
        self.columns = np.argsort(term_keys, kind="stable")
        self.keys = term_keys[self.columns]

    def vector(self, content: str, title: str, cfg: ModelConfig) -> tuple[np.ndarray, np.ndarray, float]:
        """(feature columns, l2-normalised TF-IDF values, share of the n-grams in the vocabulary)."""
        grams = _gram_keys(content, cfg.ngram_max)
        weights = np.ones(len(grams))
        if title:
            title_grams = _gram_keys(title, cfg.ngram_max)
            grams = np.concatenate([grams, title_grams])
            weights = np.concatenate([weights, np.full(len(title_grams), _title_weight(content, title, cfg))])
        if not len(grams):
            return np.zeros(0, dtype=np.int64), np.zeros(0), 0.0
        unique, inverse = np.unique(grams, return_inverse=True)
        tf = np.bincount(inverse, weights=weights)
        at = np.minimum(np.searchsorted(self.keys, unique), len(self.keys) - 1)
        found = self.keys[at] == unique
        coverage = float(np.bincount(inverse, weights=found[inverse].astype(float)).sum() / len(grams))
        if not found.any():
            return np.zeros(0, dtype=np.int64), np.zeros(0), coverage
        columns = self.columns[at[found]]
        tf = tf[found]
        if cfg.sublinear_tf:
            tf = np.where(tf >= 1, 1.0 + np.log(np.maximum(tf, 1.0)), tf)
        x = tf * self.idf[columns]
        x /= math.sqrt(float(x @ x))
        return columns, x, coverage

    def look(self, content: str, title: str, cfg: ModelConfig) -> tuple[np.ndarray, float, float]:
        """(decision scores, vocabulary coverage, cosine similarity to the nearest class centroid)."""
        columns, x, coverage = self.vector(content, title, cfg)
        if not len(columns):
            return self.intercept.copy(), coverage, 0.0
        scores = np.asarray(x @ self.coef[columns]) + self.intercept
        similarity = 1.0 if self.centroids is None else float(np.max(x @ self.centroids[columns]))
        return scores, coverage, similarity

    def scores_one(self, feature_text: str, cfg: ModelConfig) -> np.ndarray:
        """Decision scores of one feature text (content only)."""
        return self.look(feature_text, "", cfg)[0]


def _analyzer(cfg: ModelConfig) -> Any:
    def grams(doc: tuple[str, str]) -> list[str]:
        return _char_ngrams(doc[0], cfg.ngram_max) + _char_ngrams(doc[1], cfg.ngram_max)

    return grams


def _fit(
    docs: Sequence[tuple[str, str]], y: np.ndarray, classes: np.ndarray, cfg: ModelConfig, weight: np.ndarray
) -> _Weights:
    """NB-SVM on (content, title) feature texts; ``weight``: one sample weight per message."""
    min_df = cfg.min_df if len(docs) >= 20 * cfg.min_df else 1
    vec = TfidfVectorizer(
        analyzer=_analyzer(cfg), min_df=min_df, norm=None, sublinear_tf=cfg.sublinear_tf, dtype=np.float64
    )
    vec.fit(docs)
    x = vec.transform([(c, "") for c, _t in docs])
    if any(t for _c, t in docs):  # (sublinear TF is applied per channel here, to the sum in prediction)
        factors = np.array([_title_weight(c, t, cfg) for c, t in docs])
        x = x + sparse.diags(factors) @ vec.transform([("", t) for _c, t in docs])
    x = l2_rows(x.tocsr())
    coef = np.zeros((x.shape[1], len(classes)))
    centroids = np.zeros((x.shape[1], len(classes)))
    intercept = np.zeros(len(classes))
    for i, label in enumerate(classes):
        positive = y == label
        p = cfg.nb_alpha + np.asarray(x.T @ (weight * positive)).ravel()
        q = cfg.nb_alpha + np.asarray(x.T @ (weight * ~positive)).ravel()
        ratio = np.log((p / p.sum()) / (q / q.sum()))
        svm = LinearSVC(C=cfg.C, class_weight="balanced", max_iter=5000, random_state=cfg.seed)
        svm.fit(x.multiply(ratio).tocsr(), positive, sample_weight=weight)
        coef[:, i] = svm.coef_.ravel() * ratio  # (x ∘ r)·w == x·(r ∘ w)
        intercept[i] = svm.intercept_[0]
        centre = p - cfg.nb_alpha
        centroids[:, i] = centre / max(float(np.linalg.norm(centre)), 1e-12)
    terms = [""] * len(vec.vocabulary_)
    for term, j in vec.vocabulary_.items():
        terms[j] = term
    return _Weights(
        terms=terms,
        idf=vec.idf_.astype(np.float64),
        coef=coef.astype(np.float32),
        intercept=intercept,
        centroids=centroids.astype(np.float32),
    )


@dataclass(frozen=True)
class Assessment:
    """One message judged: the suggestion, its calibrated confidence, and why it is unreliable (if so)."""

    label: str
    confidence: float
    top: list[tuple[str, float]]  # (label, confidence), most likely first
    reason: str | None = None  # an :mod:`ood` reason code: never dispatch without a person


@dataclass
class Model:
    """A trained classifier; build it with :func:`train`, persist it with :func:`save` / :func:`load`."""

    config: ModelConfig
    classes: list[str]
    weights: _Weights
    temperature: float = 1.0
    metadata: dict[str, Any] = field(default_factory=dict)
    isotonic: tuple[list[float], list[float]] | None = None
    limits: ood.Limits = field(default_factory=ood.Limits)

    def _docs(self, text: str, title: str | None) -> tuple[str, str]:
        if not self.config.title_channel or not title:
            return _feature_text(f"{title or ''}{text}", self.config), ""
        return _feature_text(text, self.config), _feature_text(title, self.config)

    def scores(self, text: str, title: str | None = None) -> np.ndarray:
        """Raw decision scores, one per class in :attr:`classes` order."""
        content, head = self._docs(text, title)
        return self.weights.look(content, head, self.config)[0]

    def proba(self, text: str, title: str | None = None) -> np.ndarray:
        """Softmax probabilities (temperature-scaled) in :attr:`classes` order; they sum to 1."""
        return calibration.softmax(self.scores(text, title), self.temperature)[0]

    def assess(self, text: str, title: str | None = None, k: int = 3) -> Assessment:
        """Suggestion, calibrated confidence, the ``k`` best labels, and an out-of-distribution reason.

        ``text`` is the content (or title + content when ``title`` is None)."""
        content, head = self._docs(text, title)
        scores, coverage, similarity = self.weights.look(content, head, self.config)
        proba = calibration.softmax(scores, self.temperature)[0]
        order = np.argsort(-proba, kind="stable")[: max(k, 1)]
        top_p = float(proba[order[0]])
        confidence = top_p
        if self.isotonic is not None:
            confidence = float(calibration.apply_isotonic(top_p, self.isotonic))
        reason = ood.judge(f"{head}{content}", coverage, similarity, self.limits)
        if reason is not None:
            confidence = min(confidence, ood.CONFIDENCE_CAP)
        scale = confidence / top_p if top_p > 0 else 0.0
        top = [(self.classes[i], float(proba[i]) * scale) for i in order]
        top[0] = (top[0][0], confidence)
        return Assessment(label=top[0][0], confidence=confidence, top=top[: max(k, 0)], reason=reason)

    def predict_top(self, text: str, k: int = 3, title: str | None = None) -> list[tuple[str, float]]:
        """The ``k`` most likely labels with their confidences, most likely first."""
        return self.assess(text, title, k).top

    def predict(self, text: str, title: str | None = None) -> Prediction:
        """``(label, confidence, top3)`` for one message (title + body, or body with ``title``)."""
        a = self.assess(text, title, 3)
        return a.label, a.confidence, a.top

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        return [self.predict(t) for t in texts]

    @property
    def auto_threshold(self) -> float | None:
        """Suggested confidence from which a message may be dispatched without a person (None: never)."""
        value = self.metadata.get("auto_threshold")
        return None if value is None else float(value)

    @property
    def not_measurable(self) -> str | None:
        """Why cross-validation could not measure this model (so it has no threshold), or None."""
        value = self.metadata.get("not_measurable")
        return None if value is None else str(value)


@dataclass
class _OutOfFold:
    scores: np.ndarray  # (n, n_classes)
    coverage: np.ndarray  # (n,)
    similarity: np.ndarray  # (n,)
    folds: int


def _cross_validate(
    docs: Sequence[tuple[str, str]], y: np.ndarray, classes: np.ndarray, cfg: ModelConfig, weight: np.ndarray
) -> _OutOfFold | None:
    """Every message scored by a model fitted without it (stratified k-fold, fixed seed)."""
    _, counts = np.unique(y, return_counts=True)
    folds = min(cfg.cv_folds, int(counts.min()))
    if folds < 2:
        return None
    oof = _OutOfFold(np.zeros((len(y), len(classes))), np.zeros(len(y)), np.zeros(len(y)), folds)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=cfg.seed)
    for fit_idx, val_idx in splitter.split(np.zeros(len(y)), y):
        part = _fit([docs[i] for i in fit_idx], y[fit_idx], classes, cfg, weight[fit_idx])
        for i in val_idx:
            oof.scores[i], oof.coverage[i], oof.similarity[i] = part.look(docs[i][0], docs[i][1], cfg)
    return oof


def _calibrate(
    oof: _OutOfFold, docs: Sequence[tuple[str, str]], y: np.ndarray, classes: np.ndarray, cfg: ModelConfig
) -> calibration.Calibrated:
    truth = np.searchsorted(classes, y)
    cv_f1 = float(f1_score(truth, oof.scores.argmax(axis=1), average="macro"))
    done = calibration.calibrate(
        calibration.OutOfFold(oof.scores, truth, oof.coverage, oof.similarity, [t + c for c, t in docs]),
        target_precision=cfg.target_precision,
        min_han=cfg.min_han,
        coverage_quantile=cfg.ood_quantile,
        min_auto_coverage=cfg.min_auto_coverage,
        not_measurable=calibration.not_measurable([c + t for c, t in docs], list(y), cv_f1),
    )
    done.meta.update(cv_folds=oof.folds, cv_macro_f1=cv_f1)
    return done


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    config: ModelConfig | None = None,
    *,
    titles: Sequence[str] | None = None,
    weights: Sequence[float] | None = None,
) -> Model:
    """Train on ``texts`` and their ``labels``.

    ``texts`` are title + body as citizens wrote them, or the bodies alone with ``titles`` (then the
    title is a minor channel). ``weights``: one per message (e.g. 4 for a deployment's own
    corrections, 1 for imported history). With at least ``cv_folds`` examples per label, a stratified
    k-fold cross-validation (fixed seed) first gives the out-of-fold scores behind the reported CV
    figures, the calibration, the OOD limits and the auto-dispatch threshold; then the final model
    is fitted on everything.
    """
    cfg = config or ModelConfig()
    if not 1 <= cfg.ngram_max <= 3:
        raise ValueError("ngram_max must be 1, 2 or 3")
    if len(texts) != len(labels) or (titles is not None and len(titles) != len(texts)):
        raise ValueError("texts, titles and labels differ in length")
    weight = np.ones(len(texts)) if weights is None else np.asarray(weights, dtype=np.float64)
    if len(weight) != len(texts) or (weight <= 0).any():
        raise ValueError("one positive weight per message")
    y = np.asarray([str(label) for label in labels])
    classes = np.unique(y)
    if len(classes) < 2:
        raise ValueError("training data needs at least two labels")
    started = time.perf_counter()
    trained_at = dt.datetime.now(dt.UTC)
    if titles is None or not cfg.title_channel:
        docs = [(_feature_text(f"{h}{t}", cfg), "") for h, t in zip(titles or [""] * len(texts), texts, strict=True)]
    else:
        docs = [(_feature_text(t, cfg), _feature_text(h, cfg)) for h, t in zip(titles, texts, strict=True)]
    meta: dict[str, Any] = {"cv_folds": 0, "cv_macro_f1": None, "cv_accuracy": None, "auto_threshold": None}
    meta["not_measurable"] = calibration.TOO_FEW_PER_CLASS
    temperature, isotonic, limits = 1.0, None, ood.Limits(min_han=cfg.min_han)
    oof = _cross_validate(docs, y, classes, cfg, weight)
    if oof is not None:
        done = _calibrate(oof, docs, y, classes, cfg)
        temperature, isotonic, limits = done.temperature, done.isotonic, done.limits
        meta.update(done.meta)
    fitted = _fit(docs, y, classes, cfg, weight)
    meta.update(
        format_version=FORMAT_VERSION,
        trained_at=trained_at.isoformat(timespec="seconds"),
        training_seconds=round(time.perf_counter() - started, 3),
        n_samples=len(y),
        n_weighted=float(weight.sum()),
        n_features=len(fitted.terms),
        classes=[str(c) for c in classes],
        temperature=temperature,
        isotonic=isotonic,
        ood_limits=limits.as_dict(),
        config=asdict(cfg),
    )
    names = [str(c) for c in classes]
    return Model(cfg, names, fitted, temperature, meta, isotonic=isotonic, limits=limits)


def save(model: Model, path: str | Path) -> None:
    """Write ``model`` to ``path`` (an ``.npz`` archive; the name is used as given)."""
    meta = dict(model.metadata, format_version=FORMAT_VERSION, config=asdict(model.config))
    arrays: dict[str, np.ndarray] = {
        "meta": np.array(json.dumps(meta, ensure_ascii=False)),
        "classes": np.array(model.classes),
        "terms": np.array(model.weights.terms),
        "idf": model.weights.idf,
        "coef": model.weights.coef.astype(np.float32),
        "intercept": model.weights.intercept,
        "temperature": np.array(model.temperature),
    }
    if model.weights.centroids is not None:
        arrays["centroids"] = model.weights.centroids.astype(np.float32)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    Path(path).write_bytes(buffer.getvalue())


def load(path: str | Path) -> Model:
    """Read a model written by :func:`save`; :class:`ModelFormatError` when it is not one of this format."""
    try:
        with np.load(Path(path), allow_pickle=False) as archive:
            meta = json.loads(str(archive["meta"][()]))
            version = meta.get("format_version")
            if version not in READABLE_FORMATS:
                raise ModelFormatError(f"{path}: model format {version!r}, this code reads {READABLE_FORMATS}")
            known = {f.name for f in fields(ModelConfig)}
            stored = {k: v for k, v in meta["config"].items() if k in known}
            if version == 1:  # title and content were one text; confidence was the softmax
                stored.update(title_channel=False, title_weight=1.0, ood_quantile=0.0)
            cfg = ModelConfig(**stored)
            weights = _Weights(
                terms=[str(t) for t in archive["terms"]],
                idf=archive["idf"].astype(np.float64),
                coef=archive["coef"].astype(np.float32),
                intercept=archive["intercept"].astype(np.float64),
                centroids=archive["centroids"].astype(np.float32) if "centroids" in archive.files else None,
            )
            classes = [str(c) for c in archive["classes"]]
            temperature = float(archive["temperature"])
    except ModelFormatError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelFormatError(f"{path}: not a dispatch model file ({exc})") from exc
    iso = meta.get("isotonic")
    isotonic = (list(iso[0]), list(iso[1])) if iso else None
    limits = ood.Limits.from_dict(meta.get("ood_limits")) if version > 1 else ood.Limits(min_han=cfg.min_han)
    return Model(cfg, classes, weights, temperature, meta, isotonic=isotonic, limits=limits)
