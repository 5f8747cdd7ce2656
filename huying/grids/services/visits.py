"""Writes of the 走访写实簿: a visit recorded, a finding turned into an appeal in the 12345 loop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.appeals import services as appeal_services
from huying.appeals.models import Appeal
from huying.appeals.states import AppealType
from huying.appeals.states import Channel as AppealChannel
from huying.core.errors import NotFound, ValidationFailed
from huying.core.statemachine import NOTE_MAX_LENGTH

from .. import errors
from ..cadence import due_on, effective_interval, month_start
from ..models import GridVisitMonth, Household, Resident, Visit, VisitFinding, VisitPlan
from ..permissions import HOUSEHOLD_STAFF, post_in_grid, resolve

# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class FindingInput:
    category: str
    text: str


def _clean_location(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat, lon = (
            Decimal(str(latitude)).quantize(Decimal("0.000001")),
            Decimal(str(longitude)).quantize(Decimal("0.000001")),
        )
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("位置应为经纬度数字。"), data={"latitude": latitude, "longitude": longitude}) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationFailed(_("经纬度超出范围。"), data={"latitude": latitude, "longitude": longitude})
    return lat, lon


def _clean_findings(findings: Iterable[FindingInput | tuple[str, str]]) -> list[FindingInput]:
    cleaned = []
    for item in findings:
        finding = item if isinstance(item, FindingInput) else FindingInput(*item)
        if finding.category not in VisitFinding.Category.values:
            raise ValidationFailed(_("走访发现的类别无效。"), data={"category": finding.category})
        text = (finding.text or "").strip()
        if not text:
            raise ValidationFailed(_("请填写走访发现的内容。"), data={"findings": _("请填写走访发现的内容。")})
        if len(text) > NOTE_MAX_LENGTH:
            raise ValidationFailed(_("走访发现不能超过5000字。"), data={"findings": _("走访发现不能超过5000字。")})
        cleaned.append(FindingInput(finding.category, text))
    return cleaned


def visit_record(
    *,
    actor: Actor | User | AnonymousUser,
    household: Household,
    visited_at: dt.datetime | None = None,
    channel: str = Visit.Channel.HOME,
    summary: str = "",
    needs: str = "",
    findings: Iterable[FindingInput | tuple[str, str]] = (),
    photo: str = "",
    latitude: Any = None,
    longitude: Any = None,
) -> Visit:
    """Record a visit by a worker or liaison member of the household's grid.

    Refuses (NotFound) a household outside the actor's grids. Updates the household's
    ``last_visited_at`` (never moving it back) and ``visit_due_on`` in the same transaction.
    """
    resolved = resolve(actor)
    assert resolved is not None
    post = post_in_grid(resolved, household.grid_id, HOUSEHOLD_STAFF)
    if post is None:
        raise NotFound()
    now = timezone.now()
    visited_at = visited_at or now
    if visited_at > now + CLOCK_SKEW:
        raise ValidationFailed(_("走访时间不能晚于当前时间。"), code=errors.VISIT_IN_FUTURE)
    if channel not in Visit.Channel.values:
        raise ValidationFailed(_("走访方式无效。"), data={"channel": channel})
    for label, value in ((_("走访情况"), summary), (_("需求诉求"), needs)):
        if len(value or "") > NOTE_MAX_LENGTH:
            raise ValidationFailed(_("%(label)s不能超过5000字。") % {"label": label})
    if len(photo or "") > 255:
        raise ValidationFailed(_("照片路径过长。"), data={"photo": photo[:40]})
    cleaned = _clean_findings(findings)
    lat, lon = _clean_location(latitude, longitude)
    with transaction.atomic():
        visit = Visit.objects.create(
            household=household,
            visitor=post,
            visited_at=visited_at,
            channel=channel,
            summary=(summary or "").strip(),
            needs=(needs or "").strip(),
            photo=photo or "",
            latitude=lat,
            longitude=lon,
        )
        VisitFinding.objects.bulk_create([VisitFinding(visit=visit, category=f.category, text=f.text) for f in cleaned])
        _mark_visited(household, visited_at)
    return visit


def _mark_visited(household: Household, visited_at: dt.datetime) -> None:
    """Move ``last_visited_at`` forward only (a late-synced older visit leaves it), refresh the due
    date, and move the household between the grid's month counters when its latest month changes."""
    previous = (
        Household.objects.select_for_update().filter(pk=household.pk).values_list("last_visited_at", flat=True).first()
    )
    if previous is not None and previous >= visited_at:
        return
    plan = VisitPlan.objects.filter(household=household).values_list("interval_days", flat=True).first()
    interval = effective_interval(plan, household.tags.values_list("visit_interval_days", flat=True))
    due = due_on(last_visited_at=visited_at, interval_days=interval, registered_on=timezone.localdate())
    # The condition repeats the check above: SQLite has no row lock, its writers queue on the file.
    moved = Household.objects.filter(
        Q(last_visited_at__isnull=True) | Q(last_visited_at__lt=visited_at), pk=household.pk
    ).update(last_visited_at=visited_at, visit_due_on=due, updated_at=timezone.now())
    if not moved:
        return
    household.last_visited_at, household.visit_due_on = visited_at, due
    new_month = month_start(timezone.localdate(visited_at))
    old_month = month_start(timezone.localdate(previous)) if previous is not None else None
    if old_month == new_month:
        return
    if old_month is not None:
        GridVisitMonth.objects.filter(grid_id=household.grid_id, month=old_month, visited__gt=0).update(
            visited=F("visited") - 1
        )
    counted = GridVisitMonth.objects.filter(grid_id=household.grid_id, month=new_month).update(visited=F("visited") + 1)
    if not counted:
        try:
            with transaction.atomic():  # a savepoint: another visit may create the row meanwhile
                GridVisitMonth.objects.create(grid_id=household.grid_id, month=new_month, visited=1)
        except IntegrityError:
            GridVisitMonth.objects.filter(grid_id=household.grid_id, month=new_month).update(visited=F("visited") + 1)


