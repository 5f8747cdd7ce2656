"""智能派单 services: suggest, learn from the hotline's own history, index for duplicates, key problems.

The appeal loop calls in through ``core.registry.appeal_hooks`` (filled in ``DispatchConfig.ready``);
everything that changes an appeal goes through ``huying.appeals.services``.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.appeals import selectors as appeal_selectors
from huying.appeals import services as appeal_services
from huying.appeals.models import Appeal, Category
from huying.appeals.permissions import visible_appeals_q
from huying.appeals.states import OPEN_STATUSES, Action, Status
from huying.core.db.insert import insert
from huying.core.errors import ConcurrentModification, NotFound, PermissionDenied, ValidationFailed
from huying.core.models import AuditLog
from huying.core.services import audit_record
from huying.organisations.models import Division, OrgUnit

from . import calibration, classifier, dedup, learning, reasons, replycheck
from .models import (
    AppealFingerprint,
    ClassifierModel,
    DispatchSuggestion,
    FingerprintPending,
    JointMeeting,
    KeyProblem,
)
from .normalize import normalize_text

logger = logging.getLogger(__name__)

# --- suggestion ---------------------------------------------------------------------------------


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
    loaded = _model_for(model_stamp)
    unreliable = ""
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


# --- intake hook --------------------------------------------------------------------------------


@dataclass
class Prepared:
    """What intake needs from smart dispatch, computed before the write transaction opens."""

    suggestion: Suggestion


def prepare(text: str, division: Division | None, title: str | None = None) -> Prepared:
    return Prepared(suggestion=suggest(text, division, title))


def on_appeal_submitted(appeal: Appeal, *, auto_dispatch: bool, prepared: Prepared | None = None) -> bool:
    """Queue the new appeal for the near-duplicate index, record the suggestion, and dispatch it if
    confident. True if it changed."""
    if prepared is None:
        prepared = prepare(appeal.content, appeal.division, appeal.title)
    _fingerprint_enqueue(appeal.pk)
    suggestion = prepared.suggestion
    chosen = appeal.category
    record = DispatchSuggestion(
        appeal=appeal,
        source=suggestion.source,
        model=suggestion.model,
        category=suggestion.category,
        confidence=suggestion.confidence,
        alternatives=suggestion.alternatives,
        unreliable=suggestion.unreliable,
        chosen_category=chosen,
        is_correction=bool(chosen and suggestion.category and chosen.pk != suggestion.category.pk),
        corrected_by=appeal.created_by if chosen else None,
        decided_at=timezone.now() if chosen else None,
    )
    insert(record)  # inside the intake transaction: objects.create() without compiling the statement
    category, unit = suggestion.category, suggestion.unit
    if not (auto_dispatch and suggestion.auto and unit is not None and category is not None):
        return False
    if chosen is not None and chosen.pk != category.pk:
        return False
    robot = dispatch_robot()
    if robot is None:
        return False
    if chosen is None:
        appeal_services.appeal_set_category(actor=robot, appeal=appeal, category=category, note=_("智能派单自动分类"))
    current = appeal_services.appeal_transition(actor=robot, appeal=appeal.pk, action=Action.ACCEPT)
    appeal_services.appeal_transition(
        actor=robot,
        appeal=current,
        action=Action.DISPATCH,
        lead_unit=unit,
        note=_("智能派单：置信度 %(c).0f%%，按派单目录派至%(unit)s。")
        % {"c": 100 * suggestion.confidence, "unit": unit.label},
    )
    record.auto_dispatched = True
    record.chosen_category = category
    record.decided_at = timezone.now()
    record.save(update_fields=["auto_dispatched", "chosen_category", "decided_at"])
    return True


ROBOT_USERNAME = "smart-dispatch"


def dispatch_robot() -> Actor | None:
    """The hotline's own account for automatic dispatch (an operator role at the hotline centre)."""
    centre = OrgUnit.objects.filter(kind=OrgUnit.Kind.HOTLINE_CENTRE).order_by("path").first()
    if centre is None:
        return None
    user, created = User.objects.get_or_create(
        username=ROBOT_USERNAME, defaults={"display_name": _("智能派单"), "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.OPERATOR, org_unit=centre)
    return actor_for(user)


def suggestion_record_choice(*, appeal: Appeal, actor_user: Any) -> None:
    """The order was dispatched with this category: a correction if it differs from the suggestion."""
    if appeal.category_id is None:
        return
    record = DispatchSuggestion.objects.filter(appeal=appeal).first()
    if record is None or record.auto_dispatched or record.chosen_category_id == appeal.category_id:
        return
    record.chosen_category_id = appeal.category_id
    record.is_correction = bool(record.category_id and record.category_id != appeal.category_id)
    record.corrected_by = actor_user if getattr(actor_user, "is_authenticated", False) else None
    record.decided_at = timezone.now()
    record.save(update_fields=["chosen_category", "is_correction", "corrected_by", "decided_at"])


# --- training -----------------------------------------------------------------------------------

MIN_SAMPLES = 200
MIN_PER_CATEGORY = 5
TRAIN_STATUSES = (Status.CLOSED, Status.REPLIED, Status.UNSATISFIED, Status.ANSWERED)


def training_rows(*, since: dt.datetime | None = None) -> tuple[list[str], list[str]]:
    """Texts and category ids of the deployment's own handled appeals (the operators' final choice)."""
    qs = Appeal.objects.filter(status__in=TRAIN_STATUSES, category__isnull=False, category__is_active=True)
    if since is not None:
        qs = qs.filter(submitted_at__gte=since)
    rows = list(qs.values_list("title", "content", "category_id"))
    counts: dict[int, int] = {}
    for _title, _content, cat in rows:
        counts[cat] = counts.get(cat, 0) + 1
    keep = {cat for cat, n in counts.items() if n >= MIN_PER_CATEGORY}
    texts = [f"{title}{content}" for title, content, cat in rows if cat in keep]
    labels = [str(cat) for _t, _c, cat in rows if cat in keep]
    return texts, labels


def classifier_train(*, user: Any = None, note: str = "") -> ClassifierModel:
    """Train a new version from history and make it active; the previous one is kept for rollback."""
    data = learning.training_data(TRAIN_STATUSES)
    texts, labels = data.contents, data.labels
    if len(texts) < MIN_SAMPLES or len(set(labels)) < 2:
        raise ValidationFailed(
            _("已办结的历史工单不足（%(n)d条，至少需要%(min)d条），继续使用派单目录关键词规则。")
            % {"n": len(texts), "min": MIN_SAMPLES},
            code="not_enough_history",
        )
    model = classifier.train(texts, labels, titles=data.titles, weights=data.weights)
    with transaction.atomic():
        ClassifierModel.objects.filter(is_active=True).update(is_active=False)
        row = ClassifierModel.objects.create(
            trained_by=user if getattr(user, "is_authenticated", False) else None,
            n_samples=len(texts),
            n_classes=len(set(labels)),
            cv_macro_f1=model.metadata.get("cv_macro_f1"),
            threshold=model.auto_threshold,
            is_active=True,
            note=note[:200],
            payload=model_to_bytes(model),
        )
        if user is not None and getattr(user, "is_authenticated", False):
            audit_record(
                kind=AuditLog.Kind.CONFIG_CHANGE,
                actor=user,
                summary=_("训练并启用派单模型 v%(v)s") % {"v": row.pk},
                obj=row,
                data={"n_samples": len(texts), "n_local": data.n_local, "not_measurable": model.not_measurable},
            )
    return row


def classifier_activate(*, version: int, user: Any = None) -> ClassifierModel:
    """Roll back (or forward) to a stored version."""
    with transaction.atomic():
        row = ClassifierModel.objects.select_for_update().filter(pk=version).first()
        if row is None:
            raise NotFound(_("没有这个模型版本。"))
        ClassifierModel.objects.filter(is_active=True).exclude(pk=row.pk).update(is_active=False)
        ClassifierModel.objects.filter(pk=row.pk).update(is_active=True)
        row.is_active = True
        if user is not None and getattr(user, "is_authenticated", False):
            audit_record(
                kind=AuditLog.Kind.CONFIG_CHANGE,
                actor=user,
                summary=_("启用派单模型 v%(v)s") % {"v": row.pk},
                obj=row,
            )
    return row


# --- near duplicates ----------------------------------------------------------------------------
#
# The band index (AppealFingerprint: one row per LSH band key) is filled in batches, not by the
# intake itself (ADR 0010). Intake writes one FingerprintPending row; every ``batch``-th appeal id
# flushes the queue right after its commit, and ``manage.py sweep`` flushes what is left. Queries
# read the index *and* scan the queue, so an appeal is findable from the moment it is committed.

SIMILAR_WINDOW_DAYS = 60
SIMILAR_THRESHOLD = 0.5
# A query scans at most this many queued appeals (newest first); the queue stays near one batch
# per worker while intake runs, so the cap only matters if flushing has stopped.
PENDING_SCAN_MAX = 5000


def fingerprint_batch() -> int:
    """Appeals indexed together (settings.HUYING_FINGERPRINT_BATCH, default 32)."""
    return max(1, int(getattr(settings, "HUYING_FINGERPRINT_BATCH", 32)))


def _fingerprint_enqueue(appeal_id: int) -> None:
    insert(FingerprintPending(appeal_id=appeal_id))
    if appeal_id % fingerprint_batch() == 0:
        # After the intake's own commit, in a transaction of its own: the intake's lock is never
        # held for the batch (this one request answers a few ms later). Robust: the appeal is
        # saved whatever happens to the flush, which is logged; the sweep retries.
        transaction.on_commit(fingerprint_flush, robust=True)


def _index_rows(rows: list[tuple[int, str, str]]) -> None:
    """Index ``(pk, title, content)`` rows and take their appeals off the queue (call inside a
    transaction): signatures computed as one batch, band keys inserted sorted so that the B-tree is
    walked in order."""
    if not rows:
        return
    keys = dedup.band_keys_matrix(dedup.signatures([f"{title}{content}" for _pk, title, content in rows]))
    pairs = sorted(
        {(int(key), pk) for (pk, _t, _c), row_keys in zip(rows, keys.tolist(), strict=True) for key in row_keys}
    )
    q = connection.ops.quote_name
    sql = f"INSERT INTO {q(AppealFingerprint._meta.db_table)} ({q('band_key')}, {q('appeal_id')}) VALUES (%s, %s)"
    with connection.cursor() as cursor:
        cursor.executemany(sql, pairs)
    FingerprintPending.objects.filter(appeal_id__in=[pk for pk, _t, _c in rows]).delete()


def fingerprint_flush(*, limit: int | None = None) -> int:
    """Index queued appeals, oldest first, at most ``limit`` (default four batches); how many were.

    On PostgreSQL two workers flushing at once take disjoint rows (``SKIP LOCKED``); on SQLite the
    write transaction already admits one at a time.
    """
    limit = limit or 4 * fingerprint_batch()
    with transaction.atomic():
        queued = FingerprintPending.objects.order_by("appeal_id")
        if connection.features.has_select_for_update_skip_locked:
            queued = queued.select_for_update(skip_locked=True)
        ids = list(queued.values_list("appeal_id", flat=True)[:limit])
        if not ids:
            return 0
        _index_rows(list(Appeal.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "title", "content")))
    return len(ids)


def fingerprint_flush_all() -> int:
    """Empty the queue (the periodic sweep); how many appeals were indexed."""
    done = 0
    while flushed := fingerprint_flush(limit=2000):
        done += flushed
    return done


def fingerprint_backfill(*, batch: int = 5000) -> int:
    """Index every appeal that has no fingerprint yet, a batch at a time (idempotent)."""
    done = 0
    while True:
        rows = list(
            Appeal.objects.filter(fingerprints__isnull=True)
            .order_by("pk")
            .values_list("pk", "title", "content")[:batch]
        )
        if not rows:
            return done
        with transaction.atomic():
            _index_rows(rows)
        done += len(rows)


@dataclass
class SimilarAppeal:
    appeal: Appeal
    similarity: float
    same_requester: bool
    same_place: bool


def similar_open_appeals(
    actor: Actor, appeal: Appeal, *, limit: int = 5, threshold: float = SIMILAR_THRESHOLD
) -> list[SimilarAppeal]:
    """Open orders that look like the same matter: equal LSH bands (an index lookup) or still in the
    indexing queue, then verified on their signatures."""
    own = dedup.signature(f"{appeal.title}{appeal.content}")
    indexed = (
        AppealFingerprint.objects.filter(band_key__in=dedup.band_keys(own))
        .exclude(appeal_id=appeal.pk)
        .values("appeal_id")
        .annotate(hits=Count("id"))
        .order_by("-hits")
        .values_list("appeal_id", flat=True)[:200]
    )
    queued = FingerprintPending.objects.order_by("-appeal_id").values_list("appeal_id", flat=True)[:PENDING_SCAN_MAX]
    candidate_ids = {*indexed, *queued} - {appeal.pk}
    if not candidate_ids:
        return []
    since = appeal.submitted_at - dt.timedelta(days=SIMILAR_WINDOW_DAYS)
    candidates = list(
        Appeal.objects.filter(visible_appeals_q(actor))
        .filter(pk__in=candidate_ids, status__in=OPEN_STATUSES, submitted_at__gte=since)
        .exclude(status=Status.SUBMITTED, pk__gt=appeal.pk)
        .select_related("lead_unit", "division")
    )
    if not candidates:
        return []
    sigs = dedup.signatures([f"{other.title}{other.content}" for other in candidates])
    found = []
    for other, sig in zip(candidates, sigs, strict=True):
        score = dedup.estimate_similarity(own, sig)
        if score >= threshold:
            found.append(
                SimilarAppeal(
                    appeal=other,
                    similarity=round(score, 2),
                    same_requester=bool(appeal.requester_phone and appeal.requester_phone == other.requester_phone),
                    same_place=bool(
                        (appeal.division_id and appeal.division_id == other.division_id)
                        or (appeal.address and appeal.address == other.address)
                    ),
                )
            )
    found.sort(key=lambda s: (not s.same_requester, not s.same_place, -s.similarity))
    return found[:limit]


# --- reply check --------------------------------------------------------------------------------


def reply_warnings(appeal: Appeal, reply: str) -> list[dict[str, Any]]:
    result = replycheck.check_reply(f"{appeal.title}{appeal.content}", reply)
    return [{"code": w.code, "message": w.message} for w in result.warnings]


# --- key problems (重点问题清单) ---------------------------------------------------------------


def _supervisor(actor: Any) -> Actor:
    resolved = actor if isinstance(actor, Actor) else actor_for(actor)
    if not resolved.has_role(Role.SUPERVISOR):
        raise PermissionDenied()
    return resolved


@dataclass
class KeyProblemResult:
    key_problem: KeyProblem
    closed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def key_problem_create(
    *,
    actor: Any,
    title: str,
    lead_unit: OrgUnit | None,
    appeal_ids: list[int],
    joint_units: list[OrgUnit] | None = None,
    description: str = "",
) -> KeyProblem:
    resolved = _supervisor(actor)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写问题名称。")
    if lead_unit is None:
        errors["lead_unit"] = _("请选择牵头单位。")
    appeals = list(Appeal.objects.filter(visible_appeals_q(resolved)).filter(pk__in=appeal_ids or []))
    if not appeals:
        errors["appeals"] = _("请至少关联一个工单。")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), data=errors)
    assert lead_unit is not None
    with transaction.atomic():
        problem = KeyProblem.objects.create(
            title=title[:120], description=description, lead_unit=lead_unit, created_by=resolved.user
        )
        problem.joint_units.set([u for u in joint_units or [] if u.pk != lead_unit.pk])
        problem.appeals.set(appeals)
    return problem


