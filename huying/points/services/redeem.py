"""Redemption by QR code: the person's phone shows a signed, short-lived, single-use token (the
e-licence token machinery, ``huying.licences.tokens``, with the reference ``P<account>``); the
merchant's cashier scans or types it, enters points or picks goods, and one posting moves the points
from the wallet to the merchant's payable account.

A retry from the cashier's phone carries the request key its form (or the API client's
``Idempotency-Key``) made once, and gets the first redemption back; any other second use of a code —
even for the same points at the same till — is refused as a replay. A refund is the reversal of the
redemption's posting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from huying.accounts.selectors import Actor
from huying.core.errors import HuyingError, NotFound, PermissionDenied, ValidationFailed
from huying.licences import keys, tokens

from .. import errors
from ..ledger_models import Account, Posting, Redemption
from ..models import ExchangeDay, ExchangeStock, Goods, Merchant
from ..permissions import household_of, merchant_of
from . import ledger

TOKEN_TTL_SECONDS = 120
REF_PREFIX = "P"
_TOKEN_MESSAGES = {
    tokens.TokenForged: _lazy("兑换码无效（签名不符），请顾客刷新后重新出示。"),
    tokens.TokenExpired: _lazy("兑换码已过期，请顾客刷新后重新出示。"),
    tokens.TokenNotYetValid: _lazy("兑换码尚未生效，请检查手机时间设置。"),
    tokens.TokenReplayed: _lazy("兑换码已使用过，不能重复兑换。请顾客刷新后重新出示。"),
}


class KeysMissing(HuyingError):
    code = errors.KEYS_MISSING
    status = 503
    default_message = _lazy("兑换码签名密钥未配置，请联系系统管理员。")


def spendable_accounts(user: Any) -> list[Account]:
    """The person's wallet and, when they belong to a household that earns points, its account."""
    accounts = [ledger.wallet_of(user)]
    member = household_of(user.pk)
    if member is not None:
        found = Account.objects.filter(kind=Account.Kind.HOUSEHOLD, household=member.household).first()
        if found is not None:
            accounts.append(found)
    return accounts


def token_issue(*, actor: Actor, account: Account | None = None) -> str:
    """A QR token (two minutes, once) for spending from one of the person's accounts."""
    if not actor.is_authenticated:
        raise PermissionDenied()
    mine = spendable_accounts(actor.user)
    chosen = account or mine[0]
    if chosen.pk not in {a.pk for a in mine}:
        raise NotFound()
    try:
        keyring = keys.load_keyring()
    except tokens.KeyRingError as exc:
        raise KeysMissing(str(exc)) from None
    return tokens.issue_token(keyring, f"{REF_PREFIX}{chosen.pk}", f"U{actor.user.pk}", ttl_seconds=TOKEN_TTL_SECONDS)


@dataclass
class _Seen:
    """The token's nonce, kept for the redemption row: its UNIQUE column makes the code single-use
    in the same transaction as the posting (a refused redemption leaves the code usable)."""

    nonce: bytes = b""

    def use_once(self, nonce: bytes, expires_at: int, now: float) -> bool:
        self.nonce = nonce
        return True


@dataclass(frozen=True)
class Line:
    name: str
    points: int
    quantity: int
    stock_id: int | None = None


def _verify(token: str) -> tuple[Account, int, str]:
    token = (token or "").strip()
    if not token:
        raise ValidationFailed(_("请扫描或输入兑换码。"), data={"token": _("请扫描或输入兑换码。")})
    seen = _Seen()
    refs: dict[str, str] = {}

    def not_points(ref: str) -> bool:
        refs["ref"] = ref
        return False

    try:
        verified = tokens.verify_token(keys.verification_keys(), token, seen=seen, is_revoked=not_points)
    except tokens.TokenError as exc:
        message = _TOKEN_MESSAGES.get(type(exc), exc.message)
        raise ValidationFailed(message, code=exc.code, data={"token": str(message)}) from None
    ref, holder = verified.licence_ref, verified.holder_ref
    if not (ref.startswith(REF_PREFIX) and ref[1:].isdigit() and holder.startswith("U") and holder[1:].isdigit()):
        raise ValidationFailed(_("这不是积分兑换码。"), code=errors.TOKEN_REF, data={"token": _("这不是积分兑换码。")})
    account = Account.objects.filter(pk=int(ref[1:]), spendable=True).first()
    holder_id = int(holder[1:])
    if account is None or holder_id not in _holders(account):
        raise ValidationFailed(_("这不是积分兑换码。"), code=errors.TOKEN_REF, data={"token": _("这不是积分兑换码。")})
    return account, holder_id, seen.nonce.hex()


def _holders(account: Account) -> set[int]:
    if account.kind == Account.Kind.WALLET and account.user_id:
        return {account.user_id}
    if account.household_id:
        return set(account.household.members.values_list("user_id", flat=True))  # type: ignore[union-attr]
    return set()


