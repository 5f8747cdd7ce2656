"""Suggestions and proposals on their statutory clocks (代表法 Art. 51; 山东省代表建议办理条例
Arts. 8–24): one-matter check, assignment to a lead unit and co-handlers, the 5-working-day objection,
re-assignment only by the assigning body, the 3-month reply (6 at most, with an approval record),
A–D replies, the proposer's satisfaction on attitude and result, and a re-reply within a month."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.statemachine import clean_note, versioned_update
from huying.core.workdays import WorkCalendar
from huying.organisations.models import OrgUnit

from .. import clocks, errors, labels, states
from ..errors import fail
from ..models import Suggestion, SuggestionEvent, SuggestionUnit
from .common import check_version, describe, is_staff, load, next_number, resolve
from .stations import deputy_of


@transaction.atomic
def suggestion_create(*, actor: Any, title: str, content: str, kind: str = Suggestion.Kind.SUGGESTION) -> Suggestion:
    resolved = resolve(actor)
    deputy = deputy_of(resolved)
    if deputy is None:
        raise PermissionDenied()
    title, content = (title or "").strip(), clean_note(content)
    if not title or len(title) > 120 or not content:
        raise ValidationFailed(_("请填写标题（不超过120字）和内容。"), data={"title": _("请填写标题。")})
    if kind not in Suggestion.Kind.values:
        raise ValidationFailed(_("类别无效。"), data={"kind": _("类别无效。")})
    suggestion = Suggestion.objects.create(
        number=next_number(Suggestion, "JY"),
        kind=kind,
        proposer=deputy,
        title=title,
        content=content,
        status=states.SUBMITTED_S,
    )
    _event(suggestion, "submit", resolved, "", timezone.now())
    return suggestion


def table_roles(actor: Actor, suggestion: Suggestion) -> set[str]:
    roles = {states.STAFF} if is_staff(actor) else set()
    if suggestion.proposer.user_id == actor.user.pk:
        roles.add(states.PROPOSER)
    lead = suggestion.lead
    if lead is not None and lead.unit_id in actor.unit_ids(Role.HANDLER):
        roles.add(states.LEAD_UNIT)
    return roles


def co_unit_of(actor: Actor, suggestion: Suggestion) -> SuggestionUnit | None:
    mine = actor.unit_ids(Role.HANDLER)
    return next(
        (u for u in suggestion.units.all() if u.role == SuggestionUnit.Role.CO and u.is_current and u.unit_id in mine),
        None,
    )


def _event(suggestion: Suggestion, action: str, actor: Actor, note: str, now: dt.datetime) -> None:
    SuggestionEvent.objects.create(suggestion=suggestion, action=action, actor=actor.user, note=note, at=now)


def _act(
    actor: Any, suggestion_id: int, version: int, action: str, note: str = ""
) -> tuple[Actor, Suggestion, str, str]:
    resolved = resolve(actor)
    suggestion = load(Suggestion, suggestion_id, select=("proposer",))
    roles = table_roles(resolved, suggestion)
    if not roles:
        raise PermissionDenied()
    if action == "reassign" and states.LEAD_UNIT in roles and states.STAFF not in roles:
        raise fail(errors.UNIT_SELF_RETURN)
    check_version(suggestion, version)  # a page made before someone else acted is told so
    transition, cleaned = states.SUGGESTION_TRANSITIONS.check(
        source=suggestion.status, action=action, roles=roles, note=note, describe=describe(labels.SUGGESTION)
    )
    return resolved, suggestion, transition.target, cleaned


def _write(suggestion: Suggestion, version: int, **fields: Any) -> Suggestion:
    versioned_update(Suggestion.objects.filter(pk=suggestion.pk), expected_version=version, **fields)
    return load(Suggestion, suggestion.pk)


def _assign_units(
    suggestion: Suggestion, lead: OrgUnit, co_units: list[OrgUnit], now: dt.datetime, cal: WorkCalendar
) -> None:
    SuggestionUnit.objects.filter(suggestion=suggestion, is_current=True).update(is_current=False)
    SuggestionUnit.objects.create(suggestion=suggestion, unit=lead, role=SuggestionUnit.Role.LEAD, assigned_at=now)
    due = clocks.co_handler_due(now, cal)
    SuggestionUnit.objects.bulk_create(
        SuggestionUnit(suggestion=suggestion, unit=u, role=SuggestionUnit.Role.CO, assigned_at=now, input_due_at=due)
        for u in co_units
        if u.pk != lead.pk
    )


def _clock_fields(now: dt.datetime, cal: WorkCalendar) -> dict[str, Any]:
    return {
        "assigned_at": now,
        "due_at": clocks.reply_due(now, cal),
        "ceiling_at": clocks.reply_ceiling(now, cal),
        "objection_due_at": clocks.objection_due(now, cal),
        "extension_approval": "",
    }


@transaction.atomic
def suggestion_assign(
    *,
    actor: Any,
    suggestion_id: int,
    version: int,
    lead_unit: OrgUnit,
    co_units: list[OrgUnit] | None = None,
    single_matter: bool,
    key_supervision: bool = False,
    now: dt.datetime | None = None,
) -> Suggestion:
    """Assign to a lead unit (and co-handlers); the clocks start (3 months, 6 at most, 5 working days)."""
    if not single_matter:
        raise fail(errors.NOT_SINGLE_MATTER, "single_matter")
    resolved, suggestion, target, _n = _act(actor, suggestion_id, version, "assign")
    now = now or timezone.now()
    cal = WorkCalendar()
    _assign_units(suggestion, lead_unit, co_units or [], now, cal)
    body = next(iter(resolved.unit_ids(Role.LEGISLATIVE_STAFF)), None)
    _event(suggestion, "assign", resolved, lead_unit.name, now)
    return _write(
        suggestion,
        version,
        status=target,
        single_matter=True,
        key_supervision=key_supervision,
        assigning_body_id=body,
        **_clock_fields(now, cal),
    )


@transaction.atomic
def suggestion_reject(*, actor: Any, suggestion_id: int, version: int, reason: str) -> Suggestion:
    """Not filed as a suggestion or proposal (山东 Art. 6: a personal matter, no real content; a proposal
    with no proposal in it is kept as 社情民意), with the reason recorded."""
    resolved, suggestion, target, cleaned = _act(actor, suggestion_id, version, "reject", reason)
    now = timezone.now()
    _event(suggestion, "reject", resolved, cleaned, now)
    return _write(suggestion, version, status=target, feedback=cleaned, closed_at=now)


@transaction.atomic
def suggestion_accept(*, actor: Any, suggestion_id: int, version: int) -> Suggestion:
    resolved, suggestion, target, _n = _act(actor, suggestion_id, version, "accept")
    _event(suggestion, "accept", resolved, "", timezone.now())
    return _write(suggestion, version, status=target)


@transaction.atomic
def suggestion_object(
    *, actor: Any, suggestion_id: int, version: int, reason: str, now: dt.datetime | None = None
) -> Suggestion:
    """The lead unit says the matter is not its own, within 5 working days of assignment; only the
    assigning body then re-assigns or keeps the assignment."""
    resolved, suggestion, target, cleaned = _act(actor, suggestion_id, version, "object", reason)
    now = now or timezone.now()
    if suggestion.objection_due_at is None or now > suggestion.objection_due_at:
        raise fail(errors.OBJECTION_LATE)
    _event(suggestion, "object", resolved, cleaned, now)
    return _write(suggestion, version, status=target, objection=cleaned)


@transaction.atomic
def suggestion_reassign(
    *,
    actor: Any,
    suggestion_id: int,
    version: int,
    lead_unit: OrgUnit,
    note: str,
    co_units: list[OrgUnit] | None = None,
    now: dt.datetime | None = None,
) -> Suggestion:
    """The assigning body re-assigns; the clocks run again from the new assignment."""
    resolved, suggestion, target, cleaned = _act(actor, suggestion_id, version, "reassign", note)
    now = now or timezone.now()
    cal = WorkCalendar()
    _assign_units(suggestion, lead_unit, co_units or [], now, cal)
    _event(suggestion, "reassign", resolved, f"{lead_unit.name}：{cleaned}", now)
    return _write(suggestion, version, status=target, **_clock_fields(now, cal))


@transaction.atomic
def suggestion_keep(*, actor: Any, suggestion_id: int, version: int, note: str) -> Suggestion:
    resolved, suggestion, target, cleaned = _act(actor, suggestion_id, version, "keep", note)
    _event(suggestion, "keep", resolved, cleaned, timezone.now())
    return _write(suggestion, version, status=target, objection_due_at=timezone.now())


@transaction.atomic
def suggestion_co_input(*, actor: Any, suggestion_id: int, text: str, now: dt.datetime | None = None) -> SuggestionUnit:
    """A co-handler's view to the lead unit (due within a month of assignment)."""
    resolved = resolve(actor)
    suggestion = load(Suggestion, suggestion_id)
    unit = co_unit_of(resolved, suggestion)
    if unit is None or suggestion.status not in states.OPEN_SUGGESTION:
        raise PermissionDenied()
    cleaned = clean_note(text, required=True)
    now = now or timezone.now()
    SuggestionUnit.objects.filter(pk=unit.pk).update(input_text=cleaned, input_at=now)
    _event(suggestion, "co_input", resolved, cleaned, now)
    unit.refresh_from_db()
    return unit


