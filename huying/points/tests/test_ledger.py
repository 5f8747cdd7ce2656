"""The ledger: balanced, idempotent, append-only postings; a spendable balance never below zero (in the
code and in the database); corrections by reversal, once; oldest lots spent first."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from huying.core.errors import ValidationFailed
from huying.points import errors
from huying.points.ledger_models import Account, CreditLot, Entry, Posting
from huying.points.services import ledger

from .factories import balance, build, grant
from .invariants import assert_ledger_sound

pytestmark = pytest.mark.django_db


def test_a_posting_balances_and_moves_both_accounts(world: Any) -> None:
    p = build(world)
    posting = grant(world.citizen, 50, p.scheme, "k1")
    assert sorted(e.amount for e in posting.entries.all()) == [-50, 50]
    assert balance(world.citizen) == 50
    assert ledger.budget_account(p.scheme).balance == -50  # issued and outstanding
    assert_ledger_sound()


def test_the_same_key_posts_once(world: Any) -> None:
    p = build(world)
    first = grant(world.citizen, 50, p.scheme, "once")
    again = grant(world.citizen, 50, p.scheme, "once")
    assert again.pk == first.pk and balance(world.citizen) == 50
    assert Posting.objects.count() == 1 and Entry.objects.count() == 2


def test_an_unbalanced_posting_is_refused_and_writes_nothing(world: Any) -> None:
    p = build(world)
    with pytest.raises(ValidationFailed) as err:
        ledger.post(
            key="bad",
            kind=Posting.Kind.EARN,
            reason="x",
            lines=[(ledger.budget_account(p.scheme), -10), (ledger.wallet_of(world.citizen), 9)],
        )
    assert err.value.code == errors.UNBALANCED_POSTING
    assert not Posting.objects.exists()


def test_spending_more_than_the_balance_is_refused_and_changes_nothing(world: Any) -> None:
    p = build(world)
    grant(world.citizen, 30, p.scheme, "k")
    wallet, shop = ledger.wallet_of(world.citizen), ledger.merchant_account(p.merchant)
    with pytest.raises(ValidationFailed) as err:
        ledger.post(key="spend", kind=Posting.Kind.REDEEM, reason="x", lines=[(wallet, -31), (shop, 31)])
    assert err.value.code == errors.INSUFFICIENT_POINTS
    assert balance(world.citizen) == 30 and not Posting.objects.filter(key="spend").exists()
    assert_ledger_sound()


def test_the_database_refuses_a_negative_spendable_balance(world: Any) -> None:
    build(world)
    wallet = ledger.wallet_of(world.citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=wallet.pk).update(balance=-1)


def test_ledger_rows_are_append_only(world: Any) -> None:
    p = build(world)
    posting = grant(world.citizen, 10, p.scheme, "k")
    posting.reason = "改过"
    with pytest.raises(RuntimeError):
        posting.save()
    with pytest.raises(RuntimeError):
        posting.entries.first().delete()  # type: ignore[union-attr]


def test_a_correction_is_a_reversal_posted_once(world: Any) -> None:
    p = build(world)
    posting = grant(world.citizen, 10, p.scheme, "k")
    reversal = ledger.reverse(posting, reason="录入错误")
    assert reversal.reverses_id == posting.pk and balance(world.citizen) == 0
    with pytest.raises(ValidationFailed) as err:
        ledger.reverse(posting, reason="再冲一次")
    assert err.value.code == errors.ALREADY_REVERSED
    assert_ledger_sound()


def test_spending_takes_the_oldest_lot_first_and_a_refund_restores_it(world: Any) -> None:
    p = build(world)
    grant(world.citizen, 10, p.scheme, "old")
    grant(world.citizen, 10, p.scheme, "new")
    wallet, shop = ledger.wallet_of(world.citizen), ledger.merchant_account(p.merchant)
    spend, _ = ledger.post(key="s", kind=Posting.Kind.REDEEM, reason="x", lines=[(wallet, -15), (shop, 15)])
    old, new = CreditLot.objects.order_by("id")[:2]
    assert (old.remaining, new.remaining) == (0, 5)
    ledger.reverse(spend, reason="退货")
    assert balance(world.citizen) == 20
    assert_ledger_sound()