def _lines(merchant: Merchant, points: Any, goods: dict[int, int], day: ExchangeDay | None) -> list[Line]:
    lines: list[Line] = []
    if day is not None:
        stock = {s.pk: s for s in ExchangeStock.objects.filter(exchange_day=day, pk__in=list(goods))}
        lines += [Line(stock[k].name, stock[k].points, n, k) for k, n in goods.items() if k in stock and n > 0]
    else:
        found = {g.pk: g for g in Goods.objects.filter(merchant=merchant, is_active=True, pk__in=list(goods))}
        lines += [Line(found[k].name, found[k].points, n) for k, n in goods.items() if k in found and n > 0]
    typed = str(points or "").strip()
    if typed:
        if not typed.isdigit() or int(typed) <= 0 or int(typed) > 1_000_000:
            raise ValidationFailed(_("积分数应为正整数。"), data={"points": _("积分数应为正整数。")})
        lines.append(Line(str(_("按积分抵扣")), int(typed), 1))
    if not lines:
        raise ValidationFailed(_("请输入兑换积分数或选择兑换物品。"), code=errors.EMPTY_REDEMPTION)
    return lines


def redeem(
    *,
    actor: Actor,
    token: str,
    merchant_id: int | None = None,
    points: Any = "",
    goods: dict[int, int] | None = None,
    exchange_day: ExchangeDay | None = None,
    request_key: str = "",
    now: dt.datetime | None = None,
) -> tuple[Redemption, bool]:
    """Redeem once: (redemption, created)."""
    merchant = merchant_of(actor)
    if merchant is None:
        raise PermissionDenied(_("只有本商户登记的收银人员可以办理兑换。"), code=errors.NOT_MERCHANT_STAFF)
    if merchant_id is not None and int(merchant_id) != merchant.pk:
        raise PermissionDenied(_("只能为本商户办理兑换。"), code=errors.WRONG_MERCHANT)
    if exchange_day is not None and exchange_day.merchant_id != merchant.pk:
        raise PermissionDenied(_("只能为本商户办理兑换。"), code=errors.WRONG_MERCHANT)
    key = (request_key or "").strip()[:64] or None
    if key:
        again = Redemption.objects.filter(request_key=key, merchant=merchant).first()
        if again is not None:
            return again, False
    lines = _lines(merchant, points, goods or {}, exchange_day)
    account, holder_id, nonce = _verify(token)
    total = sum(line.points * line.quantity for line in lines)
    moment = now or timezone.now()
    try:
        return _write(merchant, account, holder_id, nonce, key, lines, total, exchange_day, actor, moment), True
    except IntegrityError:
        again = Redemption.objects.filter(request_key=key).first() if key else None
        if again is not None and again.merchant_id == merchant.pk:
            return again, False
        message = _TOKEN_MESSAGES[tokens.TokenReplayed]
        raise ValidationFailed(message, code=tokens.TokenReplayed.code, data={"token": str(message)}) from None


def _write(
    merchant: Merchant,
    account: Account,
    holder_id: int,
    nonce: str,
    key: str | None,
    lines: list[Line],
    total: int,
    day: ExchangeDay | None,
    actor: Actor,
    moment: dt.datetime,
) -> Redemption:
    with transaction.atomic():
        if Redemption.objects.filter(nonce=nonce).exists():
            raise IntegrityError("nonce used")
        for line in lines:
            if line.stock_id is not None:
                rows = ExchangeStock.objects.filter(pk=line.stock_id, remaining__gte=line.quantity)
                if rows.update(remaining=F("remaining") - line.quantity) != 1:
                    message = _("「%(name)s」库存不足。") % {"name": line.name}
                    raise ValidationFailed(message, code=errors.OUT_OF_STOCK)
        posting, _created = ledger.post(
            key=f"redeem:{nonce}",
            kind=Posting.Kind.REDEEM,
            reason=_("在%(merchant)s兑换") % {"merchant": merchant.name},
            lines=[(account, -total), (ledger.merchant_account(merchant), total)],
            user=actor.user,
            now=moment,
        )
        return Redemption.objects.create(
            merchant=merchant,
            account=account,
            holder_id=holder_id,
            points=total,
            value_yuan=(Decimal(total) * merchant.yuan_per_point).quantize(Decimal("0.01")),
            lines=[{"name": ln.name, "points": ln.points, "quantity": ln.quantity} for ln in lines],
            exchange_day=day,
            nonce=nonce,
            request_key=key,
            posting=posting,
            created_by=actor.user,
            created_at=moment,
        )


def refund(*, actor: Actor, redemption_id: int, reason: str, now: dt.datetime | None = None) -> Redemption:
    """The merchant gives the points back: the reversal of the redemption's posting (stock is not restored)."""
    merchant = merchant_of(actor)
    with transaction.atomic():
        found = Redemption.objects.select_for_update().filter(pk=redemption_id).first()
        if found is None or merchant is None or found.merchant_id != merchant.pk:
            raise NotFound()
        if found.refund_id is not None:
            raise ValidationFailed(_("该笔兑换已退还积分。"), code=errors.ALREADY_REVERSED)
        text = (reason or "").strip() or _("商户退货")
        reversal = ledger.reverse(
            found.posting, reason=_("退还：%(why)s") % {"why": text[:100]}, user=actor.user, now=now
        )
        Redemption.objects.filter(pk=found.pk).update(refund=reversal)
        found.refund = reversal
    return found
