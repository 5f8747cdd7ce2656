"""A canteen registered or changed (kept on the service-point map through the ``service_points``
hook, in the same transaction), and its weekly menu published."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from huying.accounts.selectors import ActorLike, actor_for
from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.registry import PointFeed, service_points
from huying.organisations.models import OrgUnit

from .. import errors
from ..models import Canteen, WeeklyMenu
from ..permissions import roles_on
from ..states import CIVIL, STAFF, CanteenKind, Slot
from .common import acting_on

# 食品经营许可证编号: "JY" + 14 digits (食品经营许可管理办法).
LICENCE = re.compile(r"^JY\d{14}$")


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    problems: dict[str, str] = {}
    out: dict[str, Any] = {}
    for field, most, required in (
        ("code", 30, True),
        ("name", 100, True),
        ("operator", 100, True),
        ("address", 200, True),
        ("hours", 100, False),
        ("contact_phone", 40, False),
    ):
        value = str(data.get(field) or "").strip()
        if required and not value:
            problems[field] = _("必填。")
        elif len(value) > most:
            problems[field] = _("不能超过%(n)d字。") % {"n": most}
        out[field] = value
    out["kind"] = str(data.get("kind") or CanteenKind.CANTEEN)
    if out["kind"] not in CanteenKind.values:
        problems["kind"] = _("类型无效。")
    licence = str(data.get("licence_number") or "").strip().upper()
    if not LICENCE.match(licence):
        problems["licence_number"] = _("食品经营许可证编号应为“JY”加14位数字。")
    out["licence_number"] = licence
    slots = [s.strip() for s in str(data.get("slots") or "lunch").split(",") if s.strip()]
    if not slots or any(s not in Slot.values for s in slots):
        problems["slots"] = _("餐次应为 breakfast、lunch、dinner 之一或多个。")
    out["slots"] = ",".join(s for s in Slot.values if s in slots)
    for name, low, high in (("capacity", 0, 2000), ("daily_limit", 1, 3)):
        raw = data.get(name)
        default = low if name == "capacity" else max(1, len(slots))
        try:
            number = int(str(raw)) if raw not in (None, "") else default
            if not low <= number <= high:
                raise ValueError
            out[name] = number
        except (TypeError, ValueError):
            problems[name] = _("应为%(low)d到%(high)d之间的整数。") % {"low": low, "high": high}
    try:
        out["annual_subsidy"] = Decimal(str(data.get("annual_subsidy") or "0"))
        if out["annual_subsidy"] < 0 or out["annual_subsidy"] > Decimal("10000000"):
            raise InvalidOperation
    except InvalidOperation:
        problems["annual_subsidy"] = _("运营补贴应为不小于0的金额。")
    try:
        out["longitude"], out["latitude"] = float(data.get("longitude")), float(data.get("latitude"))  # type: ignore[arg-type]
        if not (math.isfinite(out["longitude"]) and math.isfinite(out["latitude"])):
            raise ValueError
    except (TypeError, ValueError):
        problems["longitude"] = _("经纬度应为数字。")
    if problems:
        raise ValidationFailed(
            problems.get("licence_number") or None,
            code=errors.INVALID_LICENCE if "licence_number" in problems else None,
            data=problems,
        )
    return out


def canteen_save(
    *, actor: ActorLike | None, data: dict[str, Any], unit: OrgUnit, canteen: Canteen | None = None
) -> Canteen:
    """Register a canteen (civil affairs over its unit) or change it; refused outside the deployment's area."""
    if actor is not None:
        resolved = actor_for(actor)
        probe = canteen or Canteen(unit=unit)
        if CIVIL not in roles_on(resolved, probe) and not (canteen and STAFF in roles_on(resolved, canteen)):
            raise PermissionDenied(_("只有民政部门工作人员可以登记助老食堂。"))
    fields = _clean(data)
    others = Canteen.objects.filter(code=fields["code"])
    if canteen is not None:
        others = others.exclude(pk=canteen.pk)
    if others.exists():
        raise ValidationFailed(data={"code": _("编码已存在。")})
    with transaction.atomic():
        canteen = canteen or Canteen(unit=unit)
        for name, value in fields.items():
            setattr(canteen, name, value)
        canteen.version = (canteen.version or 0) + 1
        canteen.save()
        # On the 百事通 map as a point of kind "canteen" (the register refuses a place outside the area).
        service_points.call(
            "feed",
            PointFeed(
                source="canteens",
                ref=canteen.code,
                name=canteen.name,
                kind="canteen",
                address=canteen.address,
                longitude=canteen.longitude,
                latitude=canteen.latitude,
                hours=canteen.hours,
                contact_phone=canteen.contact_phone,
                unit_id=canteen.unit_id,
                active=canteen.is_active,
            ),
        )
    return canteen


def menu_publish(*, actor: ActorLike, canteen: Canteen, week_start: dt.date, text: str) -> WeeklyMenu:
    acting_on(actor, canteen, STAFF)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(data={"text": _("请填写菜单。")})
    if len(text) > 3000:
        raise ValidationFailed(data={"text": _("菜单不能超过3000字。")})
    monday = week_start - dt.timedelta(days=week_start.weekday())
    menu, _created = WeeklyMenu.objects.update_or_create(canteen=canteen, week_start=monday, defaults={"text": text})
    return menu
