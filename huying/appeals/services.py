"""Writes for appeals. Keyword-only, one transaction each, history and counters in the same
transaction, notifications on commit. Pages, the API, the admin and tasks all call these."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.core.db.insert import insert
from huying.core.errors import ConcurrentModification, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from huying.core.models import AuditLog
from huying.core.notify import send_sms
from huying.core.registry import appeal_hooks
from huying.core.services import audit_record
from huying.core.statemachine import ClockEffect, Transition
from huying.core.uploads import check_upload, rename_for_storage
from huying.core.validators import normalize_id_number, normalize_phone
from huying.core.workdays import WorkCalendar
from huying.organisations.models import Division, OrgUnit
from huying.organisations.selectors import handling_units

from . import deadlines, ratings, stats
from .models import Appeal, AppealAssignment, AppealEvent, Attachment, Category, TrackingCode
from .permissions import actor_roles_for, visible_appeals_q
from .similarity import similarity
from .states import (
    CLOCK_STATUSES,
    FOLLOW_UP_FAILED_TARGET,
    OPEN_STATUSES,
    TRANSITIONS,
    Action,
    AppealType,
    Channel,
    ReferTarget,
    Resolution,
    Satisfaction,
    Status,
    Urgency,
)

REPEAT_SIMILARITY = 0.45
MAX_EXTENSION_DAYS = 30


@dataclass
class IntakeResult:
    appeal: Appeal
    repeat_of: Appeal | None = None
    warnings: list[str] = field(default_factory=list)


# --- intake ------------------------------------------------------------------------------


def default_title(content: str, limit: int = 30) -> str:
    """A title from the first clause of the content, cut at punctuation rather than mid-word."""
    first = re.split(r"[。！？!?\n]", content, maxsplit=1)[0].strip() or content
    if len(first) <= limit:
        return first
    cut = max(first.rfind(p, 0, limit) for p in "，,；;、 ")
    return (first[:cut] if cut >= limit // 2 else first[: limit - 1]) + "…"


def _clean_intake(
    *,
    channel: str,
    appeal_type: str,
    urgency: str,
    title: str,
    content: str,
    requester_name: str,
    requester_phone: str,
    requester_id_number: str,
    is_anonymous: bool,
    category: Category | None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    title, content = (title or "").strip(), (content or "").strip()
    if not content:
        errors["content"] = _("请填写诉求内容。")
    elif len(content) > 5000:
        errors["content"] = _("诉求内容不能超过5000字。")
    if len(title) > 120:
        errors["title"] = _("标题不能超过120字。")
    phone = ""
    if requester_phone:
        try:
            phone = normalize_phone(requester_phone, field="requester_phone")
        except ValidationFailed as exc:
            errors["requester_phone"] = str(exc.message)
    elif not is_anonymous:
        errors["requester_phone"] = _("请填写联系电话，以便答复和回访；如需匿名请勾选匿名。")
    id_number = ""
    if requester_id_number:
        try:
            id_number = normalize_id_number(requester_id_number, field="requester_id_number")
        except ValidationFailed as exc:
            errors["requester_id_number"] = str(exc.message)
    if is_anonymous and category is not None and not category.allows_anonymous:
        errors["is_anonymous"] = _("该类诉求需要实名反映，不能匿名。")
    for value, choices, name, label in (
        (channel, Channel, "channel", _("渠道")),
        (appeal_type, AppealType, "appeal_type", _("诉求类型")),
        (urgency, Urgency, "urgency", _("紧急程度")),
    ):
        if value not in choices.values:
            errors[name] = _("%(label)s无效。") % {"label": label}
    if errors:
        raise ValidationFailed(data=errors)
    return {
        "title": title or default_title(content),
        "content": content,
        "requester_name": (requester_name or "").strip()[:60],
        "requester_phone": phone,
        "requester_id_number": id_number,
    }


def appeal_find_repeat(*, phone: str, citizen_id: int | None, category: Category | None, text: str) -> Appeal | None:
    """An open appeal by the same requester about the same matter (Beijing Art. 11(三))."""
    if not phone and not citizen_id:
        return None
    for pk, category_id, title, content in _repeat_candidates(phone, citizen_id):
        same_category = category is not None and category_id == category.pk
        text_score = similarity(text, f"{title}{content}")
        if text_score >= REPEAT_SIMILARITY or (same_category and text_score >= REPEAT_SIMILARITY / 2):
            return Appeal.objects.get(pk=pk)
    return None


def _repeat_candidates(phone: str, citizen_id: int | None) -> list[tuple[int, int | None, str, str]]:
    """The requester's open appeals, oldest first: only the columns compared.

    Plain SQL: this runs inside every intake's write transaction, where the ORM's query building
    cost ten times the lookup itself (0.6 ms against 0.05 ms; SQLite queues writers on that lock).
    """
    q = connection.ops.quote_name
    who: list[str] = []
    params: list[Any] = []
    if phone:
        who.append(f"{q('requester_phone')} = %s")
        params.append(phone)
    if citizen_id:
        who.append(f"{q('citizen_id')} = %s")
        params.append(citizen_id)
    statuses = sorted(OPEN_STATUSES)
    sql = (
        f"SELECT {q('id')}, {q('category_id')}, {q('title')}, {q('content')} FROM {q(Appeal._meta.db_table)} "
        f"WHERE ({' OR '.join(who)}) AND {q('status')} IN ({', '.join(['%s'] * len(statuses))}) "
        f"ORDER BY {q('submitted_at')}, {q('id')} LIMIT 20"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *statuses])
        return list(cursor.fetchall())


def _assign_number(appeal: Appeal) -> None:
    """工单编号: the day received and the row id (unique, and tells a caller when it was filed)."""
    appeal.number = f"{timezone.localtime(appeal.submitted_at):%Y%m%d}{appeal.pk:07d}"
    q = connection.ops.quote_name
    with connection.cursor() as cursor:  # plain SQL: inside every intake's write transaction
        cursor.execute(
            f"UPDATE {q(Appeal._meta.db_table)} SET {q('number')} = %s WHERE {q('id')} = %s", [appeal.number, appeal.pk]
        )


def _event(
    appeal: Appeal,
    *,
    action: str,
    from_status: str,
    actor: Any,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
    is_public: bool = True,
    actor_unit: OrgUnit | None = None,
) -> AppealEvent:
    event = AppealEvent(
        appeal=appeal,
        action=action,
        from_status=from_status,
        to_status=appeal.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_unit=actor_unit,
        note=note,
        data=data or {},
        is_public=is_public,
        created_at=now,
    )
    insert(event)  # every action writes one: objects.create() without compiling the statement
    return event


def appeal_submit(
    *,
    actor: Any,
    channel: str,
    appeal_type: str,
    content: str,
    title: str = "",
    urgency: str = Urgency.GENERAL,
    requester_name: str = "",
    requester_phone: str = "",
    requester_id_number: str = "",
    is_anonymous: bool = False,
    is_confidential: bool = False,
    category: Category | None = None,
    division: Division | None = None,
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
    attachments: list[UploadedFile] | None = None,
    citizen: Any = None,
    detect_repeat: bool = True,
    auto_dispatch: bool = True,
    now: dt.datetime | None = None,
) -> IntakeResult:
    """Record a new appeal in SUBMITTED.

    If the same requester already has an open appeal about the same matter, the new one is
    stored as MERGED into it (the call is on record, no new work is created) and the result
    carries ``repeat_of`` so the caller can tell the requester its progress.
    """
    now = now or timezone.now()
    cleaned = _clean_intake(
        channel=channel,
        appeal_type=appeal_type,
        urgency=urgency,
        title=title,
        content=content,
        requester_name=requester_name,
        requester_phone=requester_phone,
        requester_id_number=requester_id_number,
        is_anonymous=is_anonymous,
        category=category,
    )
    for upload in attachments or []:
        check_upload(upload)
    # Validation above runs outside the transaction: SQLite takes its write lock at BEGIN.
    prepared = appeal_hooks.call("prepare", f"{cleaned['title']}{cleaned['content']}", division)
    with transaction.atomic():
        repeat_of = None
        if detect_repeat:
            repeat_of = appeal_find_repeat(
                phone=cleaned["requester_phone"],
                citizen_id=getattr(citizen, "pk", None),
                category=category,
                text=f"{cleaned['title']}{cleaned['content']}",
            )
        appeal = Appeal(
            channel=channel,
            appeal_type=appeal_type,
            urgency=urgency,
            category=category,
            division=division,
            address=(address or "")[:200],
            latitude=latitude,
            longitude=longitude,
            is_anonymous=is_anonymous,
            is_confidential=is_confidential,
            citizen=citizen,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            submitted_at=now,
            status=Status.MERGED if repeat_of else Status.SUBMITTED,
            merged_into=repeat_of,
            **cleaned,
        )
        insert(appeal)  # objects.create() without compiling the statement on every intake
        _assign_number(appeal)
        _event(appeal, action="submit", from_status="", actor=actor, now=now, data={"channel": channel})
        for upload in attachments or []:
            _attachment_store(appeal=appeal, upload=upload, actor=actor)
        if repeat_of is not None:
            _link_repeat(repeat=appeal, lead=repeat_of, actor=actor, now=now)
        stats.apply_delta({}, stats.appeal_vector(appeal))
        # Smart dispatch (if installed): index for near duplicates, suggest a category, maybe dispatch.
        if repeat_of is None and appeal_hooks.call("submitted", appeal, auto_dispatch=auto_dispatch, prepared=prepared):
            appeal.refresh_from_db()
        return IntakeResult(appeal=appeal, repeat_of=repeat_of)


def _link_repeat(*, repeat: Appeal, lead: Appeal, actor: Any, now: dt.datetime) -> None:
    _event(
        repeat,
        action=Action.MERGE,
        from_status=Status.SUBMITTED,
        actor=actor,
        now=now,
        note=_("同一诉求人就同一事项再次反映，已并入工单 %(number)s。") % {"number": lead.number},
        data={"lead": lead.number},
    )
    _note_repeat_on_lead(lead=lead, repeat=repeat, actor=actor, now=now)


def _note_repeat_on_lead(*, lead: Appeal, repeat: Appeal, actor: Any, now: dt.datetime) -> None:
    """The lead order counts the repeat and shows it in its history (no version bump: not an action)."""
    Appeal.objects.filter(pk=lead.pk).update(repeat_count=F("repeat_count") + 1)
    lead.repeat_count += 1
    _event(
        lead,
        action="repeat_linked",
        from_status=lead.status,
        actor=actor,
        now=now,
        note=_("诉求人再次反映同一事项（工单 %(number)s），已并单。") % {"number": repeat.number},
        data={"repeat": repeat.number},
        is_public=True,
    )


@transaction.atomic
def appeal_record_call(
    *,
    actor: Any,
    lead_unit: OrgUnit | None,
    assist_units: list[OrgUnit] | None = None,
    note: str = "",
    now: dt.datetime | None = None,
    **intake: Any,
) -> IntakeResult:
    """The operator workbench in one step: record, accept and dispatch (or link as a repeat).

    Without a ``lead_unit`` the appeal is accepted and left for dispatch.
    """
    now = now or timezone.now()
    result = appeal_submit(actor=actor, now=now, auto_dispatch=False, **intake)
    if result.repeat_of is not None:
        return result
    appeal = appeal_transition(actor=actor, appeal=result.appeal, action=Action.ACCEPT, now=now)
    if lead_unit is not None:
        appeal = appeal_transition(
            actor=actor,
            appeal=appeal,
            action=Action.DISPATCH,
            note=note,
            lead_unit=lead_unit,
            assist_units=assist_units or [],
            now=now,
        )
    result.appeal = appeal
    return result


def appeal_set_category(*, actor: Any, appeal: Appeal, category: Category, note: str = "") -> Appeal:
    """Classify an order that is not yet dispatched (an operator, or smart dispatch acting for the hotline)."""
    with transaction.atomic():
        resolved = actor if isinstance(actor, Actor) else actor_for(actor)
        current = _load_for_update(resolved, appeal.pk)
        if not (actor_roles_for(resolved, current) & {Role.OPERATOR, Role.SUPERVISOR}):
            raise PermissionDenied()
        if current.status not in (Status.SUBMITTED, Status.ACCEPTED):
            raise InvalidTransition(_("工单已派出，不能再改分类。"), data={"status": current.status})
        before = stats.appeal_vector(current)
        rows = Appeal.objects.filter(pk=current.pk, version=current.version).update(
            category=category, version=F("version") + 1
        )
        if rows != 1:
            raise ConcurrentModification()
        current.category, current.version = category, current.version + 1
        _event(
            current,
            action="categorised",
            from_status=current.status,
            actor=resolved.user,
            now=timezone.now(),
            note=note,
            data={"category": str(category)},
            is_public=False,
        )
        stats.apply_delta(before, stats.appeal_vector(current))
        return current


# --- transitions -------------------------------------------------------------------------


def _load_for_update(actor: Actor, appeal_id: int) -> Appeal:
    appeal = (
        Appeal.objects.filter(visible_appeals_q(actor), pk=appeal_id).select_related("lead_unit", "category").first()
    )
    if appeal is None:
        raise NotFound()
    return appeal


def _require(payload: dict[str, Any], key: str, message: str) -> Any:
    value = payload.get(key)
    if value in (None, "", []):
        raise ValidationFailed(message, data={key: message})
    return value


def _unit_for_dispatch(value: Any, field_name: str) -> OrgUnit:
    unit = value if isinstance(value, OrgUnit) else handling_units().filter(pk=value).first()
    if unit is None or not unit.is_active:
        raise ValidationFailed(_("请选择有效的承办单位。"), data={field_name: _("请选择有效的承办单位。")})
    return unit


def appeal_transition(
    *,
    actor: Any,
    appeal: Appeal | int,
    action: str,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
    **payload: Any,
) -> Appeal:
    """Apply one action from the TRANSITIONS table.

    Preconditions: the actor can see the appeal (else NotFound), the action is allowed from the
    current status (else InvalidTransition) for one of the actor's roles on this appeal (else
    PermissionDenied), a note is given where the table asks for one. ``expected_version`` is the
    version the actor was looking at; if the order changed meanwhile, ConcurrentModification is
    raised and nothing is written. Effects: one conditional UPDATE, one event row, counter deltas.
    """
    now = now or timezone.now()
    with transaction.atomic():
        resolved_actor = actor if isinstance(actor, Actor) else actor_for(actor)
        appeal_id = appeal if isinstance(appeal, int) else appeal.pk
        current = _load_for_update(resolved_actor, appeal_id)
        if expected_version is not None and int(expected_version) != current.version:
            raise ConcurrentModification(data={"current_version": current.version, "status": current.status})
        if action not in {a.value for a in Action}:
            raise ValidationFailed(_("未知操作。"), code="unknown_action", data={"action": action})
        transition = TRANSITIONS.get(current.status, action)
        if transition is None:
            raise InvalidTransition(
                _("工单当前状态为「%(status)s」，不能执行「%(action)s」。")
                % {"status": current.get_status_display(), "action": Action(action).label},
                data={"status": current.status, "action": action},
            )
        roles = actor_roles_for(resolved_actor, current)
        if not (transition.roles & roles):
            raise PermissionDenied()
        note = (note or "").strip()
        if transition.needs_note and not note:
            raise ValidationFailed(_("请填写说明（意见、原因或答复内容）。"), data={"note": _("此操作需要填写说明。")})
        if len(note) > 5000:
            raise ValidationFailed(_("说明不能超过5000字。"), data={"note": _("说明不能超过5000字。")})
        return _apply(resolved_actor, current, transition, note, now, roles, payload)


@dataclass
class TransitionPlan:
    """What one transition changes: field updates, event data, new unit assignments."""

    updates: dict[str, Any]
    data: dict[str, Any]
    assignments: list[tuple[OrgUnit, str]] = field(default_factory=list)


def _responded_in_time(appeal: Appeal, now: dt.datetime) -> bool:
    """响应: the unit signed for the order, or objected to it, within the response window."""
    within = appeal.dispatched_at is None or now - appeal.dispatched_at <= dt.timedelta(hours=deadlines.RESPONSE_HOURS)
    return within and (appeal.due_at is None or now <= appeal.due_at)


def _resolve_payload(appeal: Appeal, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Turn ids in the payload into objects (the only DB reads a plan needs)."""
    resolved = dict(payload)
    if action in (Action.DISPATCH, Action.APPROVE_RETURN):
        resolved["lead_unit"] = _unit_for_dispatch(_require(payload, "lead_unit", _("请选择主办单位。")), "lead_unit")
        resolved["assist_units"] = [_unit_for_dispatch(u, "assist_units") for u in payload.get("assist_units") or []]
        category = payload.get("category")
        if category is not None and not isinstance(category, Category):
            found = Category.objects.filter(pk=category, is_active=True).first() if str(category).isdigit() else None
            if found is None:
                raise ValidationFailed(_("问题分类不存在。"), data={"category": _("问题分类不存在。")})
            category = found
        resolved["category"] = category
    elif action == Action.MERGE:
        lead = payload.get("merge_into")
        if isinstance(lead, int):
            lead = Appeal.objects.filter(pk=lead).first()
        elif not isinstance(lead, Appeal):
            # Operators type the 工单编号; integrations may send the id as a string.
            text = str(lead or "").strip()
            lookup = Q(number=text)
            if text.isdigit() and len(text) < 10:
                lookup |= Q(pk=int(text))
            lead = Appeal.objects.filter(lookup).first() if text else None
        resolved["merge_into"] = lead
    elif action == Action.APPROVE_EXTENSION and not payload.get("extension_days"):
        resolved["extension_days"] = _last_event_data(appeal, Action.REQUEST_EXTENSION).get("extension_days", 0)
    return resolved


