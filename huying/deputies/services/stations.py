"""Liaison stations: reception days as data (the 6th of every month), bookings from the phone, walk-ins,
and each reception routed in one step: answered on the spot, to the 12345 loop (an appeal on the
representative channel), to a suggestion, to a mediation case or to a community consultation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.appeals.services import appeal_submit
from huying.appeals.states import AppealType, Channel
from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.months import monthly_dates
from huying.core.notify import send_sms
from huying.core.registry import community_topics
from huying.core.statemachine import clean_note, versioned_update
from huying.core.validators import normalize_phone

from .. import errors, states
from ..errors import fail
from ..models import (
    Booking,
    Committee,
    ContactPoint,
    DeputyProfile,
    MediationCase,
    MediationParty,
    Reception,
    ReceptionDay,
    Suggestion,
    SuggestionEvent,
)
from .common import is_staff, load, next_number, resolve


def reception_days_plan(*, station: ContactPoint, start: dt.date, months: int = 3) -> list[ReceptionDay]:
    """The station's reception days for the next ``months`` months from its rule (the 6th), with the
    deputies attached to the station on duty; days already planned are kept."""
    if not station.reception_day_of_month:
        return []
    days = []
    deputies = list(station.deputies.all())
    for date in monthly_dates(start, station.reception_day_of_month, months):
        day, created = ReceptionDay.objects.get_or_create(
            station=station, date=date, defaults={"hours": station.reception_hours or "09:00-11:00"}
        )
        if created:
            day.deputies.set(deputies)
        days.append(day)
    return days


def deputy_of(actor: Actor) -> DeputyProfile | None:
    return DeputyProfile.objects.filter(user=actor.user).select_related("station").first()


@transaction.atomic
def booking_create(
    *, actor: Any, day_id: int, name: str, phone: str, matter: str, today: dt.date | None = None
) -> Booking:
    """A resident books a reception day from the phone (a slot while places remain)."""
    resolved = resolve(actor)
    day = ReceptionDay.objects.select_for_update().filter(pk=day_id).first()
    if day is None:
        raise fail(errors.DAY_PAST, "day")
    if day.date < (today or timezone.localdate()):
        raise fail(errors.DAY_PAST, "day")
    problems = {}
    if not (name or "").strip():
        problems["name"] = _("请填写姓名。")
    if not (matter or "").strip():
        problems["matter"] = _("请填写反映事项。")
    if problems:
        raise ValidationFailed(data=problems)
    phone = normalize_phone(phone, field="phone")
    taken = day.bookings.exclude(status=Booking.Status.CANCELLED)
    if taken.filter(citizen=resolved.user).exists():
        raise fail(errors.BOOKING_EXISTS, "day")
    if taken.count() >= day.slots:
        raise fail(errors.SLOT_FULL, "day")
    return Booking.objects.create(
        day=day, citizen=resolved.user, name=name.strip()[:40], phone=phone, matter=clean_note(matter)
    )


@transaction.atomic
def reception_record(
    *,
    actor: Any,
    station_id: int,
    visitor_name: str,
    matter: str,
    visitor_phone: str = "",
    booking_id: int | None = None,
    now: dt.datetime | None = None,
) -> Reception:
    """A deputy on duty records a visitor (booked or walk-in)."""
    resolved = resolve(actor)
    deputy = deputy_of(resolved)
    station = load(ContactPoint, station_id)
    if deputy is None or not resolved.has_role(Role.DEPUTY):
        raise PermissionDenied()
    now = now or timezone.now()
    booking = None
    if booking_id is not None:
        booking = Booking.objects.filter(pk=booking_id, day__station=station, status=Booking.Status.BOOKED).first()
        if booking is None:
            raise ValidationFailed(_("预约不存在或已接待。"), data={"booking": _("预约不存在或已接待。")})
        visitor_name, visitor_phone, matter = booking.name, booking.phone, matter or booking.matter
        Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.RECEIVED)
    if not (visitor_name or "").strip() or not (matter or "").strip():
        raise ValidationFailed(_("请填写来访人和反映事项。"), data={"matter": _("请填写反映事项。")})
    phone = normalize_phone(visitor_phone, field="visitor_phone") if visitor_phone else ""
    day = ReceptionDay.objects.filter(station=station, date=timezone.localtime(now).date()).first()
    return Reception.objects.create(
        station=station,
        day=booking.day if booking else day,
        booking=booking,
        deputy=deputy,
        visitor=booking.citizen if booking else None,
        visitor_name=visitor_name.strip()[:40],
        visitor_phone=phone,
        matter=clean_note(matter),
        received_at=now,
    )


def _may_route(actor: Actor, reception: Reception) -> None:
    if reception.deputy.user_id != actor.user.pk and not is_staff(actor):
        raise PermissionDenied()
    if reception.routing != Reception.Routing.PENDING:
        raise fail(errors.ALREADY_ROUTED)


def _route_target(
    actor: Actor, reception: Reception, routing: str, payload: dict[str, Any], now: dt.datetime
) -> tuple[str, str]:
    """Create the record the matter goes to; its public number and what the visitor is told."""
    if routing == Reception.Routing.ANSWERED:
        return "", _("代表已当场答复：%(answer)s") % {"answer": payload["answer"]}
    if routing == Reception.Routing.APPEAL:
        result = appeal_submit(
            actor=actor,
            channel=Channel.REPRESENTATIVE,
            appeal_type=AppealType.HELP,
            content=reception.matter,
            requester_name=reception.visitor_name,
            requester_phone=reception.visitor_phone,
            is_anonymous=not reception.visitor_phone,
            citizen=reception.visitor,
            now=now,
        )
        number = result.appeal.number or ""
        return number, _("您反映的事项已转12345热线办理，工单号%(n)s。") % {"n": number}
    if routing == Reception.Routing.SUGGESTION:
        suggestion = Suggestion.objects.create(
            number=next_number(Suggestion, "JY", now),
            kind=Suggestion.Kind.STATION,
            proposer=reception.deputy,
            reception=reception,
            title=(payload.get("title") or reception.matter[:30]).strip()[:120],
            content=reception.matter,
            status=states.SUBMITTED_S,
        )
        SuggestionEvent.objects.create(
            suggestion=suggestion, action="submit", actor=actor.user, note=_("来自接待选民日"), at=now
        )
        return suggestion.number, _("您反映的事项已由代表作为建议提出，编号%(n)s。") % {"n": suggestion.number}
    if routing == Reception.Routing.MEDIATION:
        chosen = Committee.objects.filter(pk=payload["committee"]) if payload.get("committee") else Committee.objects
        committee = chosen.order_by("pk").first()
        if committee is None:
            raise ValidationFailed(_("没有可受理的人民调解委员会。"), data={"committee": _("请选择调解委员会。")})
        case = MediationCase.objects.create(
            number=next_number(MediationCase, "TJ", now),
            committee=committee,
            source=MediationCase.Source.RECEPTION,
            category=MediationCase.Category.OTHER,
            facts=reception.matter,
            registered_at=now,
            status=states.REGISTERED,
        )
        MediationParty.objects.create(case=case, name=reception.visitor_name, phone=reception.visitor_phone)
        return case.number, _("您反映的纠纷已转人大代表调解室，案号%(n)s。") % {"n": case.number}
    unit_id = payload.get("community") or reception.station.unit_id
    ref = community_topics.call(
        "raise",
        actor=actor,
        unit_id=int(unit_id),
        title=reception.matter[:30],
        text=reception.matter,
        source_ref=f"reception:{reception.pk}",
    )
    if not ref:
        raise ValidationFailed(
            _("该村（社区）尚未设立协商议事，无法转交。"), data={"routing": _("请选择其他处理方式。")}
        )
    return str(ref), _("您反映的事项已提交社区协商议事，议题编号%(n)s。") % {"n": ref}


@transaction.atomic
def reception_route(
    *, actor: Any, reception_id: int, version: int, routing: str, answer: str = "", **payload: Any
) -> Reception:
    """Route the matter in one step and tell the visitor (by SMS when a phone was left)."""
    resolved = resolve(actor)
    reception = load(Reception, reception_id, select=("deputy", "station__unit"))
    _may_route(resolved, reception)
    if routing not in Reception.Routing.values or routing == Reception.Routing.PENDING:
        raise ValidationFailed(_("请选择处理方式。"), data={"routing": _("请选择处理方式。")})
    answer = clean_note(answer, required=routing == Reception.Routing.ANSWERED)
    now = timezone.now()
    ref, told = _route_target(resolved, reception, routing, {"answer": answer, **payload}, now)
    versioned_update(
        Reception.objects.filter(pk=reception.pk),
        expected_version=version,
        routing=routing,
        answer=answer,
        target_ref=ref,
        outcome_told=told,
        told_at=now,
    )
    if reception.visitor_phone:
        transaction.on_commit(lambda: send_sms(phone=reception.visitor_phone, text=told))
    return load(Reception, reception.pk)
