"""智能派单 services: what changes data — intake's suggestion record and auto-dispatch, training,
the near-duplicate index, key problems (重点问题清单).

The appeal loop calls in through ``core.registry.appeal_hooks`` (filled in ``DispatchConfig.ready``);
everything that changes an appeal goes through ``huying.appeals.services``. Reads are in
:mod:`.selectors` and :mod:`.suggestion` (re-exported here under their old names).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.appeals import services as appeal_services
from huying.appeals.models import Appeal
from huying.appeals.permissions import visible_appeals_q
from huying.appeals.states import OPEN_STATUSES, Action, Status
from huying.appeals.system_notes import system_note
from huying.core.db.insert import insert
from huying.core.errors import ConcurrentModification, NotFound, PermissionDenied, ValidationFailed
from huying.core.models import AuditLog
from huying.core.services import audit_record
from huying.core.statemachine import versioned_update
from huying.organisations.models import Division, OrgUnit

from . import classifier, dedup, learning
from .errors import ALREADY_IN_KEY_PROBLEM, KEY_PROBLEM_CLOSED, NOT_ENOUGH_HISTORY
from .models import AppealFingerprint, ClassifierModel, DispatchSuggestion, FingerprintPending, JointMeeting, KeyProblem

# Reads that lived here before stay importable from here (``X as X``: a re-export).
from .selectors import (
    MIN_PER_CATEGORY as MIN_PER_CATEGORY,
)
from .selectors import (
    PENDING_SCAN_MAX as PENDING_SCAN_MAX,
)
from .selectors import (
    SIMILAR_THRESHOLD as SIMILAR_THRESHOLD,
)
from .selectors import (
    SIMILAR_WINDOW_DAYS as SIMILAR_WINDOW_DAYS,
)
from .selectors import (
    TRAIN_STATUSES as TRAIN_STATUSES,
)
from .selectors import (
    SimilarAppeal as SimilarAppeal,
)
from .selectors import (
    reply_warnings as reply_warnings,
)
from .selectors import (
    similar_open_appeals as similar_open_appeals,
)
from .selectors import (
    training_rows as training_rows,
)
from .suggestion import (
    KeywordIndex as KeywordIndex,
)
from .suggestion import (
    Suggestion as Suggestion,
)
from .suggestion import (
    active_model as active_model,
)
from .suggestion import (
    auto_dispatch_threshold as auto_dispatch_threshold,
)
from .suggestion import (
    catalogue_changed as catalogue_changed,
)
from .suggestion import (
    keyword_scores as keyword_scores,
)
from .suggestion import (
    model_from_bytes as model_from_bytes,
)
from .suggestion import (
    model_to_bytes as model_to_bytes,
)
from .suggestion import (
    suggest as suggest,
)

logger = logging.getLogger(__name__)

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
        unreliable=suggestion.unreliable,
        alternatives=suggestion.alternatives,
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
        note, note_data = system_note("auto_categorised")
        appeal_services.appeal_set_category(
            actor=robot, appeal=appeal, category=category, note=note, note_data=note_data
        )
    current = appeal_services.appeal_transition(actor=robot, appeal=appeal.pk, action=Action.ACCEPT)
    note, note_data = system_note("auto_dispatched", confidence=round(100 * suggestion.confidence), unit=unit.label)
    appeal_services.appeal_transition(
        actor=robot, appeal=current, action=Action.DISPATCH, lead_unit=unit, note=note, note_data=note_data
    )
    record.auto_dispatched = True
    record.chosen_category = category
    record.decided_at = timezone.now()
    record.save(update_fields=["auto_dispatched", "chosen_category", "decided_at"])
    return True


ROBOT_USERNAME = "smart-dispatch"


def _signed_in(user: User | AnonymousUser | None) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


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


def suggestion_record_choice(*, appeal: Appeal, actor_user: User | AnonymousUser | None) -> None:
    """The order was dispatched with this category: a correction if it differs from the suggestion."""
    if appeal.category_id is None:
        return
    record = DispatchSuggestion.objects.filter(appeal=appeal).first()
    if record is None or record.auto_dispatched or record.chosen_category_id == appeal.category_id:
        return
    record.chosen_category_id = appeal.category_id
    record.is_correction = bool(record.category_id and record.category_id != appeal.category_id)
    record.corrected_by = _signed_in(actor_user)
    record.decided_at = timezone.now()
    record.save(update_fields=["chosen_category", "is_correction", "corrected_by", "decided_at"])


# --- training -----------------------------------------------------------------------------------

MIN_SAMPLES = 200


def classifier_train(*, user: User | AnonymousUser | None = None, note: str = "") -> ClassifierModel:
    """Train a new version from history and make it active; the previous one is kept for rollback."""
    data = learning.training_data(TRAIN_STATUSES)
    texts, labels = data.contents, data.labels
    if len(texts) < MIN_SAMPLES or len(set(labels)) < 2:
        raise ValidationFailed(
            _("已办结的历史工单不足（%(n)d条，至少需要%(min)d条），继续使用派单目录关键词规则。")
            % {"n": len(texts), "min": MIN_SAMPLES},
            code=NOT_ENOUGH_HISTORY,
        )
    model = classifier.train(texts, labels, titles=data.titles, weights=data.weights)
    with transaction.atomic():
        ClassifierModel.objects.filter(is_active=True).update(is_active=False)
        row = ClassifierModel.objects.create(
            trained_by=_signed_in(user),
            n_samples=len(texts),
            n_classes=len(set(labels)),
            cv_macro_f1=model.metadata.get("cv_macro_f1"),
            threshold=model.auto_threshold,
            is_active=True,
            note=note[:200],
            payload=model_to_bytes(model),
        )
        if (signed_in := _signed_in(user)) is not None:
            audit_record(
                kind=AuditLog.Kind.CONFIG_CHANGE,
                actor=signed_in,
                summary=_("训练并启用派单模型 v%(v)s") % {"v": row.pk},
                obj=row,
                data={"n_samples": len(texts), "n_local": data.n_local, "not_measurable": model.not_measurable},
            )
    return row


def classifier_activate(*, version: int, user: User | AnonymousUser | None = None) -> ClassifierModel:
    """Roll back (or forward) to a stored version."""
    with transaction.atomic():
        row = ClassifierModel.objects.select_for_update().filter(pk=version).first()
        if row is None:
            raise NotFound(_("没有这个模型版本。"))
        ClassifierModel.objects.filter(is_active=True).exclude(pk=row.pk).update(is_active=False)
        ClassifierModel.objects.filter(pk=row.pk).update(is_active=True)
        row.is_active = True
        if (signed_in := _signed_in(user)) is not None:
            audit_record(
                kind=AuditLog.Kind.CONFIG_CHANGE,
                actor=signed_in,
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


# --- key problems (重点问题清单) ---------------------------------------------------------------


def _supervisor(actor: Actor | User) -> Actor:
    resolved = actor_for(actor)
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
    actor: Actor | User,
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
    taken = list(
        KeyProblem.appeals.through.objects.filter(
            keyproblem__status=KeyProblem.Status.OPEN, appeal__in=appeals
        ).values_list("appeal__number", "keyproblem__title")
    )
    if taken:
        # One cause, one key problem: the appeals of a converted hot issue are not listed twice.
        message = _("工单 %(numbers)s 已列入办理中的重点问题「%(title)s」，不能重复列入。") % {
            "numbers": "、".join(sorted(str(n) for n, _t in taken)[:5]),
            "title": taken[0][1],
        }
        raise ValidationFailed(message, code=ALREADY_IN_KEY_PROBLEM, data={"appeals": message})
    assert lead_unit is not None
    with transaction.atomic():
        problem = KeyProblem.objects.create(
            title=title[:120], description=description, lead_unit=lead_unit, created_by=resolved.user
        )
        problem.joint_units.set([u for u in joint_units or [] if u.pk != lead_unit.pk])
        problem.appeals.set(appeals)
    return problem


def key_problem_add_meeting(
    *,
    actor: Actor | User,
    key_problem: KeyProblem,
    held_on: dt.date | None,
    attendees: str,
    findings: str,
    decision: str,
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
        raise ValidationFailed(_("重点问题已办结。"), code=KEY_PROBLEM_CLOSED)
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
    *, actor: Actor | User, key_problem: KeyProblem, reply: str, expected_version: int | None = None
) -> KeyProblemResult:
    """One reply closes every linked open appeal (重点问题统一答复); all or nothing."""
    resolved = _supervisor(actor)
    reply = (reply or "").strip()
    if not reply:
        raise ValidationFailed(_("请填写统一答复内容。"), data={"reply": _("请填写统一答复内容。")})
    with transaction.atomic():
        still_open = KeyProblem.objects.filter(pk=key_problem.pk, status=KeyProblem.Status.OPEN)
        if expected_version is not None:
            still_open = still_open.filter(version=expected_version)
        rows = versioned_update(still_open, status=KeyProblem.Status.CLOSED, reply_text=reply, closed_at=timezone.now())
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
