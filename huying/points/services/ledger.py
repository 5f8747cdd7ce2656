"""Posting to the points ledger: the one way any balance changes.

``post()`` writes one balanced posting (entries summing to zero) under a unique idempotency key, in
one transaction: the same key again returns the first posting and writes nothing. Each account's
``balance`` is moved by an UPDATE in the same transaction, conditional for a spendable account
(``WHERE balance >= amount``): of fifty redemptions against one balance at once, those that would
overdraw it change nothing and get ``insufficient_points``. On PostgreSQL the UPDATE holds the
account's row lock until commit (accounts are updated in id order, so two postings never deadlock);
SQLite runs one writing transaction at a time (``transaction_mode = IMMEDIATE``).

Credits to a spendable account become credit lots; debits consume lots oldest first and record which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.errors import ValidationFailed

from .. import errors
from ..ledger_models import Account, CreditLot, Entry, LotUse, Posting
from ..models import Household, Merchant, Scheme

Line = tuple[Account, int]


@dataclass(frozen=True)
class LotSpec:
    """Where a credit's lot comes from: its scheme and expiry (None: a fresh lot from the posting)."""

    scheme_id: int | None
    expires_on: dt.date | None
    amount: int


class InsufficientPoints(ValidationFailed):
    code = errors.INSUFFICIENT_POINTS


def post(
    *,
    key: str,
    kind: str,
    reason: str,
    lines: Sequence[Line],
    user: Any = None,
    reverses: Posting | None = None,
    scheme: Scheme | None = None,
    expires_on: dt.date | None = None,
    from_lot: CreditLot | None = None,
    now: dt.datetime | None = None,
) -> tuple[Posting, bool]:
    """Write a balanced posting once per ``key``: (posting, created). Raises InsufficientPoints when a
    spendable account would go below zero (nothing is written). ``from_lot``: the debit takes that
    lot (expiry) instead of the oldest."""
    amounts = [amount for _account, amount in lines]
    if len(lines) < 2 or sum(amounts) != 0 or any(a == 0 for a in amounts):
        raise ValidationFailed(_("记账分录借贷不平衡。"), code=errors.UNBALANCED_POSTING)
    if len({account.pk for account, _a in lines}) != len(lines):
        raise ValidationFailed(_("记账分录借贷不平衡。"), code=errors.UNBALANCED_POSTING)
    moment = now or timezone.now()
    with transaction.atomic():
        existing = Posting.objects.filter(key=key).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                posting = Posting.objects.create(
                    key=key,
                    kind=kind,
                    reason=reason[:200],
                    created_at=moment,
                    created_by=user if getattr(user, "pk", None) else None,
                    reverses=reverses,
                )
        except IntegrityError:
            # The same key committed meanwhile (a retry racing the first try), or the posting it
            # reverses was reversed meanwhile.
            found = Posting.objects.filter(key=key).first()
            if found is not None:
                return found, False
            raise ValidationFailed(_("该笔记账已冲正，不能重复冲正。"), code=errors.ALREADY_REVERSED) from None
        for account, amount in sorted(lines, key=lambda line: line[0].pk):
            _move(account, amount)
        Entry.objects.bulk_create([Entry(posting=posting, account=a, amount=amount) for a, amount in lines])
        _lots(posting, lines, scheme=scheme, expires_on=expires_on, today=timezone.localdate(moment), lot=from_lot)
    return posting, True


def _move(account: Account, amount: int) -> None:
    rows = Account.objects.filter(pk=account.pk)
    if amount < 0 and account.spendable:
        rows = rows.filter(balance__gte=-amount)
    if rows.update(balance=F("balance") + amount) != 1:
        raise InsufficientPoints(_("可用积分不足。"), data={"needed": -amount})


def _lots(
    posting: Posting,
    lines: Sequence[Line],
    *,
    scheme: Scheme | None,
    expires_on: dt.date | None,
    today: dt.date,
    lot: CreditLot | None,
) -> None:
    for account, amount in lines:
        if not account.spendable:
            continue
        if amount < 0:
            _consume(account, posting, -amount, lot)
        elif posting.reverses_id is not None:
            _restore(account, posting, amount, today)
        else:
            CreditLot.objects.create(
                account=account,
                posting=posting,
                scheme=scheme,
                amount=amount,
                remaining=amount,
                earned_on=today,
                expires_on=expires_on,
            )


def _consume(account: Account, posting: Posting, amount: int, only: CreditLot | None = None) -> None:
    """Oldest lots first; the account's row is locked by the balance UPDATE above."""
    left = amount
    uses = []
    lots = CreditLot.objects.filter(account=account, remaining__gt=0)
    if only is not None:
        lots = lots.filter(pk=only.pk)
    for lot in lots.order_by("earned_on", "id"):
        take = min(left, lot.remaining)
        CreditLot.objects.filter(pk=lot.pk).update(remaining=F("remaining") - take)
        uses.append(LotUse(lot=lot, posting=posting, amount=take))
        left -= take
        if left == 0:
            break
    if left:
        raise InsufficientPoints(_("可用积分不足。"), data={"needed": amount})
    LotUse.objects.bulk_create(uses)


def _restore(account: Account, posting: Posting, amount: int, today: dt.date) -> None:
    """A reversed debit gives back lots with the scheme and expiry of the lots it had consumed."""
    assert posting.reverses is not None
    left = amount
    for use in posting.reverses.lot_uses.select_related("lot").order_by("id"):
        give = min(left, use.amount)
        if give:
            lot = use.lot
            CreditLot.objects.create(
                account=account,
                posting=posting,
                scheme_id=lot.scheme_id,
                amount=give,
                remaining=give,
                earned_on=lot.earned_on,
                expires_on=lot.expires_on,
            )
            left -= give
    if left:
        CreditLot.objects.create(
            account=account, posting=posting, amount=left, remaining=left, earned_on=today, expires_on=None
        )


def reverse(posting: Posting, *, reason: str, user: Any = None, now: dt.datetime | None = None) -> Posting:
    """The reversing posting of ``posting`` (a correction or a refund): every entry negated, once."""
    if Posting.objects.filter(reverses=posting).exists():
        raise ValidationFailed(_("该笔记账已冲正，不能重复冲正。"), code=errors.ALREADY_REVERSED)
    lines = [(entry.account, -entry.amount) for entry in posting.entries.select_related("account")]
    reversal, _created = post(
        key=f"reverse:{posting.pk}",
        kind=Posting.Kind.REVERSE,
        reason=reason,
        lines=lines,
        user=user,
        reverses=posting,
        now=now,
    )
    return reversal


# --- accounts -----------------------------------------------------------------------------------


def _account(kind: str, spendable: bool = False, **owner: object) -> Account:
    account = Account.objects.filter(kind=kind, **owner).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(kind=kind, spendable=spendable, **owner)
    except IntegrityError:
        return Account.objects.get(kind=kind, **owner)


def wallet_of(user: object) -> Account:
    return _account(Account.Kind.WALLET, spendable=True, user=user)


def household_account(household: Household) -> Account:
    return _account(Account.Kind.HOUSEHOLD, spendable=True, household=household)


def merchant_account(merchant: Merchant) -> Account:
    return _account(Account.Kind.MERCHANT, merchant=merchant)


def budget_account(scheme: Scheme) -> Account:
    return _account(Account.Kind.BUDGET, scheme=scheme)


def expired_account(scheme: Scheme) -> Account:
    return _account(Account.Kind.EXPIRED, scheme=scheme)


def settled_account() -> Account:
    return _account(Account.Kind.SETTLED)
