"""A street's points schemes, a merchant with its cashier and a reviewer, in the test ``world``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.core.registry import PointClaim
from huying.core.validators import uscc_check_char
from huying.points.ledger_models import Account, Posting
from huying.points.models import Goods, Merchant, MerchantStaff, Resolution, Scheme, SchemeItem
from huying.points.services import ledger
from tests.fixtures import make_user


def credit_code(body: str) -> str:
    """A valid 统一社会信用代码 from 17 characters."""
    return body + uscc_check_char(body)


@dataclass
class Points:
    scheme: Scheme
    appraisal: Scheme
    report: SchemeItem
    meeting: SchemeItem
    absent: SchemeItem
    merchant: Merchant
    other_merchant: Merchant
    cashier: User
    other_cashier: User
    reviewer: User
    rice: Goods


def build(world: Any, *, publicity_days: int = 3) -> Points:
    start = timezone.localdate() - dt.timedelta(days=400)
    scheme = Scheme.objects.create(
        code="zhili", name="治理有章积分", kind=Scheme.Kind.REPORTS, unit=world.street, publicity_days=publicity_days
    )
    res = Resolution.objects.create(
        scheme=scheme, body="市中街道居民代表会议", number="市中居代〔2025〕3号", adopted_on=start
    )
    report = SchemeItem.objects.create(
        scheme=scheme,
        code="report_valid",
        name="随手拍有效上报",
        points=10,
        daily_cap=20,
        monthly_cap=60,
        dedup=SchemeItem.Dedup.PLACE_CATEGORY_DAY,
        resolution=res,
        valid_from=start,
    )
    appraisal = Scheme.objects.create(
        code="dangyuan",
        name="党员积分制考核",
        kind=Scheme.Kind.APPRAISAL,
        unit=world.street,
        publicity_days=publicity_days,
    )
    res2 = Resolution.objects.create(
        scheme=appraisal, body="市中街道党员大会", number="市中党〔2025〕1号", adopted_on=start
    )
    common = {"scheme": appraisal, "resolution": res2, "valid_from": start, "wallet": SchemeItem.Wallet.APPRAISAL}
    meeting = SchemeItem.objects.create(code="party_meeting", name="参加组织生活", points=5, **common)
    absent = SchemeItem.objects.create(code="party_absent", name="无故缺席组织生活", points=-3, **common)
    merchant = Merchant.objects.create(
        name="银座超市黄河路店", credit_code=credit_code("91371600MA3C00001"), unit=world.street
    )
    other = Merchant.objects.create(name="东方冷库", credit_code=credit_code("91371600MA3C00002"), unit=world.street)
    cashier = make_user("yinzuo", Role.MERCHANT, world.street, display_name="银座收银")
    MerchantStaff.objects.create(merchant=merchant, user=cashier)
    other_cashier = make_user("dongfang", Role.MERCHANT, world.street, display_name="冷库收银")
    MerchantStaff.objects.create(merchant=other, user=other_cashier)
    reviewer = make_user("jifen", Role.POINTS_REVIEWER, world.street, display_name="钱审核")
    rice = Goods.objects.create(merchant=merchant, name="大米5kg", points=40)
    return Points(scheme, appraisal, report, meeting, absent, merchant, other, cashier, other_cashier, reviewer, rice)


def grant(user: User, points: int, scheme: Scheme, key: str) -> Posting:
    """Points straight into a wallet (for ledger tests that do not walk the review)."""
    posting, _created = ledger.post(
        key=key,
        kind=Posting.Kind.EARN,
        reason="测试入账",
        lines=[(ledger.budget_account(scheme), -points), (ledger.wallet_of(user), points)],
        scheme=scheme,
    )
    return posting


def claim(user: User, ref: str, *, item: str = "report_valid", place: str = "黄河路3号", **extra: Any) -> PointClaim:
    return PointClaim(source="appeal", ref=ref, user_id=user.pk, item=item, place=place, category="道路破损", **extra)


def balance(user: User) -> int:
    return Account.objects.get(pk=ledger.wallet_of(user).pk).balance
