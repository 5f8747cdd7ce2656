"""What the points pages read: a person's statement, a merchant's month, the review queue, the figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.core.registry import DashboardPanel
from huying.organisations.selectors import under_paths_q

from .claim_models import Claim
from .ledger_models import Account, AppraisalEntry, CreditLot, Entry, Posting, Redemption, TrialBalance
from .models import Merchant, Scheme
from .permissions import reviewer_scope_q
from .services.redeem import spendable_accounts
from .states import OPEN, ClaimStatus

EXPIRY_WARNING_DAYS = 90


@dataclass
class Statement:
    accounts: list[Account]
    lines: list[Entry]
    earned: int
    redeemed: int
    expired: int
    pending: list[Claim]
    decided: list[Claim]
    expiring: list[CreditLot]
    appraisal: int
    year: int
    redemptions: list[Redemption] = field(default_factory=list)


def statement(user: Any, *, limit: int = 50) -> Statement:
    accounts = spendable_accounts(user)
    entries = Entry.objects.filter(account__in=accounts).select_related("posting", "account")
    sums = dict(entries.values_list("posting__kind").annotate(n=Sum("amount")).values_list("posting__kind", "n"))
    year = timezone.localdate().year
    soon = timezone.localdate() + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    claims = Claim.objects.filter(user=user).select_related("item")
    return Statement(
        accounts=accounts,
        lines=list(entries.order_by("-posting__created_at", "-id")[:limit]),
        earned=sums.get(Posting.Kind.EARN, 0),
        redeemed=-(sums.get(Posting.Kind.REDEEM, 0) + _refunds(accounts)),
        expired=-sums.get(Posting.Kind.EXPIRE, 0),
        pending=list(claims.filter(status__in=OPEN).order_by("-created_at")[:20]),
        decided=list(claims.exclude(status__in=OPEN).order_by("-created_at")[:20]),
        expiring=list(
            CreditLot.objects.filter(account__in=accounts, remaining__gt=0, expires_on__lte=soon).order_by("expires_on")
        ),
        appraisal=AppraisalEntry.objects.filter(user=user, year=year).aggregate(n=Sum("points"))["n"] or 0,
        year=year,
        redemptions=list(Redemption.objects.filter(account__in=accounts).select_related("merchant")[:10]),
    )


def _refunds(accounts: list[Account]) -> int:
    """Refunds are reversals of redemptions: counted against what was redeemed."""
    return (
        Entry.objects.filter(
            account__in=accounts, posting__kind=Posting.Kind.REVERSE, posting__reverses__kind=Posting.Kind.REDEEM
        ).aggregate(n=Sum("amount"))["n"]
        or 0
    )


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    start = month.replace(day=1)
    return start, (start + dt.timedelta(days=32)).replace(day=1)


def merchant_month(merchant: Merchant, month: dt.date) -> dict[str, Any]:
    """The settlement statement: redemptions of the month, refunds, net payable and what was settled."""
    start, end = month_bounds(month)
    rows = Redemption.objects.filter(merchant=merchant, created_at__date__gte=start, created_at__date__lt=end)
    account = Account.objects.filter(kind=Account.Kind.MERCHANT, merchant=merchant).first()
    moves = Entry.objects.filter(
        account=account, posting__created_at__date__gte=start, posting__created_at__date__lt=end
    )
    by_kind = dict(moves.values_list("posting__kind").annotate(n=Sum("amount")).values_list("posting__kind", "n"))
    redeemed = rows.aggregate(n=Sum("points"), v=Sum("value_yuan"))
    return {
        "month": start,
        "redemptions": list(rows.select_related("refund").order_by("-created_at")),
        "points": redeemed["n"] or 0,
        "value": redeemed["v"] or 0,
        "refunded": -(by_kind.get(Posting.Kind.REVERSE, 0)),
        "settled": -(by_kind.get(Posting.Kind.SETTLE, 0)),
        "payable": account.balance if account else 0,
    }


def review_queue(actor: Actor, status: str = "") -> QuerySet[Claim]:
    claims = Claim.objects.select_related("user", "item", "scheme").order_by("status", "-created_at")
    scope = reviewer_scope_q(actor)
    if scope is not None:
        claims = claims.filter(scope)
    if status in ClaimStatus.values:
        return claims.filter(status=status)
    return claims.filter(status__in=OPEN)


def publicised() -> QuerySet[Claim]:
    return Claim.objects.filter(status=ClaimStatus.PUBLICISED).select_related("user", "item", "scheme")


def figures_scope_q(actor: Actor, prefix: str = "unit__path") -> Q | None:
    """The units whose figures the actor reads: a reviewer's own, a supervisor's or administrator's
    (the city's supervisor sees every street); None: every unit."""
    scope = reviewer_scope_q(actor, prefix)
    if scope is None:
        return None
    return scope | under_paths_q([*actor.unit_paths(Role.SUPERVISOR), *actor.unit_paths(Role.ADMIN)], prefix)


def figures(actor: Actor) -> dict[str, Any]:
    """Points issued, redeemed and outstanding by scheme, street and merchant; claims reviewed and rejected."""
    scope = figures_scope_q(actor)
    schemes = Scheme.objects.all() if scope is None else Scheme.objects.filter(scope)
    by_scheme: list[dict[str, Any]] = []
    # One query per kind of figure, whatever the number of schemes and merchants.
    rows = list(schemes.select_related("unit").order_by("code"))
    ids = [scheme.pk for scheme in rows]
    balances = {
        (kind, scheme_id): balance
        for kind, scheme_id, balance in Account.objects.filter(
            kind__in=[Account.Kind.BUDGET, Account.Kind.EXPIRED], scheme_id__in=ids
        ).values_list("kind", "scheme_id", "balance")
    }
    claims = {
        row["scheme_id"]: row
        for row in Claim.objects.filter(scheme_id__in=ids)
        .values("scheme_id")
        .annotate(
            reviewed=Count("pk", filter=~Q(status__in=[ClaimStatus.DECLARED, ClaimStatus.REVIEWING])),
            rejected=Count("pk", filter=Q(status=ClaimStatus.REJECTED)),
            waiting=Count("pk", filter=Q(status__in=OPEN)),
        )
        .order_by()
    }
    for scheme in rows:
        counted = claims.get(scheme.pk, {})
        by_scheme.append(
            {
                "scheme": scheme,
                "issued": -balances.get((Account.Kind.BUDGET, scheme.pk), 0),
                "expired": balances.get((Account.Kind.EXPIRED, scheme.pk), 0),
                **{k: counted.get(k, 0) for k in ("reviewed", "rejected", "waiting")},
            }
        )
    shops = Merchant.objects.select_related("unit").order_by("name")
    shops = shops if scope is None else shops.filter(scope)
    spent = {
        row["merchant_id"]: row
        for row in Redemption.objects.filter(merchant__in=shops, refund__isnull=True)
        .values("merchant_id")
        .annotate(n=Sum("points"), v=Sum("value_yuan"))
        .order_by()
    }
    merchants: list[dict[str, Any]] = [
        {"merchant": m, "points": spent.get(m.pk, {}).get("n") or 0, "value": spent.get(m.pk, {}).get("v") or 0}
        for m in shops
    ]
    issued = sum(r["issued"] for r in by_scheme)
    redeemed = sum(m["points"] for m in merchants)
    outstanding = Account.objects.filter(spendable=True).aggregate(n=Sum("balance"))["n"] or 0
    streets: dict[str, int] = {}
    for row in by_scheme:
        streets[row["scheme"].unit.label] = streets.get(row["scheme"].unit.label, 0) + row["issued"]
    return {
        "issued": issued,
        "redeemed": redeemed,
        "outstanding": outstanding,
        "by_scheme": by_scheme,
        "by_street": sorted(streets.items()),
        "by_merchant": merchants,
        "trial": TrialBalance.objects.order_by("-ran_at").first(),
    }


def dashboard_panel(actor: Actor) -> DashboardPanel | None:
    """The points loop on the city dashboard: issued, redeemed, outstanding, claims rejected."""
    if not (actor.has_role(Role.POINTS_REVIEWER) or actor.has_role(Role.SUPERVISOR) or actor.has_role(Role.ADMIN)):
        return None
    f = figures(actor)
    rejected = sum(r["rejected"] for r in f["by_scheme"])
    reviewed = sum(r["reviewed"] for r in f["by_scheme"])
    return DashboardPanel(
        title=_("积分制"),
        figures=(
            (_("已发放积分"), f"{f['issued']:,}"),
            (_("已兑换积分"), f"{f['redeemed']:,}"),
            (_("未兑换余额"), f"{f['outstanding']:,}"),
            (_("申报审核 / 不予认定"), f"{reviewed:,} / {rejected:,}"),
        ),
        url=reverse("points:figures"),
        order=40,
    )