def _requester(household: Household, phone: str) -> tuple[str, str]:
    """The household speaks through its 户主 (or its first registered member)."""
    members = list(Resident.objects.filter(household=household).order_by("id"))
    chosen = next((r for r in members if r.relation == Resident.Relation.HEAD), members[0] if members else None)
    name = chosen.name if chosen else ""
    return name, phone or household.phone or (chosen.phone if chosen else "")


def visit_finding_to_appeal(
    *,
    actor: Actor | User | AnonymousUser,
    finding: VisitFinding,
    appeal_type: str = AppealType.HELP,
    requester_phone: str = "",
    content: str = "",
    auto_dispatch: bool = True,
) -> Appeal:
    """Turn a visit finding into an appeal in the 12345 loop (channel 入户走访), in one step.

    The requester is the household (户主 or first member; the household's or given phone). The
    finding records the appeal; a finding is converted once (FINDING_CONVERTED on a second try,
    and the second appeal is rolled back).
    """
    resolved = resolve(actor)
    assert resolved is not None
    visit = finding.visit
    household = visit.household
    if post_in_grid(resolved, household.grid_id, HOUSEHOLD_STAFF) is None:
        raise NotFound()
    if finding.appeal_id is not None or finding.application_id is not None:
        raise ValidationFailed(_("该走访发现已转为诉求，不能重复转办。"), code=errors.FINDING_CONVERTED)
    name, phone = _requester(household, requester_phone)
    text = (content or "").strip() or _("%(address)s 走访发现（%(category)s）：%(text)s") % {
        "address": household.address,
        "category": finding.get_category_display(),
        "text": finding.text,
    }
    with transaction.atomic():
        result = appeal_services.appeal_submit(
            actor=resolved,
            channel=AppealChannel.VISIT,
            appeal_type=appeal_type,
            content=text[:NOTE_MAX_LENGTH],
            requester_name=name,
            requester_phone=phone,
            address=household.address,
            latitude=visit.latitude,
            longitude=visit.longitude,
            grid_code=household.grid.code,
            auto_dispatch=auto_dispatch,
        )
        claimed = VisitFinding.objects.filter(pk=finding.pk, appeal__isnull=True, application__isnull=True).update(
            appeal=result.appeal, outcome=VisitFinding.Outcome.APPEAL, converted_at=timezone.now()
        )
        if not claimed:
            raise ValidationFailed(_("该走访发现已转为诉求，不能重复转办。"), code=errors.FINDING_CONVERTED)
    finding.appeal, finding.outcome = result.appeal, VisitFinding.Outcome.APPEAL
    return result.appeal
