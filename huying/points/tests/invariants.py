"""The ledger's invariants, checked by the property test and the concurrency tests."""

from __future__ import annotations

from django.db.models import Sum

from huying.points.ledger_models import Account, CreditLot, Entry, Posting


def assert_ledger_sound() -> None:
    assert (Entry.objects.aggregate(n=Sum("amount"))["n"] or 0) == 0
    for posting in Posting.objects.prefetch_related("entries"):
        amounts = [e.amount for e in posting.entries.all()]
        assert len(amounts) >= 2 and sum(amounts) == 0, posting.key
    for account in Account.objects.all():
        entries = Entry.objects.filter(account=account).aggregate(n=Sum("amount"))["n"] or 0
        assert account.balance == entries, (account, account.balance, entries)
        if account.spendable:
            assert account.balance >= 0
            lots = CreditLot.objects.filter(account=account).aggregate(n=Sum("remaining"))["n"] or 0
            assert lots == account.balance, (account, lots, account.balance)
