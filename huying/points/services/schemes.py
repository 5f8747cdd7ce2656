"""Changing the rules and registering merchants: a new item version applies from a day not before
today (never retroactively), the previous version ends the day before; a merchant's unified social
credit code is checked (GB 32100-2015) before it is registered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.errors import ValidationFailed
from huying.core.validators import normalize_uscc
from huying.organisations.models import OrgUnit

from .. import errors
from ..models import MIN_EXPIRY_MONTHS, Merchant, Resolution, Scheme, SchemeItem

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