def _days(payload: dict[str, Any]) -> int:
    try:
        return int(payload.get("extension_days") or 0)
    except (TypeError, ValueError):
        return 0


def plan_transition(
    appeal: Appeal,
    transition: Transition,
    *,
    note: str,
    now: dt.datetime,
    payload: dict[str, Any],
    calendar: WorkCalendar | None = None,
    limit_for: Callable[[Category | None, str], tuple[int, str]] = deadlines.time_limit_for,
) -> TransitionPlan:
    """The effects of ``transition`` on ``appeal`` with a resolved payload. Reads nothing from the
    database itself (``limit_for`` and ``calendar`` may), so the demo history can replay it."""
    action = transition.action
    updates: dict[str, Any] = {"status": transition.target}
    data: dict[str, Any] = {}
    assignments: list[tuple[OrgUnit, str]] = []

    if action == Action.ACCEPT:
        updates["accepted_at"] = now
    elif action == Action.ANSWER:
        updates.update(reply_text=note, replied_at=now, closed_at=now)
    elif action == Action.REFER:
        target = _require(payload, "refer_target", _("请选择转往的渠道。"))
        if target not in ReferTarget.values:
            raise ValidationFailed(_("转往渠道无效。"), data={"refer_target": _("转往渠道无效。")})
        updates["refer_target"] = target
        data["refer_target"] = target
    elif action in (Action.REFUSE, Action.WITHDRAW):
        updates["closed_at"] = now
    elif action == Action.MERGE:
        lead = payload.get("merge_into")
        same = lead is appeal or (isinstance(lead, Appeal) and lead.pk is not None and lead.pk == appeal.pk)
        if not isinstance(lead, Appeal) or same or lead.status not in OPEN_STATUSES:
            raise ValidationFailed(_("请选择一个在办的工单并入。"), data={"merge_into": _("目标工单不存在或已办结。")})
        updates["merged_into"] = lead
        data["lead"] = lead.number
    elif action in (Action.DISPATCH, Action.APPROVE_RETURN):
        lead_unit: OrgUnit = payload["lead_unit"]
        if action == Action.APPROVE_RETURN and lead_unit.pk == appeal.lead_unit_id:
            raise ValidationFailed(_("改派的单位不能是申请退单的单位。"), data={"lead_unit": _("请选择其他单位。")})
        assists = [u for u in payload.get("assist_units") or [] if u.pk != lead_unit.pk]
        # A re-dispatched order starts afresh at its new unit, which must sign for it in time.
        updates.update(lead_unit=lead_unit, dispatched_at=now, signed_at=None, is_signed_on_time=None)
        category = payload.get("category")
        if isinstance(category, Category) and category.pk != appeal.category_id:
            # The operator classifies (or re-classifies) the order as they dispatch it.
            updates["category"] = category
            data["category"] = str(category)
        assignments = [(lead_unit, AppealAssignment.Role.LEAD)] + [(u, AppealAssignment.Role.ASSIST) for u in assists]
        data.update(lead_unit=lead_unit.name, assist_units=[u.name for u in assists])
    elif action in (Action.SIGN, Action.REQUEST_RETURN):
        if action == Action.SIGN:
            updates["signed_at"] = now
        if appeal.is_signed_on_time is None:
            updates["is_signed_on_time"] = _responded_in_time(appeal, now)
    elif action == Action.REJECT_RETURN:
        # The objection is overruled: the order counts as signed for by the unit from now.
        updates["signed_at"] = now
    elif action in (Action.REQUEST_EXTENSION, Action.APPROVE_EXTENSION):
        days = _days(payload)
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            message = _("延期天数应为1至%(max)d个工作日。") % {"max": MAX_EXTENSION_DAYS}
            raise ValidationFailed(message, data={"extension_days": message})
        data["extension_days"] = days
        if action == Action.APPROVE_EXTENSION:
            updates["due_at"] = deadlines.extend_due_at(appeal, days, calendar=calendar)
            updates["is_overdue"] = bool(updates["due_at"] and updates["due_at"] < now)
    elif action == Action.REPLY:
        updates.update(reply_text=note, replied_at=now)
        updates["is_replied_on_time"] = appeal.due_at is None or now <= appeal.due_at
    elif action == Action.FOLLOW_UP:
        resolution = _require(payload, "resolution", _("请选择解决情况。"))
        satisfaction = _require(payload, "satisfaction", _("请选择满意度。"))
        if resolution not in Resolution.values:
            raise ValidationFailed(_("解决情况无效。"), data={"resolution": _("解决情况无效。")})
        if satisfaction not in Satisfaction.values:
            raise ValidationFailed(_("满意度无效。"), data={"satisfaction": _("满意度无效。")})
        updates.update(resolution=resolution, satisfaction=satisfaction)
        data.update(resolution=resolution, satisfaction=satisfaction)
        # Re-handled when the matter is not solved at all or the citizen is not satisfied (Jinan Art. 27).
        if resolution == Resolution.UNRESOLVED or satisfaction == Satisfaction.UNSATISFIED:
            updates["status"] = FOLLOW_UP_FAILED_TARGET
        else:
            updates["closed_at"] = now
    elif action == Action.REOPEN:
        updates["rehandle_count"] = appeal.rehandle_count + 1
        updates["replied_at"] = None
    elif action == Action.CLOSE:
        updates["closed_at"] = now
    elif action == Action.JOINT_REPLY:
        updates.update(reply_text=note, closed_at=now)
        if appeal.replied_at is None:
            updates["replied_at"] = now
            updates["is_replied_on_time"] = appeal.due_at is None or now <= appeal.due_at
    elif action == Action.SUPERVISE:
        updates["supervise_level"] = min(appeal.supervise_level + 1, 3)
        data["level"] = updates["supervise_level"]

    # The handling clock.
    if transition.clock == ClockEffect.START:
        amount, unit = limit_for(appeal.category, appeal.urgency)
        due_at = deadlines.due_at_for(now, amount, unit, calendar)
        updates.update(time_limit_amount=amount, time_limit_unit=unit, due_at=due_at, paused_at=None, is_overdue=False)
        data["due_at"] = due_at.isoformat()
    elif transition.clock == ClockEffect.PAUSE:
        updates["paused_at"] = now
    elif transition.clock == ClockEffect.RESUME:
        updates["due_at"] = deadlines.resume_due_at(appeal, now, calendar=calendar)
        updates["paused_at"] = None
        updates["is_overdue"] = bool(updates["due_at"] and updates["due_at"] < now)
    elif transition.clock == ClockEffect.EXTEND and updates.get("due_at"):
        data["due_at"] = updates["due_at"].isoformat()
    return TransitionPlan(updates=updates, data=data, assignments=assignments)


