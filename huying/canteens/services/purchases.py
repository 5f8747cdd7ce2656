"""进货查验记录 (食品安全法 Arts. 50 and 53): name, spec, quantity, production date or batch, shelf
life, purchase date and the supplier's name, address and contact; kept at least six months past the
end of the shelf life, or two years when there is none. Until that date no one may delete one:
the service refuses, and a pre_delete signal refuses any other path (admin, a queryset)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.selectors import ActorLike
from huying.core.errors import ValidationFailed
from huying.core.months import add_months

from .. import errors
from ..models import Canteen, PurchaseRecord
from ..states import STAFF
from .common import acting_on


def retain_until(*, purchased_on: dt.date, production_date: dt.date | None, shelf_life_days: int | None) -> dt.date:
    if shelf_life_days is not None and production_date is not None:
        return add_months(production_date + dt.timedelta(days=shelf_life_days), 6)
    return add_months(purchased_on, 24)


def _date(value: Any, field: str, problems: dict[str, str], *, required: bool) -> dt.date | None:
    if value in (None, ""):
        if required:
            problems[field] = _("必填。")
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems[field] = _("日期格式应为 YYYY-MM-DD。")
        return None


def purchase_record(*, actor: ActorLike, canteen: Canteen, data: dict[str, Any]) -> PurchaseRecord:
    resolved, _roles = acting_on(actor, canteen, STAFF)
    problems: dict[str, str] = {}
    text: dict[str, str] = {}
    for field, most, required in (
        ("product", 100, True),
        ("spec", 60, False),
        ("quantity", 40, True),
        ("batch", 60, False),
        ("supplier_name", 100, True),
        ("supplier_address", 200, True),
        ("supplier_contact", 40, True),
    ):
        value = str(data.get(field) or "").strip()
        if required and not value:
            problems[field] = _("必填。")
        elif len(value) > most:
            problems[field] = _("不能超过%(n)d字。") % {"n": most}
        text[field] = value
    purchased_on = _date(data.get("purchased_on"), "purchased_on", problems, required=True)
    production = _date(data.get("production_date"), "production_date", problems, required=False)
    shelf: int | None = None
    if data.get("shelf_life_days") not in (None, ""):
        try:
            shelf = int(data["shelf_life_days"])
            if not 0 < shelf <= 3650:
                raise ValueError
        except (TypeError, ValueError):
            problems["shelf_life_days"] = _("保质期应为1到3650之间的天数。")
        if production is None and "production_date" not in problems:
            problems["production_date"] = _("有保质期的食品须填写生产日期。")
    if not production and not text.get("batch") and "production_date" not in problems:
        problems["batch"] = _("请填写生产日期或生产批号。")
    today = timezone.localdate()
    if purchased_on and purchased_on > today:
        problems["purchased_on"] = _("进货日期不能晚于今天。")
    if problems:
        raise ValidationFailed(data=problems)
    assert purchased_on is not None
    return PurchaseRecord.objects.create(
        canteen=canteen,
        purchased_on=purchased_on,
        production_date=production,
        shelf_life_days=shelf,
        retain_until=retain_until(purchased_on=purchased_on, production_date=production, shelf_life_days=shelf),
        recorded_by=resolved.user,
        **text,
    )


def _refuse_early(record: PurchaseRecord, today: dt.date) -> None:
    if today <= record.retain_until:
        raise ValidationFailed(
            _("该进货查验记录须保存至%(date)s（食品安全法第五十条），期满前不能删除。")
            % {"date": record.retain_until.isoformat()},
            code=errors.RETENTION,
        )


def purchase_delete(*, actor: ActorLike, record: PurchaseRecord, today: dt.date | None = None) -> None:
    acting_on(actor, record.canteen, STAFF)
    _refuse_early(record, today or timezone.localdate())
    record.delete()


@receiver(pre_delete, sender=PurchaseRecord, dispatch_uid="canteens_purchase_retention")
def _guard(sender: Any, instance: PurchaseRecord, **kwargs: Any) -> None:
    _refuse_early(instance, timezone.localdate())
