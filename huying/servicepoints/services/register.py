"""Keeping the register: a point created or changed (by its keepers, the Excel import, or another loop
through the ``service_points`` hook), and the items it accepts, guides or files under proxy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from huying.accounts.selectors import Actor, ActorLike, actor_for
from huying.catalogue.models import ServiceItem
from huying.core.errors import NotFound, ValidationFailed
from huying.core.registry import PointFeed
from huying.core.validators import normalize_phone
from huying.organisations.models import OrgUnit

from .. import errors
from ..models import PointItem, ServicePoint
from ..permissions import may_edit
from ..spatial import check_in_area, point_index_invalidate
from ..states import Kind

TEXT_LIMITS = {"code": 40, "name": 100, "address": 200, "hours": 100, "contact_phone": 40}


def _clean_phone(value: str, problems: dict[str, str]) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if any(ch.isalpha() for ch in value):
        problems["contact_phone"] = _("联系电话只能包含数字和“-”。")
        return value
    digits = value.replace(" ", "")
    if digits.startswith("1") and len(digits) == 11:
        try:
            return normalize_phone(digits, field="contact_phone")
        except ValidationFailed as exc:
            problems["contact_phone"] = str(exc.message)
    return digits


def clean_point(data: dict[str, Any]) -> dict[str, Any]:
    """Typed fields of a point, or ValidationFailed with every wrong field at once."""
    problems: dict[str, str] = {}
    out: dict[str, Any] = {}
    for field, most in TEXT_LIMITS.items():
        value = str(data.get(field) or "").strip()
        if len(value) > most:
            problems[field] = _("不能超过%(n)d字。") % {"n": most}
        out[field] = value
    for field in ("code", "name", "address"):
        if not out[field]:
            problems[field] = _("必填。")
    kind = str(data.get("kind") or "").strip()
    if kind not in Kind.values:
        label = next((value for value, text in Kind.choices if str(text) == kind), None)
        if label is None:
            problems["kind"] = _("类型无效。")
        kind = label or kind
    out["kind"] = kind
    try:
        windows = int(data.get("windows") or 0)
        if not 0 <= windows <= 500:
            raise ValueError
        out["windows"] = windows
    except (TypeError, ValueError):
        problems["windows"] = _("窗口数应为0到500之间的整数。")
    out["contact_phone"] = _clean_phone(out["contact_phone"], problems)
    try:
        out["longitude"], out["latitude"] = check_in_area(data.get("longitude"), data.get("latitude"))
    except ValidationFailed as exc:
        problems["longitude"] = str(exc.message)
        if exc.code == errors.OUTSIDE_AREA:
            raise ValidationFailed(exc.message, code=errors.OUTSIDE_AREA, data=problems) from None
    if problems:
        raise ValidationFailed(data=problems)
    return out


def point_save(
    *,
    actor: ActorLike | None,
    data: dict[str, Any],
    unit: OrgUnit | None = None,
    source: str = "",
    source_ref: str = "",
    point: ServicePoint | None = None,
) -> ServicePoint:
    """Create a point, or change ``point`` (its keepers only). ``actor`` None is another loop's hook."""
    resolved: Actor | None = actor_for(actor) if actor is not None else None
    if point is not None and resolved is not None and not may_edit(resolved, point):
        raise NotFound()
    fields = clean_point(data)
    if point is None and ServicePoint.objects.filter(code=fields["code"]).exists():
        raise ValidationFailed(data={"code": _("服务点编码已存在。")})
    with transaction.atomic():
        if point is None:
            point = ServicePoint(source=source, source_ref=source_ref)
        elif point.code != fields["code"] and ServicePoint.objects.filter(code=fields["code"]).exists():
            raise ValidationFailed(data={"code": _("服务点编码已存在。")})
        for name, value in fields.items():
            setattr(point, name, value)
        if unit is not None:
            point.unit = unit
        if resolved is not None:
            point.updated_by = resolved.user
        point.version = (point.version or 0) + 1
        point.save()
    point_index_invalidate()
    return point


def _items_by_code(codes: Iterable[str]) -> tuple[dict[str, ServiceItem], list[str]]:
    wanted = sorted({c.strip() for c in codes if c and c.strip()})
    found = {i.code: i for i in ServiceItem.objects.filter(code__in=wanted, is_active=True)}
    return found, [c for c in wanted if c not in found]


def point_set_items(
    *,
    actor: ActorLike | None,
    point: ServicePoint,
    accepts: Iterable[str] = (),
    guides: Iterable[str] = (),
    proxies: Iterable[str] = (),
) -> int:
    """Replace the point's items (catalogue codes per mode); every unknown code refused, nothing changed."""
    if actor is not None and not may_edit(actor_for(actor), point):
        raise NotFound()
    modes = {"accepts": set(accepts), "guides": set(guides), "proxies": set(proxies)}
    items, unknown = _items_by_code(modes["accepts"] | modes["guides"] | modes["proxies"])
    if unknown:
        raise ValidationFailed(
            _("事项编码不存在或已停用：%(codes)s") % {"codes": "、".join(unknown[:10])},
            code=errors.UNKNOWN_ITEM,
            data={"items": unknown[:10]},
        )
    with transaction.atomic():
        PointItem.objects.filter(point=point).delete()
        PointItem.objects.bulk_create(
            [
                PointItem(
                    point=point,
                    item=item,
                    accepts=code in modes["accepts"],
                    guides=code in modes["guides"],
                    proxies=code in modes["proxies"],
                )
                for code, item in sorted(items.items())
            ]
        )
        point.save(update_fields=["updated_at"])
    point_index_invalidate()
    return len(items)


def point_feed(feed: PointFeed) -> ServicePoint | None:
    """Another loop's place kept on the map (a canteen): created, changed, or retired when inactive."""
    point = ServicePoint.objects.filter(source=feed.source, source_ref=feed.ref).first()
    if point is None and not feed.active:
        return None
    data = {
        "code": point.code if point else f"{feed.source}-{feed.ref}"[:40],
        "name": feed.name,
        "kind": feed.kind,
        "address": feed.address,
        "longitude": feed.longitude,
        "latitude": feed.latitude,
        "hours": feed.hours,
        "contact_phone": feed.contact_phone,
        "windows": 0,
    }
    unit = OrgUnit.objects.filter(pk=feed.unit_id).first() if feed.unit_id else None
    point = point_save(actor=None, data=data, unit=unit, source=feed.source, source_ref=feed.ref, point=point)
    if point.is_active != feed.active:
        ServicePoint.objects.filter(pk=point.pk).update(is_active=feed.active)
        point.is_active = feed.active
        point_index_invalidate()
    return point