@transaction.atomic
def suggestion_extend(*, actor: Any, suggestion_id: int, version: int, until: dt.date, approval: str) -> Suggestion:
    """An extension approved by the assigning body, recorded, never beyond six months from assignment."""
    resolved, suggestion, target, cleaned = _act(actor, suggestion_id, version, "extend", approval)
    due = clocks._end_of(until)
    if suggestion.ceiling_at is None or due > suggestion.ceiling_at:
        raise fail(errors.EXTENSION_TOO_LONG, "until")
    _event(suggestion, "extend", resolved, f"{until}：{cleaned}", timezone.now())
    return _write(suggestion, version, status=target, due_at=due, extension_approval=cleaned)


@transaction.atomic
def suggestion_reply(
    *,
    actor: Any,
    suggestion_id: int,
    version: int,
    reply_class: str,
    reply_mode: str,
    text: str,
    now: dt.datetime | None = None,
) -> Suggestion:
    """The lead unit's reply (class A–D, in person or written); refused after the 6-month ceiling
    unless an extension was approved."""
    if reply_class not in Suggestion.ReplyClass.values or reply_mode not in Suggestion.ReplyMode.values:
        raise fail(errors.REPLY_CLASS_REQUIRED, "reply_class")
    resolved, suggestion, target, cleaned = _act(actor, suggestion_id, version, "reply", text)
    now = now or timezone.now()
    first = suggestion.status == states.HANDLING
    if first and suggestion.ceiling_at and now > suggestion.ceiling_at and not suggestion.extension_approval:
        raise fail(errors.CEILING_PASSED)
    _event(suggestion, "reply", resolved, f"{reply_class} {cleaned}", now)
    return _write(
        suggestion,
        version,
        status=target,
        reply_class=reply_class,
        reply_mode=reply_mode,
        reply_text=cleaned,
        replied_at=now,
        reply_count=suggestion.reply_count + 1,
        attitude="",
        result="",
    )


