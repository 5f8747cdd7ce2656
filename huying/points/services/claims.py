"""Claims from other loops (through ``core.registry.point_claims``), reviewed before any credit.

``claim_submit(PointClaim)`` finds the scheme item in force on the day, records the claim once per
(source, ref, item) and refuses at once, with the reason shown to the person, a duplicate under the
item's dedup key or a claim over its caps. ``claim_act`` takes one action of the TRANSITIONS table;
crediting posts to the ledger (spendable items) or to the appraisal score (评比分).
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.registry import PointClaim

from ..claim_models import Claim
from ..models import SchemeItem
from ..permissions import household_of
from ..states import COUNTED, ClaimStatus


def item_in_force(code: str, day: dt.date) -> SchemeItem | None:
    """The version of item ``code`` in force on ``day`` in an active scheme (first scheme by code)."""
    return (
        SchemeItem.objects.select_related("scheme", "scheme__unit")
        .filter(code=code, scheme__is_active=True, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .order_by("scheme__code", "-version")
        .first()
    )


def dedup_key(item: SchemeItem, claim: PointClaim, day: dt.date) -> str:
    if item.dedup == SchemeItem.Dedup.PLACE_CATEGORY_DAY:
        return f"{claim.place.strip()[:100]}|{claim.category.strip()[:40]}|{day.isoformat()}"
    if item.dedup == SchemeItem.Dedup.DAY:
        return day.isoformat()
    return ""


def requested_points(item: SchemeItem, quantity: Decimal) -> int:
    return int((Decimal(item.points) * quantity).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cap_room(claim: Claim, item: SchemeItem, requested: int) -> tuple[int, str]:
    """Points the claim may still earn under the item's caps, and why it is less than asked."""
    if requested <= 0:
        return requested, ""  # deductions (评比分) are not capped
    awarded, why = requested, ""
    if item.per_event_cap is not None and awarded > item.per_event_cap:
        awarded, why = item.per_event_cap, _("单次上限%(cap)d分") % {"cap": item.per_event_cap}
    day = timezone.localtime(claim.occurred_at).date()
    counted = Claim.objects.filter(user_id=claim.user_id, item_code=claim.item_code, status__in=COUNTED).exclude(
        pk=claim.pk
    )
    limits = (
        (item.daily_cap, counted.filter(occurred_at__date=day), _("每日上限%(cap)d分")),
        (
            item.monthly_cap,
            counted.filter(occurred_at__year=day.year, occurred_at__month=day.month),
            _("每月上限%(cap)d分"),
        ),
    )
    for cap, rows, label in limits:
        if cap is None:
            continue
        used = rows.aggregate(n=Sum("points"))["n"] or 0
        room = max(cap - used, 0)
        if awarded > room:
            awarded, why = room, label % {"cap": cap}
    return awarded, why


def _number(moment: dt.datetime) -> str:
    return f"JF{timezone.localtime(moment):%Y%m%d}{secrets.token_hex(3).upper()}"


def claim_submit(claim: PointClaim, *, now: dt.datetime | None = None) -> Claim | None:
    """Record a claim once; None when no item in force matches (nothing is recorded)."""
    moment = now or timezone.now()
    occurred = claim.occurred_at or moment
    day = timezone.localtime(occurred).date()
    item = item_in_force(claim.item, day)
    if item is None:
        return None
    existing = Claim.objects.filter(source=claim.source, ref=claim.ref, item_code=claim.item).first()
    if existing is not None:
        return existing
    quantity = Decimal(str(claim.quantity)).quantize(Decimal("0.01"))
    member = household_of(claim.user_id) if item.scheme.counts_households else None
    record = Claim(
        number=_number(moment),
        source=claim.source[:30],
        ref=claim.ref[:60],
        item_code=claim.item,
        user_id=claim.user_id,
        household=member.household if member else None,
        scheme=item.scheme,
        item=item,
        quantity=quantity,
        requested=requested_points(item, quantity),
        occurred_at=occurred,
        place=claim.place[:200],
        category=claim.category[:60],
        evidence=claim.evidence[:300],
        dedup_key=dedup_key(item, claim, day),
        created_at=moment,
    )
    _screen(record, item)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        existing = Claim.objects.filter(source=claim.source, ref=claim.ref, item_code=claim.item).first()
        if existing is not None:
            return existing
        _reject(record, _("同一地点、同一类别、同一天已有申报，不重复计分。"))  # lost the race on the dedup key
        record.save()
    return record


def _screen(record: Claim, item: SchemeItem) -> None:
    """Refuse at once, with the reason, what review could not credit: a duplicate, a claim over the caps."""
    if item.evidence_required and not record.evidence.strip():
        _reject(record, _("该事项须附佐证材料，申报未附。"))
        return
    if record.dedup_key and (
        Claim.objects.filter(user_id=record.user_id, item_code=record.item_code, dedup_key=record.dedup_key)
        .exclude(status__in=[ClaimStatus.REJECTED, ClaimStatus.REVERSED])
        .exists()
    ):
        _reject(record, _("同一地点、同一类别、同一天已有申报，不重复计分。"))
        return
    room, why = cap_room(record, item, record.requested)
    if record.requested > 0 and room <= 0:
        _reject(record, _("已达积分上限（%(why)s），本次不计分。") % {"why": why})
        return
    record.points = room
    if room != record.requested:
        record.reason = _("按%(why)s核减为%(n)d分。") % {"why": why, "n": room}


def _reject(record: Claim, reason: str) -> None:
    record.status, record.reason, record.points = ClaimStatus.REJECTED, reason, 0


def claim_hook(claim: PointClaim) -> Claim | None:
    """The ``point_claims "submit"`` hook: called inside the source loop's transaction."""
    return claim_submit(claim)
