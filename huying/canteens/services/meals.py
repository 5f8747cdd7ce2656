"""A meal recorded at the counter by card or 助餐码 (or by staff for the person): eligibility that day,
one meal per slot, the daily limit, the price from the tier in force that day; deliveries confirmed
at the door."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.selectors import ActorLike
from huying.core.errors import InvalidTransition, ValidationFailed

from .. import errors
from ..models import Canteen, Elder, ElderCategory, Meal, PriceTier, Settlement
from ..states import LOCKED_SETTLEMENT, STAFF, ElderStatus, Method, Mode, Slot
from .common import acting_on


def eligible_on(elder: Elder, day: dt.date) -> bool:
    """Enrolled and approved, not suspended or cancelled, on ``day``."""
    if elder.active_from is None or elder.active_from > day:
        return False
    if elder.status == ElderStatus.APPLIED:
        return False
    return elder.inactive_from is None or elder.inactive_from > day


def categories_on(elder: Elder, day: dt.date) -> set[str]:
    rows = ElderCategory.objects.filter(elder=elder, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )
    return set(rows.values_list("category", flat=True))


def tier_for(elder: Elder, day: dt.date) -> PriceTier:
    """The cheapest tier in force on ``day`` among those of the elder's categories that day, else the general one."""
    cats = categories_on(elder, day) | {""}
    tiers = PriceTier.objects.filter(valid_from__lte=day, category__in=cats).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    tier = tiers.order_by("self_pay", "category", "-valid_from").first()
    if tier is None:
        raise ValidationFailed(_("当日没有适用的助餐价格标准，请联系民政部门。"), code=errors.NO_TIER)
    return tier


def _month_locked(canteen: Canteen, day: dt.date) -> bool:
    return Settlement.objects.filter(canteen=canteen, month=day.replace(day=1), status__in=LOCKED_SETTLEMENT).exists()


def _find(identifier: str) -> Elder:
    key = (identifier or "").strip()[:20]
    elder = Elder.objects.filter(Q(card_number=key) | Q(meal_code=key)).first() if key else None
    if elder is None:
        raise ValidationFailed(
            _("未找到助餐卡或助餐码“%(key)s”对应的登记老人。") % {"key": key[:20]}, code=errors.NOT_ENROLLED
        )
    return elder


def _check(elder: Elder, canteen: Canteen, day: dt.date, slot: str, mode: str) -> None:
    if not eligible_on(elder, day):
        raise ValidationFailed(
            _("%(name)s在%(day)s不在有效助餐资格内（状态：%(status)s）。")
            % {"name": elder.name, "day": day, "status": elder.get_status_display()},
            code=errors.NOT_ELIGIBLE,
        )
    if slot not in canteen.slot_list:
        raise ValidationFailed(_("本助餐点不提供%(slot)s。") % {"slot": Slot(slot).label}, code=errors.SLOT_NOT_SERVED)
    if mode == Mode.DELIVERY and not elder.delivery_needed:
        raise ValidationFailed(_("%(name)s未登记送餐上门服务。") % {"name": elder.name}, code=errors.NO_DELIVERY)
    same_day = Meal.objects.filter(elder=elder, served_on=day)
    taken = same_day.filter(slot=slot).select_related("canteen").first()
    if taken is not None:
        raise ValidationFailed(
            _("%(name)s本日%(slot)s已在%(canteen)s就餐，不能重复登记。")
            % {"name": elder.name, "slot": Slot(slot).label, "canteen": taken.canteen.name},
            code=errors.SLOT_TAKEN,
        )
    if same_day.count() >= canteen.daily_limit:
        raise ValidationFailed(
            _("%(name)s本日就餐已达%(n)d次上限。") % {"name": elder.name, "n": canteen.daily_limit},
            code=errors.DAILY_LIMIT,
        )
    if _month_locked(canteen, day):
        raise ValidationFailed(
            _("%(month)s的结算单已确认，不能再登记就餐。") % {"month": f"{day:%Y-%m}"}, code=errors.MONTH_LOCKED
        )


def meal_record(
    *,
    actor: ActorLike,
    canteen: Canteen,
    identifier: str,
    slot: str,
    mode: str = Mode.DINE_IN,
    method: str = Method.CARD,
    served_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Meal:
    now = now or timezone.now()
    day = served_on or timezone.localdate(now)
    resolved, _roles = acting_on(actor, canteen, STAFF)
    if slot not in Slot.values or mode not in Mode.values or method not in Method.values:
        raise ValidationFailed(data={"slot": _("请选择餐次、就餐方式和登记方式。")})
    if day > timezone.localdate(now):
        raise ValidationFailed(data={"served_on": _("就餐日期不能晚于今天。")})
    elder = _find(identifier)
    _check(elder, canteen, day, slot, mode)
    tier = tier_for(elder, day)
    try:
        with transaction.atomic():
            return Meal.objects.create(
                elder=elder,
                canteen=canteen,
                served_on=day,
                slot=slot,
                method=method,
                mode=mode,
                tier=tier,
                list_price=tier.list_price,
                self_pay=tier.self_pay,
                subsidy=tier.list_price - tier.self_pay,
                recorded_by=resolved.user,
                recorded_at=now,
            )
    except IntegrityError:  # two counters at once: the constraint keeps one
        raise ValidationFailed(_("%(name)s本餐次已就餐。") % {"name": elder.name}, code=errors.SLOT_TAKEN) from None


def delivery_confirm(*, actor: ActorLike, meal: Meal, note: str = "", now: dt.datetime | None = None) -> Meal:
    """The meal handed over at the door (送达确认), once."""
    now = now or timezone.now()
    resolved, _roles = acting_on(actor, meal.canteen, STAFF)
    if meal.mode != Mode.DELIVERY:
        raise InvalidTransition(_("堂食记录无需送达确认。"))
    if len(note or "") > 200:
        raise ValidationFailed(data={"note": _("送达情况不能超过200字。")})
    done = Meal.objects.filter(pk=meal.pk, delivered_at__isnull=True).update(
        delivered_at=now, delivered_by=resolved.user, delivery_note=(note or "").strip()
    )
    if not done:
        raise InvalidTransition(_("该送餐已确认送达。"))
    meal.refresh_from_db()
    return meal
