"""The 智能派单 suggestion: which category (and so which unit) an appeal's text belongs to.

Reads only: the active trained model (loaded once per process and version) or, on a new
deployment, the 派单目录's keywords. Nothing here writes to the database; what intake does with a
suggestion is in :mod:`.services`.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from huying.appeals import selectors as appeal_selectors
from huying.appeals.models import Category
from huying.organisations.models import Division, OrgUnit

from . import calibration, classifier, reasons
from .models import ClassifierModel, DispatchSuggestion
from .normalize import normalize_text

logger = logging.getLogger(__name__)


@dataclass
class Suggestion:
    category: Category | None
    unit: OrgUnit | None
    confidence: float
    alternatives: list[dict[str, Any]]  # the top three: {"category": id, "name": str, "confidence": float}
    source: str
    model: ClassifierModel | None = None
    auto: bool = False  # confident enough to dispatch without an operator
    unreliable: str = ""  # why the model's confidence does not count here (reasons.Unreliable), if so

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category.pk if self.category else None,
            "category_name": str(self.category) if self.category else "",
            "unit": self.unit.pk if self.unit else None,
            "unit_name": self.unit.label if self.unit else "",
            "confidence": round(self.confidence, 3),
            "alternatives": self.alternatives,
            "source": self.source,
            "model_version": self.model.pk if self.model else None,
            "auto": self.auto,
            "unreliable": self.unreliable,
            "unreliable_label": reasons.label(self.unreliable),
        }


def auto_dispatch_threshold(row: ClassifierModel | None) -> float | None:
    """The model version's own threshold, never below the optional setting; None: never automatic."""
    floor = getattr(settings, "HUYING_AUTO_DISPATCH_CONFIDENCE", None)
    return calibration.deployment_threshold(row.threshold if row is not None else None, floor)


_cache_lock = threading.Lock()
_cache: dict[tuple[int, Any], tuple[ClassifierModel, classifier.Model]] = {}
_unreadable: set[tuple[int, Any]] = set()