def _apply(
    actor: Actor,
    appeal: Appeal,
    transition: Transition,
    note: str,
    now: dt.datetime,
    roles: set[str],
    payload: dict[str, Any],
) -> Appeal:
    before = stats.appeal_vector(appeal)
    from_status = appeal.status
    action = transition.action
    plan = plan_transition(appeal, transition, note=note, now=now, payload=_resolve_payload(appeal, action, payload))
    if action == Action.REPLY:
        # Kept on the event so that a supervisor sees which replies may not answer the appeal.
        warnings = appeal_hooks.call("check_reply", appeal, note)
        if warnings:
            plan.data["reply_warnings"] = warnings
    updates = plan.updates
    rows = Appeal.objects.filter(pk=appeal.pk, version=appeal.version).update(version=F("version") + 1, **updates)
    if rows != 1:
        raise ConcurrentModification()
    for key, value in updates.items():
        setattr(appeal, key, value)
    appeal.version += 1
    if plan.assignments:
        AppealAssignment.objects.filter(appeal=appeal, is_active=True).update(is_active=False)
        AppealAssignment.objects.bulk_create(
            [AppealAssignment(appeal=appeal, unit=u, role=r) for u, r in plan.assignments]
        )
    _event(
        appeal,
        action=action,
        from_status=from_status,
        actor=actor.user,
        now=now,
        note=note,
        data=plan.data,
        actor_unit=_acting_unit(actor, appeal, roles),
        is_public=action not in (Action.SUPERVISE,),
    )
    if action == Action.MERGE:
        _note_repeat_on_lead(lead=updates["merged_into"], repeat=appeal, actor=actor.user, now=now)
    stats.apply_delta(before, stats.appeal_vector(appeal))
    if action in (Action.DISPATCH, Action.APPROVE_RETURN):
        # Smart dispatch records the operator's final category against its suggestion.
        appeal_hooks.call("dispatched", appeal, actor.user)
    if action in (Action.REPLY, Action.ANSWER, Action.JOINT_REPLY):
        _notify_reply(appeal)
    if action == Action.FOLLOW_UP:
        # The follow-up call is the order's 好差评 rating (12345热线 channel) unless rated online first.
        ratings.record_follow_up(appeal, operator=actor.user, satisfaction=updates["satisfaction"], note=note)
    return appeal


