"""The demand menu (需求菜单): publish → claim → serving → rated → done.

A claim is a compare-and-set on the need's version (``versioned_update``): of two volunteers claiming
at once, one wins and the other is told the need was taken, with nothing written for them. The
claim opens the service activity at the need's place and time (its QR is what the volunteer scans
there), organised by the need's station (谁组织谁记录).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.appeals.selectors import appeal_get_for
from huying.core.errors import ConcurrentModification, NotFound, PermissionDenied, ValidationFailed
from huying.core.statemachine import clean_note, versioned_update
from huying.core.validators import normalize_phone

from .. import errors, matching, skills, states
from ..activity_models import Activity, SignUp
from ..models import Need, NeedEvent, Station, Team
from ..permissions import organises, require_volunteer, resolve, volunteer_of
from ..states import NEED_TRANSITIONS
from .archive import _clean_place, clean_skills

CLAIMABLE = (states.PUBLISHED, states.ESCALATED)


def _fail(code: str) -> ValidationFailed:
    return ValidationFailed(errors.codes.codes[code], code=code)


def nearest_station(lat: float, lon: float) -> Station:
    stations = list(Station.objects.all())
    if not stations:
        raise ValidationFailed(_("尚未设立新时代文明实践站点，暂不能发布需求。"))
    best = min(
        stations,
        key=lambda s: (s.level != Station.Level.STATION, matching.distance_km(lon, lat, s.longitude, s.latitude)),
    )
    return best


def _source_for(actor: Actor, requested: str) -> str:
    if actor.has_role(Role.GRID_WORKER) or actor.has_role(Role.LIAISON):
        return Need.Source.GRID_VISIT
    if actor.has_role(Role.VILLAGE_CLERK):
        return Need.Source.VILLAGE_CLERK
    return Need.Source.FIRM if requested == Need.Source.FIRM else Need.Source.RESIDENT


def _clean_times(starts_at: dt.datetime | None, ends_at: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    if starts_at is None or ends_at is None:
        raise ValidationFailed(_("请填写服务时间。"), data={"starts_at": _("请填写服务时间。")})
    if ends_at <= starts_at:
        raise _fail(errors.BAD_TIME)
    return starts_at, ends_at


@transaction.atomic
def need_publish(
    *,
    actor: Any,
    title: str,
    address: str,
    latitude: Any,
    longitude: Any,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    skill_codes: list[str],
    contact_name: str,
    contact_phone: str,
    description: str = "",
    source: str = Need.Source.RESIDENT,
    source_ref: str = "",
) -> Need:
    resolved = resolve(actor)
    if not resolved.is_authenticated:
        raise PermissionDenied()
    cleaned_title = (title or "").strip()
    if not cleaned_title or len(cleaned_title) > 100:
        raise ValidationFailed(_("请填写不超过100字的需求名称。"), data={"title": _("请填写需求名称。")})
    if not skill_codes:
        raise ValidationFailed(_("请选择所需的服务技能。"), data={"skills": _("请选择技能。")})
    if not (address or "").strip() or not (contact_name or "").strip():
        raise ValidationFailed(_("请填写服务地点和联系人。"))
    lat, lon = _clean_place(latitude, longitude)
    start, end = _clean_times(starts_at, ends_at)
    chosen_source = source if source == Need.Source.APPEAL else _source_for(resolved, source)
    need = Need.objects.create(
        title=cleaned_title,
        description=clean_note(description),
        source=chosen_source,
        source_ref=source_ref[:40],
        requester=resolved.user,
        contact_name=contact_name.strip()[:40],
        contact_phone=normalize_phone(contact_phone, field="contact_phone"),
        address=address.strip()[:200],
        latitude=lat,
        longitude=lon,
        starts_at=start,
        ends_at=end,
        skills=clean_skills(skill_codes),
        station=nearest_station(lat, lon),
    )
    need.number = f"XQ{timezone.localdate():%Y%m%d}{need.pk:06d}"
    need.save(update_fields=["number"])
    NeedEvent.objects.create(need=need, action="publish", actor=resolved.user)
    return need


def need_from_appeal(
    *,
    actor: Any,
    appeal_id: int,
    skill_codes: list[str],
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    latitude: Any,
    longitude: Any,
) -> Need:
    """An operator turns a 12345 appeal into a need on the menu (the appeal loop itself is unchanged)."""
    resolved = resolve(actor)
    if not resolved.has_role(Role.OPERATOR):
        raise PermissionDenied()
    appeal = appeal_get_for(actor=resolved, appeal_id=appeal_id)
    if Need.objects.filter(source=Need.Source.APPEAL, source_ref=appeal.number or "").exists():
        raise ValidationFailed(_("该诉求已转为志愿服务需求。"))
    return need_publish(
        actor=resolved,
        title=appeal.title,
        description=appeal.content,
        address=appeal.address or appeal.title,
        latitude=latitude if latitude not in (None, "") else appeal.latitude,
        longitude=longitude if longitude not in (None, "") else appeal.longitude,
        starts_at=starts_at,
        ends_at=ends_at,
        skill_codes=skill_codes,
        contact_name=appeal.requester_name or _("诉求人"),
        contact_phone=appeal.requester_phone,
        source=Need.Source.APPEAL,
        source_ref=appeal.number or "",
    )


def _need(need_id: int) -> Need:
    need = Need.objects.select_related("station__org_unit", "claimed_by").filter(pk=need_id).first()
    if need is None:
        raise NotFound()
    return need


def need_roles(actor: Actor, need: Need) -> set[str]:
    roles: set[str] = set()
    volunteer = volunteer_of(actor)
    if volunteer is not None and (need.status in CLAIMABLE or need.claimed_by_id == volunteer.pk):
        roles.add(states.VOLUNTEER)
    if actor.is_authenticated and need.requester_id == actor.user.pk:
        roles.add(states.REQUESTER)
    if organises(actor, need.station.org_unit):
        roles.add(states.ORGANISER)
    return roles


def _describe(source: str, action: str) -> str:
    if action == "claim" and source not in CLAIMABLE:
        return str(errors.codes.codes[errors.NEED_TAKEN])
    return _("需求当前状态为「%(status)s」，不能执行此操作。") % {"status": Need.Status(source).label}


def need_act(actor: Actor, need: Need, action: str, version: int, note: str = "", **fields: Any) -> str:
    """Check the table and write the change (compare-and-set); the cleaned note."""
    if need.version != version and action == "claim" and need.status not in CLAIMABLE:
        raise ConcurrentModification(errors.codes.codes[errors.NEED_TAKEN], code=errors.NEED_TAKEN)
    transition, cleaned = NEED_TRANSITIONS.check(
        source=need.status, action=action, roles=need_roles(actor, need) | fields.pop("extra_roles", set()),
        note=note, describe=_describe,
    )  # fmt: skip
    versioned_update(Need.objects.filter(pk=need.pk), expected_version=version, status=transition.target, **fields)
    NeedEvent.objects.create(
        need=need, action=action, actor=actor.user if actor.is_authenticated else None, note=cleaned
    )
    return cleaned


@transaction.atomic
def need_claim(*, actor: Any, need_id: int, version: int, team: Team | None = None) -> Need:
    resolved = resolve(actor)
    volunteer = require_volunteer(resolved)
    need = _need(need_id)
    if need.status in CLAIMABLE and not skills.decode(need.skills) & skills.decode(volunteer.skills):
        raise _fail(errors.NEED_SKILL_MISMATCH)
    if team is not None and not volunteer.teams.filter(pk=team.pk).exists():
        raise NotFound()
    try:
        need_act(resolved, need, "claim", version, claimed_by=volunteer, claimed_team=team, claimed_at=timezone.now())
    except ConcurrentModification:
        raise ConcurrentModification(errors.codes.codes[errors.NEED_TAKEN], code=errors.NEED_TAKEN) from None
    activity = Activity.objects.create(
        need=need, org_unit=need.station.org_unit, title=need.title, address=need.address,
        latitude=need.latitude, longitude=need.longitude, starts_at=need.starts_at, ends_at=need.ends_at,
        capacity=1, skills=need.skills, created_by=resolved.user,
    )  # fmt: skip
    SignUp.objects.create(activity=activity, volunteer=volunteer)
    return _need(need_id)


@transaction.atomic
def need_release(*, actor: Any, need_id: int, version: int, note: str) -> Need:
    """The claimant (or the organiser) gives a claimed need back to the menu before service starts."""
    resolved = resolve(actor)
    need = _need(need_id)
    need_act(resolved, need, "release", version, note, claimed_by=None, claimed_team=None, claimed_at=None)
    activity = Activity.objects.filter(need=need).first()
    if activity is not None:
        SignUp.objects.filter(activity=activity).update(status=SignUp.Status.CANCELLED)
        Activity.objects.filter(pk=activity.pk).update(need=None, capacity=0)
    return _need(need_id)


@transaction.atomic
def need_rate(*, actor: Any, need_id: int, version: int, rating: int, comment: str = "") -> Need:
    """The person served rates the service (1–5); the need is then complete."""
    resolved = resolve(actor)
    need = _need(need_id)
    if need.requester_id is None or not resolved.is_authenticated or need.requester_id != resolved.user.pk:
        raise NotFound()
    if rating not in range(1, 6):
        raise ValidationFailed(_("请选择1到5星的评价。"), data={"rating": _("请选择评价。")})
    cleaned = (comment or "").strip()[:500]
    need_act(resolved, need, "rate", version, rating=rating, rating_comment=cleaned, completed_at=timezone.now())
    return _need(need_id)


def need_on_attendance(need: Need, action: str) -> None:
    """Sign-in starts the service, sign-out ends it (called by attendance, inside its transaction)."""
    system = Actor(user=None, roles=frozenset())
    need_act(system, need, action, need.version, extra_roles={states.VOLUNTEER})


def need_escalate_sweep(now: dt.datetime | None = None) -> str:
    """Needs unclaimed for HUYING_VOLUNTEER_ESCALATE_HOURS go to their station's list (still claimable)."""
    hours = int(getattr(settings, "HUYING_VOLUNTEER_ESCALATE_HOURS", 24))
    cutoff = (now or timezone.now()) - dt.timedelta(hours=hours)
    with transaction.atomic():
        rows = versioned_update(
            Need.objects.filter(status=states.PUBLISHED, published_at__lt=cutoff),
            status=states.ESCALATED,
            escalated_at=now or timezone.now(),
        )
    return f"volunteer needs escalated: {rows}"
