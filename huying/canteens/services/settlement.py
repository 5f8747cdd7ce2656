"""The monthly settlement of a canteen, computed from the meals recorded on the platform, with anomaly
flags; then confirmed by the operator, approved by civil affairs and paid. Refused edits after
confirmation: the table has no way back from 审核 or 拨付."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.selectors import ActorLike
from huying.core.errors import InvalidTransition
from huying.core.statemachine import versioned_update

from .. import errors
from ..models import Canteen, Elder, Meal, Settlement
from ..states import CIVIL, SETTLEMENT_TRANSITIONS, STAFF, Mode, SettlementAction, SettlementStatus, Slot
from .common import acting_on
from .meals import categories_on, eligible_on


def _month_range(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return first, nxt


def anomalies(canteen: Canteen, month: dt.date) -> list[dict[str, Any]]:
    """Meals of the month that need a look: the same person at another canteen in the same slot, more
    meals in a day than the limit (all canteens), and people not eligible that day as known now
    (status ended, or the category their tier rests on ended)."""
    first, nxt = _month_range(month)
    meals = list(
        Meal.objects.filter(canteen=canteen, served_on__gte=first, served_on__lt=nxt).select_related("elder", "tier")
    )
    elder_ids = {m.elder_id for m in meals}
    everywhere = Meal.objects.filter(elder_id__in=elder_ids, served_on__gte=first, served_on__lt=nxt)
    slots: dict[tuple[int, dt.date, str], set[int]] = defaultdict(set)
    per_day: Counter[tuple[int, dt.date]] = Counter()
    for elder_id, day, slot, canteen_id in everywhere.values_list("elder_id", "served_on", "slot", "canteen_id"):
        slots[(elder_id, day, slot)].add(canteen_id)
        per_day[(elder_id, day)] += 1
    found: list[dict[str, Any]] = []
    seen_days: set[tuple[int, dt.date]] = set()
    for m in meals:
        where = {"meal": m.pk, "elder": m.elder.name, "day": m.served_on.isoformat(), "slot": str(Slot(m.slot).label)}
        if len(slots[(m.elder_id, m.served_on, m.slot)]) > 1:
            found.append({**where, "kind": "two_canteens", "text": _("同一餐次在两处助餐点就餐")})
        if per_day[(m.elder_id, m.served_on)] > canteen.daily_limit and (m.elder_id, m.served_on) not in seen_days:
            seen_days.add((m.elder_id, m.served_on))
            found.append({**where, "kind": "daily_limit", "text": _("当日就餐次数超过上限")})
        if not eligible_on(m.elder, m.served_on):
            found.append({**where, "kind": "ineligible", "text": _("就餐日已不在有效资格内")})
        elif m.tier.category and m.tier.category not in categories_on(m.elder, m.served_on):
            found.append({**where, "kind": "category_ended", "text": _("享受优惠所依据的类别当日已失效")})
    return found


def _figures(canteen: Canteen, month: dt.date) -> dict[str, Any]:
    first, nxt = _month_range(month)
    meals = Meal.objects.filter(canteen=canteen, served_on__gte=first, served_on__lt=nxt)
    agg = meals.aggregate(
        n=Count("id"),
        deliveries=Count("id", filter=Q(mode=Mode.DELIVERY)),
        people=Count("elder", distinct=True),
        list_total=Sum("list_price"),
        self_pay_total=Sum("self_pay"),
        subsidy_total=Sum("subsidy"),
    )
    found = anomalies(canteen, month)
    return {
        "meals": agg["n"] or 0,
        "deliveries": agg["deliveries"] or 0,
        "people": agg["people"] or 0,
        "list_total": agg["list_total"] or Decimal(0),
        "self_pay_total": agg["self_pay_total"] or Decimal(0),
        "subsidy_total": agg["subsidy_total"] or Decimal(0),
        "operating_subsidy": (canteen.annual_subsidy / 12).quantize(Decimal("0.01")),
        "anomalies": found,
    }


def settlement_generate(
    *, actor: ActorLike, canteen: Canteen, month: dt.date, now: dt.datetime | None = None
) -> Settlement:
    """Compute the month's statement from the meals (or recompute it while only generated)."""
    now = now or timezone.now()
    resolved, roles = acting_on(actor, canteen, STAFF, CIVIL)
    first = month.replace(day=1)
    if first > timezone.localdate(now):
        raise InvalidTransition(_("不能为尚未开始的月份生成结算单。"))
    with transaction.atomic():
        existing = Settlement.objects.select_for_update().filter(canteen=canteen, month=first).first()
        if existing is not None:
            if existing.status != SettlementStatus.GENERATED:
                raise InvalidTransition(
                    _("%(month)s的结算单%(status)s，不能重新生成或修改。")
                    % {"month": f"{first:%Y-%m}", "status": existing.get_status_display()},
                    code=errors.SETTLEMENT_LOCKED,
                )
            SETTLEMENT_TRANSITIONS.check(source=existing.status, action=SettlementAction.REGENERATE, roles=roles)
            versioned_update(
                Settlement.objects.filter(pk=existing.pk),
                expected_version=existing.version,
                generated_at=now,
                generated_by=resolved.user,
                **_figures(canteen, first),
            )
            existing.refresh_from_db()
            return existing
        return Settlement.objects.create(
            canteen=canteen, month=first, generated_at=now, generated_by=resolved.user, **_figures(canteen, first)
        )


