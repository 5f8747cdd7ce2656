"""申诉复核: the rated unit disputes a bad rating once; a supervisor upholds it (the rating leaves the
published figures and the case closes) or rejects it (the case goes on)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.core.errors import ConcurrentModification, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from huying.core.statemachine import versioned_update

from .. import errors
from ..models import Complaint, Rating, RectificationCase
from ..permissions import roles_for
from ..states import (
    COMPLAINT_TRANSITIONS,
    UNIT_STAFF,
    CaseAction,
    CaseStatus,
    ComplaintDecision,
    ComplaintReason,
    ComplaintStatus,
)
from .base import MAX_NOTE, check_transition, load_visible, record_event
from .cases import apply_transition


def complaint_file(
    *,
    actor: Actor | User | AnonymousUser,
    case: RectificationCase | int,
    reason: str,
    statement: str,
    now: dt.datetime | None = None,
) -> Complaint:
    """The rated unit claims the bad rating is malicious or mistaken. One complaint per rating.

    Preconditions: the actor is staff of the case's unit (else NotFound when invisible,
    PermissionDenied otherwise); the case is not closed (else InvalidTransition); a reason and a
    statement (else ValidationFailed); no earlier complaint (else ValidationFailed).
    """
    now = now or timezone.now()
    with transaction.atomic():
        resolved = actor_for(actor)
        current = load_visible(resolved, case if isinstance(case, int) else case.pk)
        if UNIT_STAFF not in roles_for(resolved, current):
            raise PermissionDenied(_("只有被评价单位可以提出申诉。"))
        if current.status == CaseStatus.CLOSED:
            raise InvalidTransition(_("整改单已办结，不能再申诉。"), data={"status": current.status})
        problems: dict[str, str] = {}
        if reason not in ComplaintReason.values:
            problems["reason"] = _("请选择申诉类型。")
        statement = (statement or "").strip()
        if not statement:
            problems["statement"] = _("请写明申诉理由和依据。")
        elif len(statement) > MAX_NOTE:
            problems["statement"] = _("申诉理由不能超过%(n)d字。") % {"n": MAX_NOTE}
        if problems:
            raise ValidationFailed(data=problems)
        if Complaint.objects.filter(rating_id=current.rating_id).exists():
            raise ValidationFailed(_("该差评已提出过申诉，每条差评只能申诉一次。"), code=errors.ALREADY_COMPLAINED)
        complaint = Complaint.objects.create(
            rating_id=current.rating_id,
            case=current,
            unit_id=current.unit_id,
            reason=reason,
            statement=statement,
            filed_by=resolved.user,
            filed_at=now,
        )
        record_event(
            current,
            action="complaint_filed",
            from_status=current.status,
            actor=resolved.user,
            now=now,
            note=statement,
            data={"reason": reason},
        )
        return complaint


def complaint_review(
    *,
    actor: Actor | User | AnonymousUser,
    complaint: Complaint | int,
    decision: str,
    note: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """A supervisor decides a complaint: ``uphold`` (the rating leaves the published figures and
    the case closes) or ``reject`` (the case goes on where it stands).

    Preconditions: the actor supervises the case's unit (else NotFound); the complaint is pending
    (else InvalidTransition); ``expected_version`` current (else ConcurrentModification); a
    decision and a note (else ValidationFailed).
    """
    now = now or timezone.now()
    with transaction.atomic():
        resolved = actor_for(actor)
        complaint_id = complaint if isinstance(complaint, int) else complaint.pk
        current = Complaint.objects.filter(pk=complaint_id).select_related("case__unit", "case__rating").first()
        if current is None:
            raise NotFound()
        case = current.case
        roles = roles_for(resolved, case)
        if Role.SUPERVISOR not in roles:
            raise NotFound()
        if expected_version is not None and int(expected_version) != current.version:
            raise ConcurrentModification(data={"current_version": current.version, "status": current.status})
        if current.status == ComplaintStatus.PENDING and decision not in ComplaintDecision.values:
            message = _("请选择复核结论：申诉成立或申诉不成立。")
            raise ValidationFailed(message, data={"decision": message})
        transition, note = check_transition(
            COMPLAINT_TRANSITIONS,
            source=current.status,
            action=decision,
            roles=roles,
            note=note,
            describe=lambda _status, _decision: _("该申诉已复核。"),
            note_missing=_("请填写复核意见。"),
        )
        target = transition.target
        versioned_update(
            Complaint.objects.filter(pk=current.pk, status=ComplaintStatus.PENDING),
            expected_version=current.version,
            status=target,
            reviewed_by=resolved.user,
            review_note=note,
            reviewed_at=now,
        )
        current.status, current.review_note, current.reviewed_at = target, note, now
        current.reviewed_by = resolved.user
        current.version += 1
        if target == ComplaintStatus.UPHELD:
            Rating.objects.filter(pk=case.rating_id).update(excluded=True, excluded_at=now)
            if case.status == CaseStatus.CLOSED:
                # Closed meanwhile (after its 回访): the rating still leaves the figures.
                record_event(
                    case, action="complaint_upheld", from_status=case.status, actor=resolved.user, now=now, note=note
                )
                return current
            apply_transition(
                resolved,
                case,
                CaseAction.UPHOLD_COMPLAINT,
                note=note,
                expected_version=None,
                now=now,
                payload={},
            )
        else:
            record_event(
                case, action="complaint_rejected", from_status=case.status, actor=resolved.user, now=now, note=note
            )
        return current