@transaction.atomic
def suggestion_feedback(
    *,
    actor: Any,
    suggestion_id: int,
    version: int,
    attitude: str,
    result: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> Suggestion:
    """The proposer's view on attitude and on result. 不满意 (with specifics) sends it back for a new
    reply within a month; a B-class reply is followed until delivered; otherwise it closes."""
    values = Suggestion.Satisfaction.values
    dissatisfied = Suggestion.Satisfaction.DISSATISFIED in (attitude, result)
    if attitude not in values or result not in values or (dissatisfied and not (note or "").strip()):
        raise fail(errors.SATISFACTION_REQUIRED, "attitude")
    probe = load(Suggestion, suggestion_id)
    if dissatisfied:
        action = "dissatisfied"
    elif probe.reply_class == Suggestion.ReplyClass.B and probe.delivered_at is None:
        action = "follow"
    else:
        action = "feedback"
    resolved, suggestion, target, cleaned = _act(actor, suggestion_id, version, action, note)
    now = now or timezone.now()
    fields: dict[str, Any] = {"status": target, "attitude": attitude, "result": result, "feedback": cleaned}
    if dissatisfied:
        fields["rereply_due_at"] = clocks.rereply_due(now)
    if target == states.CLOSED:
        fields["closed_at"] = now
    _event(suggestion, action, resolved, cleaned, now)
    return _write(suggestion, version, **fields)


@transaction.atomic
def suggestion_delivered(*, actor: Any, suggestion_id: int, version: int, note: str) -> Suggestion:
    resolved, suggestion, target, cleaned = _act(actor, suggestion_id, version, "delivered", note)
    now = timezone.now()
    _event(suggestion, "delivered", resolved, cleaned, now)
    return _write(suggestion, version, status=target, delivered_at=now, closed_at=now)


@transaction.atomic
def suggestion_publish(*, actor: Any, suggestion_id: int, public_text: str) -> Suggestion:
    """Publish content, reply and feedback as staff redacted them (secrets, personal data removed)."""
    resolved = resolve(actor)
    if not is_staff(resolved):
        raise PermissionDenied()
    suggestion = load(Suggestion, suggestion_id)
    if suggestion.is_confidential:
        raise ValidationFailed(_("该建议要求保密，不予公开。"))
    cleaned = clean_note(public_text, required=True)
    Suggestion.objects.filter(pk=suggestion.pk).update(is_public=True, public_text=cleaned)
    return load(Suggestion, suggestion.pk)