def _notify_reply(appeal: Appeal) -> None:
    """The requester, and everyone whose repeat call was merged into this order, hear of the reply."""
    recipients = [(appeal.requester_phone, appeal.number)] if appeal.requester_phone else []
    recipients += [
        (phone, number)
        for phone, number in appeal.repeats.exclude(requester_phone="").values_list("requester_phone", "number")
        if phone != appeal.requester_phone
    ]
    for phone, number in dict(recipients).items():
        text = _("您反映的诉求（工单 %(number)s）已有答复，可凭工单号查询。") % {"number": number}
        transaction.on_commit(functools.partial(send_sms, phone=phone, text=text))


def _acting_unit(actor: Actor, appeal: Appeal, roles: set[str]) -> OrgUnit | None:
    if Role.HANDLER in roles:
        return appeal.lead_unit
    return None


def _last_event_data(appeal: Appeal, action: str) -> dict[str, Any]:
    event = AppealEvent.objects.filter(appeal=appeal, action=action).order_by("-created_at", "-pk").first()
    return event.data if event else {}


@transaction.atomic
def appeal_assist_report(*, actor: Any, appeal_id: int, note: str, now: dt.datetime | None = None) -> AppealEvent:
    """An assisting unit (协办) reports its part to the lead unit; the status does not change."""
    now = now or timezone.now()
    resolved = actor_for(actor)
    appeal = _load_for_update(resolved, appeal_id)
    if appeal.status not in OPEN_STATUSES:
        raise InvalidTransition(_("工单已办结，不能再提交协办意见。"), data={"status": appeal.status})
    unit = (
        AppealAssignment.objects.filter(
            appeal=appeal,
            role=AppealAssignment.Role.ASSIST,
            is_active=True,
            unit__path__in=list(resolved.unit_paths(Role.HANDLER)),
        )
        .select_related("unit")
        .first()
    )
    if unit is None:
        raise PermissionDenied()
    if not (note or "").strip():
        raise ValidationFailed(_("请填写协办意见。"), data={"note": _("请填写协办意见。")})
    return _event(
        appeal,
        action="assist_report",
        from_status=appeal.status,
        actor=actor,
        now=now,
        note=note.strip(),
        actor_unit=unit.unit,
        is_public=False,
    )


