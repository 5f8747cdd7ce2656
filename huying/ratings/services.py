"""Writes of 好差评. Keyword-only, one transaction each, history in the same transaction, SMS on commit.

Pages, the API, the demo command and other loops (through ``rating_submit``) all call these.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.core.errors import ConcurrentModification, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from huying.core.notify import send_sms
from huying.core.registry import RatedAct, rating_acts
from huying.core.workdays import WorkCalendar

from .models import CaseEvent, Complaint, Rating, RectificationCase
from .permissions import roles_for, visible_cases_q
from .states import (
    BAD_LEVELS,
    OWING_STATUSES,
    STAFF_CHANNEL_ROLES,
    STAFF_ENTRY_ROLES,
    TRANSITIONS,
    UNIT_STAFF,
    CaseAction,
    CaseStatus,
    Channel,
    ComplaintReason,
    ComplaintStatus,
    Level,
    Resolution,
    RevisitView,
    action_applies,
    dimensions_for,
)

MAX_COMMENT = 500
MAX_NOTE = 2000
ALREADY_RATED = "该事项已评价，每件只能评价一次"


def window_workdays() -> int:
    """Working days after the act within which it may still be rated (Shandong: 5)."""
    return int(getattr(settings, "HUYING_RATING_WINDOW_WORKDAYS", 5))


def rectify_workdays() -> int:
    """Working days after a bad rating within which the unit rectifies and answers (德州: 5)."""
    return int(getattr(settings, "HUYING_RATING_RECTIFY_WORKDAYS", 5))


# --- rating -----------------------------------------------------------------------------------


def rated_act_resolve(*, kind: str, ref: str) -> RatedAct:
    """The act as its loop describes it; an unknown kind or ref is NotFound."""
    kind, ref = (kind or "").strip(), (ref or "").strip()
    if not kind or not ref:
        raise NotFound(_("评价事项不存在。"))
    try:
        resolver = rating_acts.get(kind)
    except KeyError:
        raise NotFound(_("评价事项不存在。")) from None
    act = resolver(ref)
    if act is None:
        raise NotFound(_("评价事项不存在。"))
    return act  # type: ignore[no-any-return]


def _clean_level(level: Any) -> int | None:
    if isinstance(level, bool):
        return None
    if isinstance(level, int):
        value = level
    elif isinstance(level, str) and level.strip().isdigit():
        value = int(level.strip())
    else:
        return None
    return value if value in Level.values else None


def _clean_dimensions(channel: str, dimensions: Any) -> tuple[dict[str, int], str | None]:
    if dimensions in (None, ""):
        return {}, None
    allowed = dimensions_for(channel)
    if not isinstance(dimensions, dict):
        return {}, _("分项评分格式不正确。")
    cleaned: dict[str, int] = {}
    for key, value in dimensions.items():
        if value in (None, ""):
            continue
        if key not in allowed:
            names = "、".join(str(v) for v in allowed.values())
            return {}, _("该渠道的分项评价为：%(names)s。") % {"names": names}
        score = _clean_level(value)
        if score is None:
            return {}, _("「%(name)s」的评分应为1到5。") % {"name": allowed[key]}
        cleaned[key] = score
    return cleaned, None


def rating_clean(
    *, kind: str, ref: str, level: Any, channel: str, comment: str = "", dimensions: Any = None
) -> dict[str, Any]:
    """Check what the rater typed; every problem at once, by field, in Chinese."""
    errors: dict[str, str] = {}
    if not (kind or "").strip():
        errors["kind"] = _("缺少评价对象类型。")
    if not (ref or "").strip():
        errors["ref"] = _("缺少评价事项编号。")
    value = _clean_level(level)
    if value is None:
        errors["level"] = _("请选择评价等级：非常满意、满意、基本满意、不满意或非常不满意。")
    if channel not in Channel.values:
        errors["channel"] = _("评价渠道无效。")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        errors["comment"] = _("评价内容不能超过%(n)d字。") % {"n": MAX_COMMENT}
    elif value is not None and value in BAD_LEVELS and not comment:
        errors["comment"] = _("差评请简要写明不满意的原因，便于核实整改。")
    cleaned_dims: dict[str, int] = {}
    if channel in Channel.values:
        cleaned_dims, dim_error = _clean_dimensions(channel, dimensions)
        if dim_error:
            errors["dimensions"] = dim_error
    if errors:
        raise ValidationFailed(data=errors)
    return {"level": value, "comment": comment, "dimensions": cleaned_dims}


def _entitled(act: RatedAct, *, user: Any, staff: Any, channel: str) -> tuple[int | None, Any]:
    """(rater user id, staff who entered it); NotFound when neither may rate this act."""
    if (
        staff is not None
        and getattr(staff, "is_authenticated", False)
        and channel in STAFF_CHANNEL_ROLES
        and actor_for(staff).role_names() & STAFF_CHANNEL_ROLES[channel]
    ):
        return act.rater_user_id, staff
    if (
        user is not None
        and getattr(user, "is_authenticated", False)
        and act.rater_user_id is not None
        and user.pk == act.rater_user_id
    ):
        if channel in (Channel.DEVICE, Channel.HOTLINE):
            message = _("窗口评价器和12345热线的评价由工作人员录入，请选择网上评价渠道。")
            raise ValidationFailed(message, data={"channel": message})
        return user.pk, None
    raise NotFound(_("评价事项不存在。"))


def rating_entry_mode(*, act: RatedAct, user: Any) -> str:
    """How ``user`` may rate ``act`` on a page: ``"rater"`` (their own act) or ``"staff"`` (entering
    it on a hall device, kiosk or the 12345 line); NotFound for anyone else."""
    if getattr(user, "is_authenticated", False):
        if act.rater_user_id is not None and user.pk == act.rater_user_id:
            return "rater"
        if actor_for(user).role_names() & STAFF_ENTRY_ROLES:
            return "staff"
    raise NotFound(_("评价事项不存在。"))


def staff_channels(user: Any) -> list[str]:
    """The channels this staff user may enter ratings on."""
    names = actor_for(user).role_names()
    return [channel for channel, roles in STAFF_CHANNEL_ROLES.items() if names & roles]


def rating_window_closes_at(act: RatedAct, calendar: WorkCalendar | None = None) -> dt.datetime:
    return (calendar or WorkCalendar()).deadline_in_workdays(act.occurred_at, window_workdays())


def rating_submit(
    *,
    kind: str,
    ref: str,
    level: int,
    channel: str,
    user: Any = None,
    staff: Any = None,
    comment: str = "",
    dimensions: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Rating:
    """Record the one rating of an act (一次一评/一事一评).

    Preconditions: valid level, channel, comment and dimension scores (else ValidationFailed by
    field); the act resolves through ``rating_acts`` (else NotFound); ``user`` is the act's rater,
    or ``staff`` enters it on a hall device, kiosk or the 12345 line with a role for that channel
    (else NotFound); within ``window_workdays()`` working days of the act (else ValidationFailed
    ``rating_window_closed``); not yet rated (else ValidationFailed ``already_rated``).
    Effects: the rating; for a 差评 (level ≤ 2) a rectification case due in
    ``rectify_workdays()`` working days and an SMS to the rater.
    """
    now = now or timezone.now()
    cleaned = rating_clean(kind=kind, ref=ref, level=level, channel=channel, comment=comment, dimensions=dimensions)
    kind, ref = kind.strip(), ref.strip()
    act = rated_act_resolve(kind=kind, ref=ref)
    rater_id, entered_by = _entitled(act, user=user, staff=staff, channel=channel)
    calendar = WorkCalendar()
    closes_at = rating_window_closes_at(act, calendar)
    if now > closes_at:
        raise ValidationFailed(
            _("已超过评价期限：办事之日起%(n)d个工作日内可以评价（本事项截至 %(date)s）。")
            % {"n": window_workdays(), "date": f"{timezone.localtime(closes_at):%Y-%m-%d}"},
            code="rating_window_closed",
        )
    already = ValidationFailed(_(ALREADY_RATED), code="already_rated")
    phone = act.rater_phone or (getattr(user, "phone", "") if rater_id is not None and entered_by is None else "")
    with transaction.atomic():
        if Rating.objects.filter(kind=kind, ref=ref).exists():
            raise already
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    kind=kind,
                    ref=ref,
                    title=(act.title or "")[:200],
                    level=cleaned["level"],
                    channel=channel,
                    unit_id=act.unit_id,
                    rater_id=rater_id,
                    rater_phone=(phone or "")[:20],
                    is_real_name=rater_id is not None or bool(phone),
                    entered_by=entered_by,
                    comment=cleaned["comment"],
                    dimensions=cleaned["dimensions"],
                    occurred_at=act.occurred_at,
                    created_at=now,
                )
        except IntegrityError:
            raise already from None
        if rating.level in BAD_LEVELS:
            _open_case(rating, now=now, calendar=calendar)
    return rating


def _rectify_due_at(start: dt.datetime, calendar: WorkCalendar | None = None) -> dt.datetime:
    """The unit owes its 整改 and 反馈 within N working days of a case's opening (or its reopening)."""
    return (calendar or WorkCalendar()).deadline_in_workdays(start, rectify_workdays())


