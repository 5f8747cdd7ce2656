"""Intake: a new appeal recorded (or linked to the open one it repeats), and its classification."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.core.db.insert import insert
from huying.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from huying.core.registry import appeal_hooks
from huying.core.statemachine import versioned_update
from huying.core.uploads import check_upload
from huying.core.validators import normalize_id_number, normalize_phone
from huying.organisations.models import Division, OrgUnit

from .. import stats
from ..models import Appeal, Category
from ..permissions import actor_roles_for
from ..similarity import similarity
from ..states import OPEN_STATUSES, Action, AppealType, Channel, Status, Urgency
from ..system_notes import system_note
from .attachments import attachment_store
from .base import acting_user, load_visible, note_repeat_on_lead, record_event
from .transitions import appeal_transition

REPEAT_SIMILARITY = 0.45


@dataclass
class IntakeResult:
    appeal: Appeal
    repeat_of: Appeal | None = None
    warnings: list[str] = field(default_factory=list)


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
    problems: dict[str, str] = {}
    title, content = (title or "").strip(), (content or "").strip()
    if not content:
        problems["content"] = _("请填写诉求内容。")
    elif len(content) > 5000:
        problems["content"] = _("诉求内容不能超过5000字。")
    if len(title) > 120:
        problems["title"] = _("标题不能超过120字。")
    phone = ""
    if requester_phone:
        try:
            phone = normalize_phone(requester_phone, field="requester_phone")
        except ValidationFailed as exc:
            problems["requester_phone"] = str(exc.message)
    elif not is_anonymous:
        problems["requester_phone"] = _("请填写联系电话，以便答复和回访；如需匿名请勾选匿名。")
    id_number = ""
    if requester_id_number:
        try:
            id_number = normalize_id_number(requester_id_number, field="requester_id_number")
        except ValidationFailed as exc:
            problems["requester_id_number"] = str(exc.message)
    if is_anonymous and category is not None and not category.allows_anonymous:
        problems["is_anonymous"] = _("该类诉求需要实名反映，不能匿名。")
    for value, choices, name, label in (
        (channel, Channel, "channel", _("渠道")),
        (appeal_type, AppealType, "appeal_type", _("诉求类型")),
        (urgency, Urgency, "urgency", _("紧急程度")),
    ):
        if value not in choices.values:
            problems[name] = _("%(label)s无效。") % {"label": label}
    if problems:
        raise ValidationFailed(data=problems)
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


def appeal_submit(
    *,
    actor: Actor | User | AnonymousUser,
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
    latitude: Decimal | float | str | None = None,
    longitude: Decimal | float | str | None = None,
    attachments: list[UploadedFile] | None = None,
    citizen: User | AnonymousUser | None = None,
    grid_code: str = "",
    detect_repeat: bool = True,
    auto_dispatch: bool = True,
    now: dt.datetime | None = None,
) -> IntakeResult:
    """Record a new appeal in SUBMITTED.

    If the same requester already has an open appeal about the same matter, the new one is
    stored as MERGED into it (the call is on record, no new work is created) and the result
    carries ``repeat_of`` so the caller can tell the requester its progress.
    """
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
    fields = dict(
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
        citizen=acting_user(citizen),
        grid_code=(grid_code or "")[:24],
        **cleaned,
    )
    # Validation above runs outside the transaction: SQLite takes its write lock at BEGIN.
    return _record_intake(
        actor=actor,
        fields=fields,
        attachments=attachments or [],
        detect_repeat=detect_repeat,
        auto_dispatch=auto_dispatch,
        now=now or timezone.now(),
    )


def _record_intake(
    *,
    actor: Actor | User | AnonymousUser,
    fields: dict[str, Any],
    attachments: list[UploadedFile],
    detect_repeat: bool,
    auto_dispatch: bool,
    now: dt.datetime,
) -> IntakeResult:
    """The intake transaction: the appeal, its number, history and attachments, the repeat link,
    the counters, and smart dispatch's look at it."""
    text = f"{fields['title']}{fields['content']}"
    prepared = appeal_hooks.call("prepare", fields["content"], fields["division"], title=fields["title"])
    with transaction.atomic():
        repeat_of = None
        if detect_repeat:
            citizen = fields["citizen"]
            repeat_of = appeal_find_repeat(
                phone=fields["requester_phone"],
                citizen_id=citizen.pk if citizen is not None else None,
                category=fields["category"],
                text=text,
            )
        appeal = Appeal(
            created_by=acting_user(actor),
            submitted_at=now,
            status=Status.MERGED if repeat_of else Status.SUBMITTED,
            merged_into=repeat_of,
            **fields,
        )
        insert(appeal)  # objects.create() without compiling the statement on every intake
        _assign_number(appeal)
        record_event(appeal, action="submit", from_status="", actor=actor, now=now, data={"channel": appeal.channel})
        for upload in attachments:
            attachment_store(appeal=appeal, upload=upload, actor=actor)
        if repeat_of is not None:
            _link_repeat(repeat=appeal, lead=repeat_of, actor=actor, now=now)
        stats.apply_delta({}, stats.appeal_vector(appeal))
        # Smart dispatch (if installed): index for near duplicates, suggest a category, maybe dispatch.
        if repeat_of is None and appeal_hooks.call("submitted", appeal, auto_dispatch=auto_dispatch, prepared=prepared):
            appeal.refresh_from_db()
        return IntakeResult(appeal=appeal, repeat_of=repeat_of)


def _link_repeat(*, repeat: Appeal, lead: Appeal, actor: Actor | User | AnonymousUser, now: dt.datetime) -> None:
    note, note_data = system_note("repeat_merged", number=lead.number)
    record_event(
        repeat,
        action=Action.MERGE,
        from_status=Status.SUBMITTED,
        actor=actor,
        now=now,
        note=note,
        data={"lead": lead.number, **note_data},
    )
    note_repeat_on_lead(lead=lead, repeat=repeat, actor=actor, now=now)


@transaction.atomic
def appeal_record_call(
    *,
    actor: Actor | User | AnonymousUser,
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


def appeal_set_category(
    *,
    actor: Actor | User | AnonymousUser,
    appeal: Appeal,
    category: Category,
    note: str = "",
    note_data: dict[str, Any] | None = None,
) -> Appeal:
    """Classify an order that is not yet dispatched (an operator, or smart dispatch acting for the hotline)."""
    with transaction.atomic():
        resolved = actor_for(actor)
        current = load_visible(resolved, appeal.pk)
        if not (actor_roles_for(resolved, current) & {Role.OPERATOR, Role.SUPERVISOR}):
            raise PermissionDenied()
        if current.status not in (Status.SUBMITTED, Status.ACCEPTED):
            raise InvalidTransition(_("工单已派出，不能再改分类。"), data={"status": current.status})
        before = stats.appeal_vector(current)
        versioned_update(Appeal.objects.filter(pk=current.pk), expected_version=current.version, category=category)
        current.category, current.version = category, current.version + 1
        record_event(
            current,
            action="categorised",
            from_status=current.status,
            actor=resolved,
            now=timezone.now(),
            note=note,
            data={"category": str(category), **(note_data or {})},
            is_public=False,
        )
        stats.apply_delta(before, stats.appeal_vector(current))
        return current
