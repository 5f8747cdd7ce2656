"""Filing review of normative documents (有件必备、有备必审、有错必纠): filing within 30 days of
publication (立法法 Art. 109; late filings flagged), review in 3 months with consultant experts drawn
from the pool by field (rotating, or at random with a published seed), conflicts of interest excluded,
the maker's 30-day answer and 30-day amendment, and the requester told within 15 days
(山东省各级人大常委会规范性文件备案审查规定 Arts. 7, 17, 19, 22)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.months import add_months
from huying.core.statemachine import versioned_update
from huying.organisations.models import OrgUnit

from .. import clocks, errors, labels, states
from ..draw import seeded_draw
from ..errors import fail
from ..models import Expert, ExpertAssignment, FiledDocument
from .common import check_version, describe, is_staff, load, next_number, resolve

FIELDS = {
    "urban": "城乡建设与管理",
    "environment": "生态环境保护",
    "finance": "财经预算",
    "social": "社会建设",
    "education": "教科文卫",
    "justice": "监察司法",
    "agriculture": "农业农村",
    "foreign": "民族外事侨务",
}


def _staff(actor: Any) -> Any:
    resolved = resolve(actor)
    if not is_staff(resolved):
        raise PermissionDenied()
    return resolved


@transaction.atomic
def document_file(
    *,
    actor: Any,
    title: str,
    maker: OrgUnit,
    field: str,
    published_on: dt.date,
    filed_on: dt.date | None = None,
    requester: str = "",
) -> FiledDocument:
    """Register a filed document; more than 30 days after publication is flagged late."""
    _staff(actor)
    filed_on = filed_on or timezone.localdate()
    if not (title or "").strip() or field not in FIELDS:
        raise ValidationFailed(_("请填写文件名称并选择领域。"), data={"title": _("请填写文件名称。")})
    if filed_on < published_on:
        raise ValidationFailed(_("报备日期不能早于公布日期。"), data={"filed_on": _("报备日期不能早于公布日期。")})
    return FiledDocument.objects.create(
        number=next_number(FiledDocument, "BA"),
        title=title.strip()[:200],
        maker=maker,
        field=field,
        published_on=published_on,
        filed_on=filed_on,
        is_late=(filed_on - published_on).days > clocks.FILING_DAYS,
        requester=(requester or "").strip()[:60],
        status=states.FILED,
    )


def eligible_experts(document: FiledDocument, today: dt.date) -> list[Expert]:
    """In-term experts of the document's field, with no tie to its maker (their own body or a declared conflict)."""
    pool = Expert.objects.filter(term_start__lte=today, term_end__gte=today, dismissed_reason="")
    pool = pool.exclude(body=document.maker).exclude(declared_conflicts=document.maker)
    pool = pool.exclude(assignments__document=document)
    return [
        e for e in pool.order_by(F("last_assigned_at").asc(nulls_first=True), "pk") if document.field in e.field_list()
    ]


def _conflicted(expert: Expert, document: FiledDocument) -> bool:
    return expert.body_id == document.maker_id or expert.declared_conflicts.filter(pk=document.maker_id).exists()


@transaction.atomic
def review_start(
    *, actor: Any, document_id: int, version: int, experts: int = 2, random_seed: str | None = None
) -> FiledDocument:
    """Open the review (3 months) and assign experts: by field in rotation (the longest unassigned
    first), or, with ``random_seed`` ("" to have one made), drawn at random with the seed published."""
    resolved = _staff(actor)
    document = load(FiledDocument, document_id)
    check_version(document, version)
    transition, _note = states.FILING_TRANSITIONS.check(
        source=document.status, action="review", roles={states.STAFF}, describe=describe(labels.FILING)
    )
    now = timezone.now()
    pool = eligible_experts(document, timezone.localdate())
    if not pool:
        raise fail(errors.NO_ELIGIBLE_EXPERT)
    if random_seed is None:
        chosen, method, seed = pool[:experts], ExpertAssignment.Method.FIELD, ""
    else:
        seed = random_seed or secrets.token_hex(8)
        by_id = {e.pk: e for e in pool}
        chosen = [by_id[pk] for pk in seeded_draw(by_id, experts, seed)]
        method = ExpertAssignment.Method.RANDOM
    for expert in chosen:
        ExpertAssignment.objects.create(document=document, expert=expert, method=method, assigned_at=now)
        Expert.objects.filter(pk=expert.pk).update(last_assigned_at=now)
    del resolved
    versioned_update(
        FiledDocument.objects.filter(pk=document.pk),
        expected_version=version,
        status=transition.target,
        draw_seed=seed,
        review_due=add_months(timezone.localdate(), clocks.REVIEW_MONTHS),
    )
    return load(FiledDocument, document.pk)


@transaction.atomic
def expert_assign(*, actor: Any, document_id: int, expert_id: int) -> ExpertAssignment:
    """Assign one more expert by hand; an expert tied to the maker is refused."""
    _staff(actor)
    document = load(FiledDocument, document_id)
    expert = load(Expert, expert_id)
    if _conflicted(expert, document):
        raise fail(errors.EXPERT_CONFLICT, "expert")
    assignment, _created = ExpertAssignment.objects.get_or_create(
        document=document,
        expert=expert,
        defaults={"method": ExpertAssignment.Method.FIELD, "assigned_at": timezone.now()},
    )
    return assignment


@transaction.atomic
def review_decide(*, actor: Any, document_id: int, version: int, action: str, note: str) -> FiledDocument:
    """no_problem / correct / repeal (the maker answers in 30 days, amends in 30 more), amended, close."""
    _staff(actor)
    document = load(FiledDocument, document_id)
    check_version(document, version)
    transition, cleaned = states.FILING_TRANSITIONS.check(
        source=document.status, action=action, roles={states.STAFF}, note=note, describe=describe(labels.FILING)
    )
    today = timezone.localdate()
    fields: dict[str, Any] = {"status": transition.target}
    if action in ("no_problem", "correct", "repeal"):
        outcome = {"no_problem": FiledDocument.Outcome.NO_PROBLEM, "correct": FiledDocument.Outcome.CORRECT}
        fields.update(
            outcome=outcome.get(action, FiledDocument.Outcome.REPEAL), outcome_note=cleaned, reviewed_on=today
        )
        if document.requester:
            fields["requester_due"] = today + dt.timedelta(days=clocks.REQUESTER_DAYS)
        if action != "no_problem":
            fields["answer_due"] = clocks.days_after(today, clocks.MAKER_ANSWER_DAYS)
            fields["amendment_due"] = clocks.days_after(today, 2 * clocks.MAKER_ANSWER_DAYS)
    if action == "amended":
        fields.update(amended_on=today, answered_on=document.answered_on or today)
    versioned_update(FiledDocument.objects.filter(pk=document.pk), expected_version=version, **fields)
    return load(FiledDocument, document.pk)


@transaction.atomic
def requester_told(*, actor: Any, document_id: int) -> FiledDocument:
    _staff(actor)
    FiledDocument.objects.filter(pk=document_id).update(requester_told_on=timezone.localdate())
    return load(FiledDocument, document_id)