def _tell_rater(rating: Rating, message: Any, **values: Any) -> None:
    """An SMS to the rater once the transaction commits (raters who left no phone are not told).

    ``message`` is a format with ``%(title)s`` (the rated act) and ``%(n)d`` (the working days the
    unit has), plus whatever ``values`` add.
    """
    if rating.rater_phone:
        text = message % {"title": rating.title or rating.ref, "n": rectify_workdays(), **values}
        transaction.on_commit(functools.partial(send_sms, phone=rating.rater_phone, text=text))


def _open_case(rating: Rating, *, now: dt.datetime, calendar: WorkCalendar) -> RectificationCase:
    case = RectificationCase.objects.create(
        rating=rating,
        unit_id=rating.unit_id,
        status=CaseStatus.OPEN,
        due_at=_rectify_due_at(now, calendar),
        created_at=now,
    )
    _event(case, action="opened", from_status="", actor=None, now=now, data={"level": rating.level})
    _tell_rater(rating, _("您对“%(title)s”的评价已收到。承办单位将在%(n)d个工作日内核实整改并向您反馈，感谢您的监督。"))
    return case


# --- rectification case -----------------------------------------------------------------------


def _event(
    case: RectificationCase,
    *,
    action: str,
    from_status: str,
    actor: Any,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=from_status,
        to_status=case.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
        data=data or {},
        created_at=now,
    )


