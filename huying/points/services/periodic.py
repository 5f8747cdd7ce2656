"""The points loop's periodic work (registered in ``core.registry.sweeps``), each idempotent:

* credit claims whose objection window has closed;
* announce expiry ``NOTICE_DAYS`` ahead, then post it as entries (oldest lots first) — a lot is never
  expired before its holder has been told for ``NOTICE_DAYS``;
* on the first days of a month, publish last month's totals (张榜) and settle each merchant's payable;
* once a day, the trial balance: every entry sums to zero, every posting balances, every balance is
  the sum of its entries and no spendable balance is negative. Drift is logged as an error and shown
  on the figures page; it is never corrected here.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.notify import send_sms

from ..ledger_models import Account, CreditLot, Entry, Posting, TrialBalance
from ..models import Merchant
from . import ledger
from .publication import publish_month
from .review import credit_due

logger = logging.getLogger("huying.points")
NOTICE_DAYS = 30


def expiry_notify(today: dt.date) -> int:
    lots = CreditLot.objects.filter(
        remaining__gt=0, notified_on__isnull=True, expires_on__lte=today + dt.timedelta(days=NOTICE_DAYS)
    ).select_related("account__user")
    told = 0
    for lot in lots:
        if CreditLot.objects.filter(pk=lot.pk, notified_on__isnull=True).update(notified_on=today):
            told += 1
            phone = getattr(lot.account.user, "phone", "") if lot.account.user_id else ""
            if phone:
                text = _("您有%(n)d积分将于%(day)s到期，请及时兑换。") % {"n": lot.remaining, "day": lot.expires_on}
                transaction.on_commit(partial(send_sms, phone=phone, text=text))
    return told


def expire_due(today: dt.date, *, now: dt.datetime | None = None) -> int:
    """Post the expiry of lots past their date whose holder was told at least NOTICE_DAYS ago."""
    due = CreditLot.objects.filter(
        remaining__gt=0,
        expires_on__lt=today,
        notified_on__lte=today - dt.timedelta(days=NOTICE_DAYS),
        scheme__isnull=False,
    ).select_related("account", "scheme")
    posted = 0
    for lot in due.order_by("earned_on", "id"):
        assert lot.scheme is not None
        with transaction.atomic():
            fresh = CreditLot.objects.get(pk=lot.pk)
            if fresh.remaining <= 0:
                continue
            _posting, created = ledger.post(
                key=f"expire:{lot.pk}:{fresh.remaining}:{today.isoformat()}",
                kind=Posting.Kind.EXPIRE,
                reason=_("积分到期（%(day)s）") % {"day": lot.expires_on},
                lines=[(lot.account, -fresh.remaining), (ledger.expired_account(lot.scheme), fresh.remaining)],
                from_lot=fresh,
                now=now,
            )
            posted += int(created)
    return posted


def settle_month(month: dt.date, *, now: dt.datetime | None = None) -> int:
    """Move each merchant's payable of ``month`` (net of refunds) to the settled account, once."""
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    settled = 0
    for merchant in Merchant.objects.order_by("pk"):
        account = Account.objects.filter(kind=Account.Kind.MERCHANT, merchant=merchant).first()
        if account is None:
            continue
        net = (
            Entry.objects.filter(
                account=account, posting__created_at__date__gte=start, posting__created_at__date__lt=end
            )
            .exclude(posting__kind=Posting.Kind.SETTLE)
            .aggregate(n=Sum("amount"))["n"]
            or 0
        )
        if net > 0:
            _p, created = ledger.post(
                key=f"settle:{merchant.pk}:{start:%Y-%m}",
                kind=Posting.Kind.SETTLE,
                reason=_("%(merchant)s %(month)s月结算") % {"merchant": merchant.name, "month": f"{start:%Y-%m}"},
                lines=[(account, -net), (ledger.settled_account(), net)],
                now=now,
            )
            settled += int(created)
    return settled


def trial_balance(*, now: dt.datetime | None = None) -> TrialBalance:
    moment = now or timezone.now()
    total = Entry.objects.aggregate(n=Sum("amount"))["n"] or 0
    unbalanced = list(
        Posting.objects.annotate(n=Coalesce(Sum("entries__amount"), 0), k=Count("entries"))
        .filter(~Q(n=0) | Q(k__lt=2))
        .values_list("key", flat=True)[:20]
    )
    drifted = list(
        Account.objects.annotate(n=Coalesce(Sum("entries__amount"), 0))
        .exclude(balance=F("n"))
        .values_list("pk", "balance", "n")[:20]
    )
    negative = Account.objects.filter(spendable=True, balance__lt=0).count()
    lots = list(
        Account.objects.filter(spendable=True)
        .annotate(n=Coalesce(Sum("lots__remaining"), 0))
        .exclude(balance=F("n"))
        .values_list("pk", flat=True)[:20]
    )
    run = TrialBalance.objects.create(
        ran_at=moment,
        postings=Posting.objects.count(),
        total=total,
        unbalanced=len(unbalanced),
        drifted=len(drifted) + len(lots),
        negative=negative,
        details={"unbalanced": unbalanced, "drifted": [list(r) for r in drifted], "lots": lots},
    )
    if not run.ok:
        logger.error("points trial balance out: total=%s unbalanced=%s drifted=%s", total, unbalanced, drifted)
    return run


def points_sweep(*, now: dt.datetime | None = None) -> str:
    """The one sweep entry: each part does nothing when there is nothing to do."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    credited = credit_due(now=moment)
    told = expiry_notify(today)
    expired = expire_due(today, now=moment)
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    published = publish_month(last_month, now=moment)
    settled = settle_month(last_month, now=moment)
    line = (
        f"积分：入账 {credited} 件，到期提醒 {told} 笔，到期 {expired} 笔，张榜 {published} 期，商户结算 {settled} 笔"
    )
    last = TrialBalance.objects.order_by("-ran_at").first()
    if last is None or timezone.localdate(last.ran_at) < today:
        run = trial_balance(now=moment)
        line += f"；试算平衡{'正常' if run.ok else '不平衡（已告警）'}（{run.postings} 笔凭证）"
    return line
