"""Keeping the schemes and merchants. A scheme is created with the resolution that adopted it; an
item applies from a day not before today, and a new version of it likewise (never retroactively), the
previous version ending the day before; a merchant's unified social credit code is checked
(GB 32100-2015) before it is registered; every change is within the reviewer's own units."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.validators import normalize_uscc
from huying.organisations.models import OrgUnit

from .. import errors
from ..models import (
    MIN_EXPIRY_MONTHS,
    ExchangeDay,
    ExchangeStock,
    Goods,
    Merchant,
    MerchantStaff,
    Resolution,
    Scheme,
    SchemeItem,
)
from ..permissions import may_manage

REVISABLE = frozenset(
    {"name", "points", "unit_label", "evidence_required", "per_event_cap", "daily_cap", "monthly_cap", "dedup"}
)


def item_revise(item: SchemeItem, *, valid_from: dt.date, resolution: Resolution, **changes: Any) -> SchemeItem:
    """A new version of ``item`` from ``valid_from`` (today or later), approved by ``resolution``."""
    if valid_from < timezone.localdate():
        message = _("积分事项的修改不能追溯到今天以前。")
        raise ValidationFailed(message, code=errors.RETROACTIVE_RULE, data={"valid_from": message})
    unknown = set(changes) - REVISABLE
    if unknown or resolution.scheme_id != item.scheme_id:
        raise ValidationFailed(data={"fields": sorted(unknown)})
    with transaction.atomic():
        current = SchemeItem.objects.select_for_update().get(pk=item.pk)
        latest = SchemeItem.objects.filter(scheme=item.scheme, code=item.code).order_by("-version").first()
        if latest is None or latest.pk != current.pk:
            raise ValidationFailed(_("只能在该事项的最新版本上修改。"))
        if valid_from <= current.valid_from:
            message = _("新版本的生效日期须晚于现行版本的生效日期。")
            raise ValidationFailed(message, code=errors.RETROACTIVE_RULE, data={"valid_from": message})
        SchemeItem.objects.filter(pk=current.pk).update(valid_to=valid_from - dt.timedelta(days=1))
        fields = {f: getattr(current, f) for f in REVISABLE} | changes
        if current.wallet == SchemeItem.Wallet.SPENDABLE and int(fields["points"]) <= 0:
            raise ValidationFailed(_("可兑换积分事项的分值须为正数（扣分只记入评比分）。"), data={"points": "> 0"})
        return SchemeItem.objects.create(
            scheme=current.scheme,
            code=current.code,
            version=current.version + 1,
            wallet=current.wallet,
            resolution=resolution,
            valid_from=valid_from,
            **fields,
        )


def scheme_expiry_check(months: int | None) -> int | None:
    if months is not None and months < MIN_EXPIRY_MONTHS:
        message = _("实名积分的有效期不得短于三年（或不设有效期）。")
        raise ValidationFailed(message, code=errors.EXPIRY_TOO_SHORT, data={"expiry_months": message})
    return months


def scheme_set_expiry(scheme: Scheme, months: int | None) -> Scheme:
    """Set a scheme's expiry: none, or three years or more. Lots already credited keep theirs."""
    Scheme.objects.filter(pk=scheme.pk).update(expiry_months=scheme_expiry_check(months))
    scheme.refresh_from_db()
    return scheme


def merchant_register(
    *, name: str, credit_code: str, unit: OrgUnit, address: str = "", yuan_per_point: Any = "1"
) -> Merchant:
    code = normalize_uscc(credit_code)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("请填写商户名称。"), data={"name": _("请填写商户名称。")})
    try:
        rate = Decimal(str(yuan_per_point)).quantize(Decimal("0.01"))
    except InvalidOperation:
        rate = Decimal(0)
    if rate <= 0:
        raise ValidationFailed(_("每积分抵值须大于0元。"), data={"yuan_per_point": _("每积分抵值须大于0元。")})
    if Merchant.objects.filter(credit_code=code).exists():
        raise ValidationFailed(_("该统一社会信用代码的商户已登记。"), data={"credit_code": code})
    return Merchant.objects.create(
        name=name[:100], credit_code=code, unit=unit, address=address[:200], yuan_per_point=rate
    )