# --- deadlines sweep -----------------------------------------------------------------------


def appeals_sweep_overdue(*, now: dt.datetime | None = None) -> int:
    """Mark overdue orders and raise their 督办 level. Idempotent: a second run changes nothing."""
    now = now or timezone.now()
    changed = 0
    candidates = Appeal.objects.filter(
        status__in=[Status.DISPATCHED, Status.RETURN_REQUESTED, Status.HANDLING, Status.EXTENSION_REQUESTED],
        due_at__lt=now,
        paused_at__isnull=True,
    ).only("pk")
    for pk in candidates.values_list("pk", flat=True).iterator():
        if _sweep_one(pk, now):
            changed += 1
    return changed


def overdue_escalation(appeal: Appeal, now: dt.datetime) -> int | None:
    """The 督办 level an order should now be at, or None when the sweep has nothing to do."""
    if appeal.status not in CLOCK_STATUSES or appeal.due_at is None or appeal.paused_at is not None:
        return None
    level = deadlines.overdue_level(appeal.due_at, now)
    if level == 0 or (appeal.is_overdue and appeal.supervise_level >= level):
        return None
    return max(level, appeal.supervise_level)


@transaction.atomic
def _sweep_one(pk: int, now: dt.datetime) -> bool:
    appeal = Appeal.objects.select_related("lead_unit").get(pk=pk)
    new_level = overdue_escalation(appeal, now)
    if new_level is None:
        return False
    before = stats.appeal_vector(appeal)
    rows = Appeal.objects.filter(pk=pk, version=appeal.version).update(
        is_overdue=True, supervise_level=new_level, version=F("version") + 1
    )
    if rows != 1:
        return False  # someone acted on it meanwhile; the next sweep looks again
    was_overdue = appeal.is_overdue
    appeal.is_overdue, appeal.supervise_level = True, new_level
    appeal.version += 1
    _event(
        appeal,
        action="overdue" if not was_overdue else "escalate",
        from_status=appeal.status,
        actor=None,
        now=now,
        note=_("工单已超期，系统自动%(level)s级督办。") % {"level": new_level},
        data={"level": new_level},
        is_public=False,
    )
    stats.apply_delta(before, stats.appeal_vector(appeal))
    return True