def _load(actor: Actor, case_id: int) -> RectificationCase:
    case = RectificationCase.objects.filter(visible_cases_q(actor), pk=case_id).select_related("rating", "unit").first()
    if case is None:
        raise NotFound()
    return case


def _required(value: Any, field: str, message: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationFailed(message, data={field: message})
    if len(text) > MAX_NOTE:
        limit = _("不能超过%(n)d字。") % {"n": MAX_NOTE}
        raise ValidationFailed(limit, data={field: limit})
    return text


NOTE_REQUIRED: dict[str, Any] = {
    CaseAction.VERIFY: _("请填写核实情况。"),
    CaseAction.RECTIFY: _("请填写已采取的整改措施。"),
    CaseAction.EXPLAIN: _("请填写理由或解释说明。"),
    CaseAction.ANSWER: _("请填写反馈给评价人的内容。"),
    CaseAction.REVISIT: _("请填写回访记录。"),
    CaseAction.REDO: _("请写明评价人仍不满意之处和重新整改的要求。"),
    CaseAction.UPHOLD_COMPLAINT: _("请填写复核意见。"),
}


def _plan(case: RectificationCase, action: str, note: str, now: dt.datetime, payload: dict[str, Any]) -> dict[str, Any]:
    """Field updates of one action (validation of its own inputs included)."""
    updates: dict[str, Any] = {}
    if action == CaseAction.VERIFY:
        contact = _required(payload.get("contact_person"), "contact_person", _("请填写与评价人联系核实的人员。"))
        updates.update(contact_person=contact[:60], finding=note, verified_at=now)
    elif action == CaseAction.RECTIFY:
        updates.update(resolution=Resolution.IMMEDIATE, measures=note)
    elif action == CaseAction.EXPLAIN:
        resolution = str(payload.get("resolution") or "")
        if resolution not in (Resolution.SCHEDULED, Resolution.EXPLAINED):
            message = _("请选择“限期整改”或“解释说明”。")
            raise ValidationFailed(message, data={"resolution": message})
        updates.update(resolution=resolution, measures=note, ledger_entry="", rectify_by=None)
        if resolution == Resolution.SCHEDULED:
            ledger = _required(
                payload.get("ledger_entry"), "ledger_entry", _("限期整改须建立台账：请填写台账编号或事项。")
            )
            rectify_by = payload.get("rectify_by")
            if isinstance(rectify_by, str):
                rectify_by = parse_date(rectify_by.strip()) if rectify_by.strip() else None
            if not isinstance(rectify_by, dt.date):
                message = _("请填写限期整改的完成日期（如 2026-06-30）。")
                raise ValidationFailed(message, data={"rectify_by": message})
            if rectify_by < timezone.localtime(now).date():
                message = _("整改完成日期不能早于今天。")
                raise ValidationFailed(message, data={"rectify_by": message})
            updates.update(ledger_entry=ledger[:200], rectify_by=rectify_by)
    elif action == CaseAction.ANSWER:
        updates.update(answer_text=note, answered_at=now, is_answered_on_time=now <= case.due_at)
    elif action == CaseAction.REVISIT:
        view = str(payload.get("revisit_view") or "")
        if view not in RevisitView.values:
            message = _("请选择评价人对整改结果的意见。")
            raise ValidationFailed(message, data={"revisit_view": message})
        updates.update(revisit_view=view, revisit_note=note, revisited_at=now)
    elif action == CaseAction.REDO:
        if not action_applies(action, revisit_view=case.revisit_view):
            message = _("回访意见为“不满意”时才能退回重新整改；评价人认可或联系不上的整改单可以办结。")
            raise ValidationFailed(message, data={"action": message})
        # The unit owes a new rectification and a new answer, on a new clock; what was done
        # before stays in the case's history.
        updates.update(
            due_at=_rectify_due_at(now),
            is_overdue=False,
            resolution="",
            measures="",
            ledger_entry="",
            rectify_by=None,
            answer_text="",
            answered_at=None,
            is_answered_on_time=None,
            revisit_view="",
            revisit_note="",
            revisited_at=None,
        )
    elif action in (CaseAction.CLOSE, CaseAction.UPHOLD_COMPLAINT):
        updates["closed_at"] = now
    return updates


def _transition(
    actor: Actor,
    case: RectificationCase,
    action: str,
    *,
    note: str,
    expected_version: int | None,
    now: dt.datetime,
    payload: dict[str, Any],
) -> RectificationCase:
    if expected_version is not None and int(expected_version) != case.version:
        raise ConcurrentModification(data={"current_version": case.version, "status": case.status})
    transition = TRANSITIONS.get(case.status, action)
    if transition is None:
        raise InvalidTransition(
            _("整改单当前状态为“%(status)s”，不能执行“%(action)s”。")
            % {"status": case.get_status_display(), "action": CaseAction(action).label},
            data={"status": case.status, "action": action},
        )
    if not (transition.roles & roles_for(actor, case)):
        raise PermissionDenied()
    note = (note or "").strip()
    if transition.needs_note:
        note = _required(note, "note", str(NOTE_REQUIRED.get(CaseAction(action), _("请填写说明。"))))
    elif len(note) > MAX_NOTE:
        raise ValidationFailed(_("说明不能超过%(n)d字。") % {"n": MAX_NOTE}, data={"note": _("说明过长。")})
    updates = _plan(case, action, note, now, payload)
    updates["status"] = transition.target
    rows = RectificationCase.objects.filter(pk=case.pk, version=case.version).update(
        version=F("version") + 1, **updates
    )
    if rows != 1:
        raise ConcurrentModification()
    from_status = case.status
    for key, value in updates.items():
        setattr(case, key, value)
    case.version += 1
    data = {
        k: str(v)
        for k, v in updates.items()
        if k in ("contact_person", "resolution", "ledger_entry", "rectify_by", "revisit_view") and v not in ("", None)
    }
    _event(case, action=action, from_status=from_status, actor=actor.user, now=now, note=note, data=data)
    if action == CaseAction.REDO:
        _tell_rater(
            case.rating,
            _("您对“%(title)s”的评价，回访后仍不满意，已要求承办单位在%(n)d个工作日内重新整改并向您反馈。"),
        )
    if action == CaseAction.ANSWER:
        _tell_rater(case.rating, _("您对“%(title)s”的评价，承办单位反馈如下：%(answer)s"), answer=note[:200])
    return case


def case_transition(
    *,
    actor: Any,
    case: RectificationCase | int,
    action: str,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
    **payload: Any,
) -> RectificationCase:
    """Apply one action of the case table: 核实, 立行立改, 说明/限期整改, 反馈, 回访, 办结.

    Preconditions: the actor sees the case (else NotFound); ``expected_version`` (when given) is
    current (else ConcurrentModification); the action is allowed from the status (else
    InvalidTransition) for the actor's role on the case (else PermissionDenied); the note and the
    action's fields are given (else ValidationFailed). Payload: ``contact_person`` (verify),
    ``resolution`` scheduled|explained, ``ledger_entry``, ``rectify_by`` (explain),
    ``revisit_view`` (revisit). The answer is sent to the rater by SMS.
    """
    now = now or timezone.now()
    if action not in CaseAction.values or action == CaseAction.UPHOLD_COMPLAINT:
        raise ValidationFailed(_("未知操作。"), code="unknown_action", data={"action": action})
    with transaction.atomic():
        resolved = actor if isinstance(actor, Actor) else actor_for(actor)
        current = _load(resolved, case if isinstance(case, int) else case.pk)
        return _transition(
            resolved, current, action, note=note, expected_version=expected_version, now=now, payload=payload
        )


def ratings_sweep_overdue(*, now: dt.datetime | None = None) -> int:
    """Flag cases not answered by their due time. Idempotent: a second run changes nothing."""
    now = now or timezone.now()
    changed = 0
    ids = list(
        RectificationCase.objects.filter(status__in=OWING_STATUSES, due_at__lt=now, is_overdue=False).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        with transaction.atomic():
            case = RectificationCase.objects.select_related("rating").get(pk=pk)
            rows = RectificationCase.objects.filter(
                pk=pk, version=case.version, status__in=OWING_STATUSES, is_overdue=False
            ).update(is_overdue=True, version=F("version") + 1)
            if rows != 1:
                continue  # acted on meanwhile; the next sweep looks again
            case.is_overdue = True
            case.version += 1
            _event(case, action="overdue", from_status=case.status, actor=None, now=now)
            changed += 1
    return changed


# --- complaints (申诉复核) ---------------------------------------------------------------------


def complaint_file(
    *,
    actor: Any,
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
        resolved = actor if isinstance(actor, Actor) else actor_for(actor)
        current = _load(resolved, case if isinstance(case, int) else case.pk)
        if UNIT_STAFF not in roles_for(resolved, current):
            raise PermissionDenied(_("只有被评价单位可以提出申诉。"))
        if current.status == CaseStatus.CLOSED:
            raise InvalidTransition(_("整改单已办结，不能再申诉。"), data={"status": current.status})
        errors: dict[str, str] = {}
        if reason not in ComplaintReason.values:
            errors["reason"] = _("请选择申诉类型。")
        statement = (statement or "").strip()
        if not statement:
            errors["statement"] = _("请写明申诉理由和依据。")
        elif len(statement) > MAX_NOTE:
            errors["statement"] = _("申诉理由不能超过%(n)d字。") % {"n": MAX_NOTE}
        if errors:
            raise ValidationFailed(data=errors)
        if Complaint.objects.filter(rating_id=current.rating_id).exists():
            raise ValidationFailed(_("该差评已提出过申诉，每条差评只能申诉一次。"), code="already_complained")
        complaint = Complaint.objects.create(
            rating_id=current.rating_id,
            case=current,
            unit_id=current.unit_id,
            reason=reason,
            statement=statement,
            filed_by=resolved.user,
            filed_at=now,
        )
        _event(
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
    actor: Any,
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
        resolved = actor if isinstance(actor, Actor) else actor_for(actor)
        complaint_id = complaint if isinstance(complaint, int) else complaint.pk
        current = Complaint.objects.filter(pk=complaint_id).select_related("case__unit", "case__rating").first()
        if current is None:
            raise NotFound()
        case = current.case
        if Role.SUPERVISOR not in roles_for(resolved, case):
            raise NotFound()
        if expected_version is not None and int(expected_version) != current.version:
            raise ConcurrentModification(data={"current_version": current.version, "status": current.status})
        if current.status != ComplaintStatus.PENDING:
            raise InvalidTransition(_("该申诉已复核。"), data={"status": current.status})
        if decision not in ("uphold", "reject"):
            message = _("请选择复核结论：申诉成立或申诉不成立。")
            raise ValidationFailed(message, data={"decision": message})
        note = _required(note, "note", _("请填写复核意见。"))
        target = ComplaintStatus.UPHELD if decision == "uphold" else ComplaintStatus.REJECTED
        rows = Complaint.objects.filter(pk=current.pk, version=current.version, status=ComplaintStatus.PENDING).update(
            status=target, reviewed_by=resolved.user, review_note=note, reviewed_at=now, version=F("version") + 1
        )
        if rows != 1:
            raise ConcurrentModification()
        current.status, current.review_note, current.reviewed_at = target, note, now
        current.reviewed_by = resolved.user
        current.version += 1
        if target == ComplaintStatus.UPHELD:
            Rating.objects.filter(pk=case.rating_id).update(excluded=True, excluded_at=now)
            if case.status == CaseStatus.CLOSED:
                # Closed meanwhile (after its 回访): the rating still leaves the figures.
                _event(
                    case, action="complaint_upheld", from_status=case.status, actor=resolved.user, now=now, note=note
                )
                return current
            _transition(
                resolved,
                case,
                CaseAction.UPHOLD_COMPLAINT,
                note=note,
                expected_version=None,
                now=now,
                payload={},
            )
        else:
            _event(case, action="complaint_rejected", from_status=case.status, actor=resolved.user, now=now, note=note)
        return current