# --- what a points reviewer keeps from the management pages: schemes, resolutions, items, merchants,
# their goods and cashiers, exchange days. Each checks that the unit is within the reviewer's own.


def _ensure_manages(actor: Actor, unit: OrgUnit | None) -> None:
    if not may_manage(actor, unit):
        raise PermissionDenied(_("只能管理本单位及下属单位的积分方案和商户。"))


def _required(value: Any, field: str, message: str, limit: int) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationFailed(message, data={field: message})
    return text[:limit]


def _code(value: Any, field: str = "code") -> str:
    text = str(value or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{1,39}", text):
        message = _("代码只能由2～40位小写字母、数字、下划线或连字符组成。")
        raise ValidationFailed(message, data={field: message})
    return text


def _not_before_today(day: dt.date, field: str) -> dt.date:
    if day < timezone.localdate():
        message = _("积分事项的修改不能追溯到今天以前。")
        raise ValidationFailed(message, code=errors.RETROACTIVE_RULE, data={field: message})
    return day


def scheme_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    unit: OrgUnit,
    resolution: dict[str, Any],
    counts_households: bool = False,
    expiry_months: int | None = None,
    publicity_days: int = 3,
    masking: str = Scheme.Masking.SURNAME,
) -> Scheme:
    """A new scheme with the resolution that adopted it (the national guidance asks for a democratic
    procedure: no scheme without one)."""
    _ensure_manages(actor, unit)
    code = _code(code)
    name = _required(name, "name", _("请填写方案名称。"), 100)
    if kind not in Scheme.Kind.values:
        raise ValidationFailed(_("请选择方案类型。"), data={"kind": _("请选择方案类型。")})
    if masking not in Scheme.Masking.values:
        raise ValidationFailed(_("请选择张榜显示方式。"), data={"masking": _("请选择张榜显示方式。")})
    if not 1 <= int(publicity_days) <= 30:
        message = _("公示天数应在1～30天之间。")
        raise ValidationFailed(message, data={"publicity_days": message})
    scheme_expiry_check(expiry_months)
    with transaction.atomic():
        if Scheme.objects.filter(code=code).exists():
            raise ValidationFailed(_("该代码已被使用，请换一个。"), code=errors.CODE_TAKEN, data={"code": code})
        scheme = Scheme.objects.create(
            code=code, name=name, kind=kind, unit=unit, counts_households=bool(counts_households),
            expiry_months=expiry_months, publicity_days=int(publicity_days), masking=masking,
        )  # fmt: skip
        resolution_add(actor=actor, scheme=scheme, **resolution)
    return scheme


def resolution_add(
    *, actor: Actor, scheme: Scheme, body: str, number: str, adopted_on: dt.date, summary: str = ""
) -> Resolution:
    _ensure_manages(actor, scheme.unit)
    body = _required(body, "body", _("请填写作出决议的会议或机构。"), 100)
    number = _required(number, "number", _("请填写决议文号。"), 60)
    if adopted_on > timezone.localdate():
        message = _("决议通过日期不能晚于今天。")
        raise ValidationFailed(message, data={"adopted_on": message})
    return Resolution.objects.create(
        scheme=scheme, body=body, number=number, adopted_on=adopted_on, summary=(summary or "").strip()
    )


def item_add(
    *, actor: Actor, scheme: Scheme, resolution: Resolution, code: str, valid_from: dt.date, **fields: Any
) -> SchemeItem:
    """A new 积分事项 (version 1), from a day not before today, under one of the scheme's resolutions."""
    _ensure_manages(actor, scheme.unit)
    if resolution.scheme_id != scheme.pk:
        message = _("请选择本方案的决议。")
        raise ValidationFailed(message, data={"resolution": message})
    code = _code(code)
    _not_before_today(valid_from, "valid_from")
    unknown = set(fields) - REVISABLE - {"wallet"}
    if unknown:
        raise ValidationFailed(data={"fields": sorted(unknown)})
    fields["name"] = _required(fields.get("name"), "name", _("请填写事项名称。"), 100)
    wallet = fields.pop("wallet", SchemeItem.Wallet.SPENDABLE)
    if wallet == SchemeItem.Wallet.SPENDABLE and int(fields.get("points") or 0) <= 0:
        raise ValidationFailed(_("可兑换积分事项的分值须为正数（扣分只记入评比分）。"), data={"points": "> 0"})
    with transaction.atomic():
        if SchemeItem.objects.filter(scheme=scheme, code=code).exists():
            raise ValidationFailed(_("该代码已被使用，请换一个。"), code=errors.CODE_TAKEN, data={"code": code})
        return SchemeItem.objects.create(
            scheme=scheme, code=code, wallet=wallet, resolution=resolution, valid_from=valid_from, **fields
        )