# --- attachments ---------------------------------------------------------------------------


def _attachment_store(*, appeal: Appeal, upload: UploadedFile, actor: Any) -> Attachment:
    content_type = check_upload(upload)
    original_name = rename_for_storage(upload, prefix=appeal.number or f"appeal{appeal.pk}", content_type=content_type)
    return Attachment.objects.create(
        appeal=appeal,
        file=upload,
        original_name=original_name,
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def appeal_attachment_add(
    *, actor: Any, appeal_id: int, upload: UploadedFile, now: dt.datetime | None = None
) -> Attachment:
    """Add a file to an open appeal the actor can see (a citizen's photo, a unit's evidence).

    Preconditions: visible (else NotFound), still open (else InvalidTransition), the file passes
    ``core.uploads.check_upload``. Effects: the attachment row and a non-public event, one transaction.
    """
    now = now or timezone.now()
    appeal = _load_for_update(actor_for(actor), appeal_id)
    if appeal.status not in OPEN_STATUSES:
        raise InvalidTransition(_("工单已结束，不能再添加附件。"), data={"status": appeal.status})
    attachment = _attachment_store(appeal=appeal, upload=upload, actor=actor)
    _event(
        appeal,
        action="attachment_added",
        from_status=appeal.status,
        actor=actor,
        now=now,
        data={"attachment": attachment.pk, "content_type": attachment.content_type},
        is_public=False,
    )
    return attachment


# --- citizen tracking and personal data ------------------------------------------------------


def _hash_code(appeal_pk: int, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{appeal_pk}:{code}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def tracking_code_send(*, number: str, phone: str, now: dt.datetime | None = None) -> None:
    """Send a one-time code to the requester's phone if number and phone match an appeal.

    It answers the same whether or not they match, so numbers cannot be probed.
    """
    now = now or timezone.now()
    phone = normalize_phone(phone)
    appeal = Appeal.objects.filter(number=(number or "").strip(), requester_phone=phone).first()
    if appeal is None:
        return
    recent = TrackingCode.objects.filter(appeal=appeal, created_at__gte=now - dt.timedelta(minutes=1)).count()
    if recent >= 3:
        raise ValidationFailed(_("验证码发送过于频繁，请一分钟后再试。"), code="throttled")
    code = f"{secrets.randbelow(1_000_000):06d}"
    TrackingCode.objects.create(
        appeal=appeal,
        code_hash=_hash_code(appeal.pk, code),
        expires_at=now + dt.timedelta(minutes=settings.HUYING_VERIFICATION_CODE_MINUTES),
    )
    transaction.on_commit(
        lambda: send_sms(
            phone=phone,
            text=_("您查询工单 %(number)s 的验证码为 %(code)s，%(m)d分钟内有效。")
            % {"number": appeal.number, "code": code, "m": settings.HUYING_VERIFICATION_CODE_MINUTES},
        )
    )


def tracking_code_verify(*, number: str, code: str, now: dt.datetime | None = None) -> Appeal:
    """Return the appeal when the code is right; five wrong tries spend a code."""
    now = now or timezone.now()
    wrong = ValidationFailed(_("工单号或验证码不正确，或验证码已过期。"), code="invalid_code")
    appeal = Appeal.objects.filter(number=(number or "").strip()).first()
    if appeal is None:
        raise wrong
    tracking = (
        TrackingCode.objects.filter(appeal=appeal, used_at__isnull=True, expires_at__gte=now, attempts__lt=5)
        .order_by("-created_at")
        .first()
    )
    if tracking is None:
        raise wrong
    if not hmac.compare_digest(tracking.code_hash, _hash_code(appeal.pk, (code or "").strip())):
        # Not in a transaction on purpose: the failed attempt must count even though we raise.
        TrackingCode.objects.filter(pk=tracking.pk).update(attempts=F("attempts") + 1)
        raise wrong
    TrackingCode.objects.filter(pk=tracking.pk).update(used_at=now)
    return appeal


def appeal_reveal_personal_data(
    *, actor: Any, appeal: Appeal, purpose: str, ip_address: str | None = None
) -> dict[str, str]:
    """Full phone and ID number for a role that needs them; every view is written to the audit log."""
    from .permissions import can_view_personal_data

    resolved = actor_for(actor)
    if not can_view_personal_data(resolved, appeal):
        raise PermissionDenied(_("您的角色无权查看诉求人完整信息。"))
    if not (purpose or "").strip():
        raise ValidationFailed(_("请填写查看事由。"), data={"purpose": _("请填写查看事由。")})
    audit_record(
        kind=AuditLog.Kind.PERSONAL_DATA_VIEW,
        actor=actor,
        obj=appeal,
        summary=f"查看工单 {appeal.number} 诉求人完整信息",
        data={"purpose": purpose.strip()[:200]},
        ip_address=ip_address,
    )
    return {"requester_phone": appeal.requester_phone, "requester_id_number": appeal.requester_id_number}
