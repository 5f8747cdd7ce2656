"""Registration (by the volunteer or by an organisation), stations and teams."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.selectors import Actor
from huying.core.errors import NotFound, ValidationFailed
from huying.core.validators import normalize_id_number, normalize_phone
from huying.organisations.models import OrgUnit

from .. import errors, skills
from ..activity_models import Project
from ..models import Station, Team, Volunteer
from ..permissions import organises, require_organiser, resolve

ADULT_AGE = 18


def _fail(code: str, **data: Any) -> ValidationFailed:
    return ValidationFailed(errors.codes.codes[code], code=code, data=data)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def clean_skills(codes: list[str]) -> str:
    bad = skills.unknown(codes)
    if bad:
        raise _fail(errors.UNKNOWN_SKILL, skills=bad)
    return skills.encode(skills.expand(codes))


def _clean_place(latitude: Any, longitude: Any) -> tuple[float, float]:
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        raise ValidationFailed(_("请在地图上选择位置（经纬度）。"), data={"latitude": _("位置无效。")}) from None
    if not (3 <= lat <= 54 and 73 <= lon <= 136):
        raise ValidationFailed(_("位置不在中国境内，请重新选择。"), data={"latitude": _("位置无效。")})
    return lat, lon


@transaction.atomic
def volunteer_register(
    *,
    actor: Any,
    real_name: str,
    id_number: str,
    phone: str,
    skill_codes: list[str],
    availability: int,
    latitude: Any,
    longitude: Any,
    publish_consent: bool,
    station: Station | None = None,
    team: Team | None = None,
    guardian_name: str = "",
    guardian_phone: str = "",
    guardian_consent: bool = False,
    for_self: bool = True,
) -> Volunteer:
    """Register a volunteer: themselves (``for_self``, linked to their account) or by an organiser."""
    resolved = resolve(actor)
    name = (real_name or "").strip()
    if not name or len(name) > 40:
        raise ValidationFailed(_("请填写真实姓名（不超过40字）。"), data={"real_name": _("请填写真实姓名。")})
    id_clean = normalize_id_number(id_number)
    phone_clean = normalize_phone(phone)
    lat, lon = _clean_place(latitude, longitude)
    birth = dt.date(int(id_clean[6:10]), int(id_clean[10:12]), int(id_clean[12:14]))
    guardian_phone_clean = ""
    if age_on(birth, timezone.localdate()) < ADULT_AGE:
        if not guardian_name.strip() or not guardian_consent:
            raise _fail(errors.GUARDIAN_REQUIRED)
        guardian_phone_clean = normalize_phone(guardian_phone, field="guardian_phone")
    if not for_self and (team is None or not organises(resolved, team.org_unit)):
        raise NotFound()  # an organisation registers people into its own teams only
    if Volunteer.objects.filter(id_number=id_clean).exists():
        raise _fail(errors.ALREADY_REGISTERED)
    if for_self and resolved.is_authenticated and Volunteer.objects.filter(user=resolved.user).exists():
        raise _fail(errors.ALREADY_REGISTERED)
    try:
        with transaction.atomic():
            volunteer = Volunteer.objects.create(
                user=resolved.user if for_self and resolved.is_authenticated else None,
                real_name=name,
                id_number=id_clean,
                gender="M" if int(id_clean[16]) % 2 else "F",
                birth_date=birth,
                phone=phone_clean,
                skills=clean_skills(skill_codes),
                availability=availability,
                latitude=lat,
                longitude=lon,
                station=station,
                guardian_name=guardian_name.strip(),
                guardian_phone=guardian_phone_clean,
                guardian_consent=guardian_consent,
                publish_consent=publish_consent,
                registered_by=resolved.user if resolved.is_authenticated else None,
            )
    except IntegrityError:  # the same ID number registered a moment ago
        raise _fail(errors.ALREADY_REGISTERED) from None
    volunteer.number = f"ZY{birth:%y}{volunteer.pk:08d}"
    volunteer.save(update_fields=["number"])
    if team is not None:
        volunteer.teams.add(team)
    return volunteer


def station_create(
    *,
    actor: Any,
    name: str,
    level: str,
    org_unit: OrgUnit,
    latitude: Any,
    longitude: Any,
    address: str = "",
    parent: Station | None = None,
) -> Station:
    resolved: Actor = resolve(actor)
    require_organiser(resolved, org_unit)
    if level not in Station.Level.values:
        raise ValidationFailed(_("阵地层级无效。"))
    lat, lon = _clean_place(latitude, longitude)
    return Station.objects.create(
        name=name.strip()[:100], level=level, org_unit=org_unit, latitude=lat, longitude=lon,
        address=address.strip()[:200], parent=parent,
    )  # fmt: skip


def team_create(
    *,
    actor: Any,
    name: str,
    org_unit: OrgUnit,
    station: Station | None = None,
    speciality: str = "",
    leader: Volunteer | None = None,
) -> Team:
    """A team of the organiser's unit; its leader (队长), if named, becomes a member too."""
    require_organiser(resolve(actor), org_unit)
    cleaned = (name or "").strip()
    if not cleaned or Team.objects.filter(name=cleaned).exists():
        raise ValidationFailed(_("请填写未被使用的队伍名称。"), data={"name": _("队伍名称无效或已存在。")})
    with transaction.atomic():
        team = Team.objects.create(
            name=cleaned[:100], org_unit=org_unit, station=station, speciality=speciality[:100], leader=leader
        )
        if leader is not None:
            leader.teams.add(team)
    return team


def project_create(
    *, actor: Any, name: str, kind: str, owner: OrgUnit, target_group: str, description: str = "",
    team: Team | None = None,
) -> Project:  # fmt: skip
    """A named project (乡村儒学, 爱心义卖…) that activities are organised under."""
    require_organiser(resolve(actor), owner)
    cleaned = (name or "").strip()
    if not cleaned:
        raise ValidationFailed(_("请填写项目名称。"), data={"name": _("请填写项目名称。")})
    if kind not in Project.Kind.values:
        raise ValidationFailed(_("请选择项目类型。"), data={"kind": _("请选择项目类型。")})
    if not (target_group or "").strip():
        raise ValidationFailed(_("请填写服务对象。"), data={"target_group": _("请填写服务对象。")})
    if team is not None and not organises(resolve(actor), team.org_unit):
        raise NotFound()
    return Project.objects.create(
        name=cleaned[:100], kind=kind, owner=owner, team=team, target_group=target_group.strip()[:100],
        description=(description or "").strip(),
    )  # fmt: skip