def _stamp() -> tuple[tuple[Any, ...], tuple[int, Any] | None]:
    """Has the 派单目录 or the active model changed since this process last looked?

    Read on every intake, so it is one plain statement over two small tables rather than two ORM
    queries: the catalogue's (count, highest id, active count), and the active model's (id,
    training time): ids are reused after a rollback, the time is not.
    """
    q = connection.ops.quote_name
    categories, models_ = q(Category._meta.db_table), q(ClassifierModel._meta.db_table)

    def active(column: str) -> str:
        return f"(SELECT {q(column)} FROM {models_} WHERE {q('is_active')} = %s)"

    sql = (
        f"SELECT COUNT(*), MAX({q('id')}), SUM(CASE WHEN {q('is_active')} = %s THEN 1 ELSE 0 END), "
        f"{active('id')}, {active('created_at')} FROM {categories}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, True, True])
        n, top, n_active, model_id, model_time = cursor.fetchone()
    return (n, top, n_active), (model_id, model_time) if model_id is not None else None


def active_model() -> tuple[ClassifierModel, classifier.Model] | None:
    """The active classifier, loaded once per process and version."""
    return _model_for(_stamp()[1])


def _model_for(key: tuple[int, Any] | None) -> tuple[ClassifierModel, classifier.Model] | None:
    if key is None:
        return None
    with _cache_lock:
        if key in _unreadable:
            return None
        loaded = _cache.get(key)
        if loaded is None:
            row = ClassifierModel.objects.filter(pk=key[0]).defer("payload").first()
            if row is None:  # deactivated since the stamp was read
                return None
            payload = ClassifierModel.objects.values_list("payload", flat=True).get(pk=row.pk)
            try:
                model = model_from_bytes(bytes(payload))
            except classifier.ModelFormatError:
                # An unreadable version must never stop intake: fall back to the keyword rules
                # and say so in the log; an administrator retrains or rolls back in the admin.
                logger.exception("dispatch model v%s cannot be loaded; using keyword rules", row.pk)
                _unreadable.add(key)
                return None
            loaded = (row, model)
            _cache.clear()
            _cache[key] = loaded
    return loaded


def model_to_bytes(model: classifier.Model) -> bytes:
    """Models live in the database (one row per version), so every process and server sees the same ones."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.npz"
        classifier.save(model, path)
        return path.read_bytes()


def model_from_bytes(payload: bytes) -> classifier.Model:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.npz"
        path.write_bytes(payload)
        return classifier.load(path)


_catalogue: dict[str, Any] = {}


def _leaf_categories(stamp: tuple[Any, ...] | None = None) -> dict[int, Category]:
    """The 派单目录's leaves, kept per process while the catalogue is unchanged.

    Read on every intake, so it is not reloaded each time; the stamp (count, highest id, active
    count) says whether a category was added, removed or (de)activated anywhere (a cached row that
    no longer exists would break the intake transaction). Edits in this process also clear it (apps.py).
    """
    stamp = stamp if stamp is not None else _stamp()[0]
    if _catalogue.get("stamp") != stamp:
        _catalogue.clear()  # the keyword index belongs to the rows it was built from
        _catalogue.update(stamp=stamp, rows={c.pk: c for c in appeal_selectors.category_choices()})
    rows: dict[int, Category] = _catalogue["rows"]
    return rows


def catalogue_changed(**_kwargs: Any) -> None:
    _catalogue.clear()


def suggest(text: str, division: Division | None = None, title: str | None = None) -> Suggestion:
    """The category (and so the unit) for a text: the trained model, else the 派单目录's keywords.
    With ``title``, ``text`` is the content and the title counts less."""
    text = (text or "").strip()
    catalogue_stamp, model_stamp = _stamp()
    categories = _leaf_categories(catalogue_stamp)
    if not text or not categories:
        return Suggestion(None, None, 0.0, [], DispatchSuggestion.Source.NONE)
    unreliable = ""
    loaded = _model_for(model_stamp)
    if loaded is not None:
        row, model = loaded
        judged = model.assess(text, title)
        top = [(int(label), p) for label, p in judged.top if int(label) in categories]
        source, unreliable = DispatchSuggestion.Source.MODEL, judged.reason or ""
    else:
        row, top, source = None, keyword_scores(text, categories)[:3], DispatchSuggestion.Source.KEYWORDS
    if not top:
        return Suggestion(None, None, 0.0, [], DispatchSuggestion.Source.NONE)
    best = categories[top[0][0]]
    alternatives = [{"category": pk, "name": str(categories[pk]), "confidence": round(p, 3)} for pk, p in top]
    confidence = float(top[0][1])
    threshold = auto_dispatch_threshold(row)
    return Suggestion(
        category=best,
        unit=appeal_selectors.suggest_unit(best, division),
        confidence=confidence,
        alternatives=alternatives,
        source=source,
        model=row,
        auto=row is not None and not unreliable and threshold is not None and confidence >= threshold,
        unreliable=unreliable,
    )


def _keyword_set(keywords: str, name: str) -> frozenset[str]:
    return frozenset({w for w in normalize_text(keywords).split() if w} | {normalize_text(name)})


@dataclass(frozen=True)
class KeywordIndex:
    """The 派单目录's keywords and names, each mapped to the categories that list it.

    Finding them in a text costs one set lookup per (position, keyword length), whatever the size
    of the catalogue: a big city's 派单目录 has hundreds of categories and thousands of keywords,
    and testing each keyword against the text was a tenth of an intake request.
    """

    categories: dict[str, tuple[int, ...]]  # keyword -> category ids
    by_length: dict[int, frozenset[str]]  # keyword length -> the keywords of that length

    @classmethod
    def build(cls, categories: Iterable[Category]) -> KeywordIndex:
        owners: dict[str, list[int]] = {}
        for category in categories:
            for word in _keyword_set(category.keywords, category.name):
                if word:
                    owners.setdefault(word, []).append(category.pk)
        lengths: dict[int, set[str]] = {}
        for word in owners:
            lengths.setdefault(len(word), set()).add(word)
        return cls({w: tuple(pks) for w, pks in owners.items()}, {n: frozenset(ws) for n, ws in lengths.items()})

    def found_in(self, norm: str) -> set[str]:
        """The keywords that occur in the normalised text (each once, however often it occurs)."""
        found: set[str] = set()
        for length, words in self.by_length.items():
            if length <= len(norm):
                found |= {norm[i : i + length] for i in range(len(norm) - length + 1)} & words
        return found


def _keyword_index(categories: dict[int, Category]) -> KeywordIndex:
    """The index of this process's catalogue copy (built once per copy), or of other rows given."""
    if categories is _catalogue.get("rows"):
        index = _catalogue.get("keywords")
        if index is None:
            index = _catalogue["keywords"] = KeywordIndex.build(categories.values())
        return index  # type: ignore[no-any-return]
    return KeywordIndex.build(categories.values())


def keyword_scores(text: str, categories: dict[int, Category]) -> list[tuple[int, float]]:
    """Fallback for a new deployment: the 派单目录's keywords (and names) found in the text.

    The score of a category is the total length of its keywords found; the confidence shown is
    its share of all the scores, halved, so keyword rules never reach the auto-dispatch threshold.
    """
    index = _keyword_index(categories)
    totals: dict[int, int] = {}
    for word in index.found_in(normalize_text(text)):
        for pk in index.categories[word]:
            totals[pk] = totals.get(pk, 0) + len(word)
    total = sum(totals.values())
    scores = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [(pk, 0.5 * s / total) for pk, s in scores]
