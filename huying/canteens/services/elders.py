"""Older people enrolled at a canteen with their categories (each with its source and date), approved
by civil affairs, and re-checked on a schedule because 低保 and 失能 status change."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.selectors import ActorLike
from huying.core.errors import ValidationFailed
from huying.core.statemachine import versioned_update
from huying.core.validators import normalize_id_number, normalize_phone

from ..models import Canteen, Elder, ElderCategory
from ..states import CIVIL, ELDER_TRANSITIONS, STAFF, CareLevel, Category, ElderAction, ElderStatus, Source
from .common import acting_on

# How often each category is re-checked (days): 低保 and 失能 change, so twice a year.
RECHECK_DAYS = 182


def _category(raw: dict[str, Any], today: dt.date) -> ElderCategory:
    category = str(raw.get("category") or "")
    if category not in Category.values:
        raise ValidationFailed(data={"categories": _("类别无效。")})
    source = str(raw.get("source") or "")
    if source not in Source.values:
        raise ValidationFailed(data={"categories": _("请注明类别来源（民政数据共享或证明材料）。")})
    level = str(raw.get("care_level") or "")
    if category == Category.DISABLED_CARE and level not in CareLevel.values:
        raise ValidationFailed(data={"categories": _("失能老人须注明评估等级。")})
    try:
        day = raw.get("source_date")
        source_date = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
    except ValueError:
        raise ValidationFailed(data={"categories": _("认定日期格式应为 YYYY-MM-DD。")}) from None
    if source_date > today:
        raise ValidationFailed(data={"categories": _("认定日期不能晚于今天。")})
    return ElderCategory(
        category=category,
        care_level=level if category == Category.DISABLED_CARE else "",
        source=source,
        source_date=source_date,
        proof=str(raw.get("proof") or "")[:200],
        valid_from=source_date,
        checked_on=source_date,
    )


def elder_enrol(
    *,
    actor: ActorLike,
    canteen: Canteen,
    name: str,
    id_number: str,
    phone: str = "",
    address: str = "",
    card_number: str,
    categories: list[dict[str, Any]] = (),  # type: ignore[assignment]
    delivery_needed: bool = False,
    dietary_notes: str = "",
    now: dt.datetime | None = None,
) -> Elder:
    """Enrol an older person at the canteen (申请); civil affairs approves (有效) before subsidised meals."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    acting_on(actor, canteen, STAFF, CIVIL)
    problems: dict[str, str] = {}
    name = (name or "").strip()
    if not name or len(name) > 60:
        problems["name"] = _("请填写姓名（60字以内）。")
    try:
        id_number = normalize_id_number(id_number, field="id_number")
    except ValidationFailed as exc:
        problems["id_number"] = str(exc.message)
    if phone:
        try:
            phone = normalize_phone(phone, field="phone")
        except ValidationFailed as exc:
            problems["phone"] = str(exc.message)
    card_number = (card_number or "").strip()
    if not card_number or len(card_number) > 20:
        problems["card_number"] = _("请填写助餐卡号（20位以内）。")
    elif Elder.objects.filter(card_number=card_number).exists():
        problems["card_number"] = _("该助餐卡号已登记。")
    if "id_number" not in problems and Elder.objects.filter(id_number=id_number).exists():
        problems["id_number"] = _("该老人已登记助餐。")
    rows: list[ElderCategory] = []
    try:
        rows = [_category(c, today) for c in categories]
    except ValidationFailed as exc:
        problems.update(exc.data)
    if problems:
        raise ValidationFailed(data=problems)
    with transaction.atomic():
        code = f"{secrets.randbelow(10**8):08d}"
        while Elder.objects.filter(meal_code=code).exists():
            code = f"{secrets.randbelow(10**8):08d}"
        elder = Elder.objects.create(
            name=name,
            id_number=id_number,
            phone=phone,
            address=(address or "").strip()[:200],
            canteen=canteen,
            card_number=card_number,
            meal_code=code,
            delivery_needed=delivery_needed,
            dietary_notes=(dietary_notes or "").strip()[:200],
            enrolled_on=today,
            recheck_due=today + dt.timedelta(days=RECHECK_DAYS),
        )
        for row in rows:
            row.elder = elder
        ElderCategory.objects.bulk_create(rows)
    return elder


def elder_transition(
    *,
    actor: ActorLike,
    elder: Elder,
    action: str,
    note: str = "",
    on: dt.date | None = None,
    expected_version: int | None = None,
) -> Elder:
    """审核、暂停、恢复、注销: effective from ``on`` (today by default)."""
    day = on or timezone.localdate()
    _resolved, roles = acting_on(actor, elder.canteen)
    transition, note = ELDER_TRANSITIONS.check(source=elder.status, action=action, roles=roles, note=note)
    fields: dict[str, Any] = {"status": transition.target}
    if transition.target == ElderStatus.ACTIVE:
        fields.update(
            active_from=elder.active_from if action == ElderAction.RESUME and elder.active_from else day,
            inactive_from=None,
        )
    else:
        fields["inactive_from"] = day
    versioned_update(
        Elder.objects.filter(pk=elder.pk),
        expected_version=elder.version if expected_version is None else expected_version,
        **fields,
    )
    elder.refresh_from_db()
    return elder


def category_recheck(
    *,
    actor: ActorLike,
    elder: Elder,
    category: str,
    still_holds: bool,
    source: str,
    checked_on: dt.date | None = None,
    proof: str = "",
) -> ElderCategory:
    """A periodic re-check: the category confirmed (dated again) or ended from the check's date."""
    day = checked_on or timezone.localdate()
    acting_on(actor, elder.canteen, CIVIL)
    if source not in Source.values:
        raise ValidationFailed(data={"source": _("请注明复核依据。")})
    row = ElderCategory.objects.filter(elder=elder, category=category, valid_to__isnull=True).first()
    if row is None:
        raise ValidationFailed(data={"category": _("该老人没有有效的此类别。")})
    with transaction.atomic():
        row.checked_on = day
        row.source = source
        row.proof = (proof or row.proof)[:200]
        if not still_holds:
            row.valid_to = day
        row.save()
        Elder.objects.filter(pk=elder.pk).update(recheck_due=day + dt.timedelta(days=RECHECK_DAYS))
    return row