def item_revise_by(
    *, actor: Actor, item: SchemeItem, valid_from: dt.date, resolution: Resolution, **changes: Any
) -> SchemeItem:
    _ensure_manages(actor, item.scheme.unit)
    return item_revise(item, valid_from=valid_from, resolution=resolution, **changes)


def scheme_set_expiry_by(*, actor: Actor, scheme: Scheme, months: int | None) -> Scheme:
    _ensure_manages(actor, scheme.unit)
    return scheme_set_expiry(scheme, months)


def merchant_register_by(*, actor: Actor, unit: OrgUnit, **fields: Any) -> Merchant:
    _ensure_manages(actor, unit)
    return merchant_register(unit=unit, **fields)


def goods_add(*, actor: Actor, merchant: Merchant, name: str, points: int) -> Goods:
    _ensure_manages(actor, merchant.unit)
    name = _required(name, "name", _("请填写物品名称。"), 60)
    if not 0 < int(points) <= 1_000_000:
        raise ValidationFailed(_("积分数应为正整数。"), data={"points": _("积分数应为正整数。")})
    return Goods.objects.create(merchant=merchant, name=name, points=int(points))


def goods_toggle(*, actor: Actor, goods: Goods) -> Goods:
    """上架 ↔ 下架: goods already redeemed stay in the statements, so they are never deleted."""
    _ensure_manages(actor, goods.merchant.unit)
    Goods.objects.filter(pk=goods.pk).update(is_active=not goods.is_active)
    goods.refresh_from_db()
    return goods


def cashier_add(*, actor: Actor, merchant: Merchant, username: str) -> MerchantStaff:
    """Register an existing account as the merchant's cashier and give it the merchant role there."""
    _ensure_manages(actor, merchant.unit)
    user = User.objects.filter(username=(username or "").strip(), is_active=True).first()
    if user is None:
        message = _("没有这个账号：收银人员须先注册或由管理员开通账号。")
        raise ValidationFailed(message, data={"username": message})
    with transaction.atomic():
        taken = MerchantStaff.objects.filter(user=user).select_related("merchant").first()
        if taken is not None:
            message = (
                _("该账号已是其他商户的收银人员。")
                if taken.merchant_id != merchant.pk
                else _("该账号已是本商户的收银人员。")
            )
            raise ValidationFailed(message, code=errors.CASHIER_ELSEWHERE, data={"username": message})
        RoleAssignment.objects.get_or_create(user=user, role=Role.MERCHANT, org_unit=merchant.unit)
        return MerchantStaff.objects.create(merchant=merchant, user=user)


@dataclass(frozen=True)
class StockLine:
    name: str
    points: int
    quantity: int


def exchange_day_create(
    *, actor: Actor, title: str, merchant: Merchant, day: dt.date, place: str, stock: list[StockLine]
) -> ExchangeDay:
    """A street's 积分兑换活动 at a merchant (its 积分超市) with the goods prepared for it."""
    _ensure_manages(actor, merchant.unit)
    title = _required(title, "title", _("请填写活动名称。"), 100)
    place = _required(place, "place", _("请填写活动地点。"), 200)
    if day < timezone.localdate():
        message = _("活动日期不能早于今天。")
        raise ValidationFailed(message, data={"day": message})
    if not stock:
        raise ValidationFailed(_("请至少填写一种兑换物品。"), data={"stock": _("请至少填写一种兑换物品。")})
    with transaction.atomic():
        event = ExchangeDay.objects.create(title=title, unit=merchant.unit, merchant=merchant, day=day, place=place)
        ExchangeStock.objects.bulk_create(
            ExchangeStock(
                exchange_day=event, name=s.name[:60], points=s.points, quantity=s.quantity, remaining=s.quantity
            )
            for s in stock
        )
    return event