def settlement_act(
    *,
    actor: ActorLike,
    settlement: Settlement,
    action: str,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Settlement:
    now = now or timezone.now()
    resolved, roles = acting_on(actor, settlement.canteen)
    if action == SettlementAction.REGENERATE:
        return settlement_generate(actor=resolved, canteen=settlement.canteen, month=settlement.month, now=now)
    transition, note = SETTLEMENT_TRANSITIONS.check(
        source=settlement.status,
        action=action,
        roles=roles,
        note=note,
        describe=lambda s, a: _("结算单当前状态为「%(status)s」，不能执行该操作。")
        % {"status": SettlementStatus(s).label},
    )
    fields: dict[str, Any] = {"status": transition.target}
    if action == SettlementAction.CONFIRM:
        fields["confirmed_at"] = now
    elif action == SettlementAction.APPROVE:
        fields.update(approved_at=now, approved_by=resolved.user)
    elif action == SettlementAction.PAY:
        fields.update(paid_at=now, payment_ref=note[:200])
    elif action == SettlementAction.SEND_BACK:
        fields.update(confirmed_at=None, note=note[:300])
    versioned_update(
        Settlement.objects.filter(pk=settlement.pk),
        expected_version=settlement.version if expected_version is None else expected_version,
        **fields,
    )
    settlement.refresh_from_db()
    return settlement


def canteen_figures(*, canteens: Any = None) -> dict[str, Any]:
    """Canteens, enrolled elders, meals, subsidies paid and cost per canteen (meal subsidies of paid
    statements plus the operating subsidy paid with them)."""
    canteens = canteens if canteens is not None else Canteen.objects.filter(is_active=True)
    ids = list(canteens.values_list("id", flat=True))
    meals = Meal.objects.filter(canteen_id__in=ids)
    paid = Settlement.objects.filter(canteen_id__in=ids, status=SettlementStatus.PAID)
    paid_agg = paid.aggregate(meal=Sum("subsidy_total"), operating=Sum("operating_subsidy"))
    rows = []
    for c in canteens.order_by("code"):
        m = meals.filter(canteen=c).aggregate(
            n=Count("id"), sub=Sum("subsidy"), d=Count("id", filter=Q(mode=Mode.DELIVERY))
        )
        p = paid.filter(canteen=c).aggregate(meal=Sum("subsidy_total"), op=Sum("operating_subsidy"))
        rows.append(
            {
                "canteen": c,
                "meals": m["n"] or 0,
                "deliveries": m["d"] or 0,
                "subsidy": m["sub"] or 0,
                "paid": (p["meal"] or 0) + (p["op"] or 0),
            }
        )
    total_paid = (paid_agg["meal"] or Decimal(0)) + (paid_agg["operating"] or Decimal(0))
    return {
        "canteens": len(ids),
        "elders": Elder.objects.filter(canteen_id__in=ids, status="active").count(),
        "meals": meals.count(),
        "deliveries": meals.filter(mode=Mode.DELIVERY).count(),
        "meal_subsidy": meals.aggregate(s=Sum("subsidy"))["s"] or Decimal(0),
        "paid": total_paid,
        "annual_operating": canteens.aggregate(s=Sum("annual_subsidy"))["s"] or Decimal(0),
        "per_canteen_paid": (total_paid / len(ids)).quantize(Decimal("0.01")) if ids else Decimal(0),
        "rows": rows,
    }