def key_problem_add_meeting(
    *, actor: Any, key_problem: KeyProblem, held_on: dt.date | None, attendees: str, findings: str, decision: str
) -> JointMeeting:
    resolved = _supervisor(actor)
    errors = {
        name: message
        for name, value, message in (
            ("held_on", held_on, _("请填写会议日期。")),
            ("attendees", (attendees or "").strip(), _("请填写参会单位和人员。")),
            ("findings", (findings or "").strip(), _("请填写查明的情况。")),
            ("decision", (decision or "").strip(), _("请填写议定事项。")),
        )
        if not value
    }
    if errors:
        raise ValidationFailed(next(iter(errors.values())), data=errors)
    if key_problem.status != KeyProblem.Status.OPEN:
        raise ValidationFailed(_("重点问题已办结。"), code="key_problem_closed")
    assert held_on is not None
    return JointMeeting.objects.create(
        key_problem=key_problem,
        held_on=held_on,
        attendees=attendees.strip(),
        findings=findings.strip(),
        decision=decision.strip(),
        recorded_by=resolved.user,
    )


def key_problem_reply(
    *, actor: Any, key_problem: KeyProblem, reply: str, expected_version: int | None = None
) -> KeyProblemResult:
    """One reply closes every linked open appeal (重点问题统一答复); all or nothing."""
    resolved = _supervisor(actor)
    reply = (reply or "").strip()
    if not reply:
        raise ValidationFailed(_("请填写统一答复内容。"), data={"reply": _("请填写统一答复内容。")})
    with transaction.atomic():
        rows = KeyProblem.objects.filter(
            pk=key_problem.pk,
            status=KeyProblem.Status.OPEN,
            **({"version": expected_version} if expected_version is not None else {}),
        ).update(
            status=KeyProblem.Status.CLOSED, reply_text=reply, closed_at=timezone.now(), version=key_problem.version + 1
        )
        if rows != 1:
            raise ConcurrentModification(_("该重点问题已被他人办结或修改，请刷新后查看。"))
        result = KeyProblemResult(key_problem=key_problem)
        for appeal in key_problem.appeals.filter(visible_appeals_q(resolved)).order_by("pk"):
            if appeal.status not in OPEN_STATUSES:
                result.skipped.append(appeal.number or str(appeal.pk))
                continue
            current = appeal
            if current.status == Status.SUBMITTED:
                current = appeal_services.appeal_transition(actor=resolved, appeal=current, action=Action.ACCEPT)
            appeal_services.appeal_transition(actor=resolved, appeal=current, action=Action.JOINT_REPLY, note=reply)
            result.closed.append(appeal.number or str(appeal.pk))
    key_problem.refresh_from_db()
    return result
