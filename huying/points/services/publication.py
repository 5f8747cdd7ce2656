"""张榜: a scheme's month — points earned and redeemed by household (or person), names masked as the
scheme chooses — published once a month by the sweep (or by a reviewer), never with full names
unless the scheme's resolution chose so."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from ..claim_models import Claim
from ..ledger_models import Account, Entry, Posting, Publication
from ..models import Scheme
from ..states import ClaimStatus


def mask_name(name: str, masking: str, number: str = "") -> str:
    if masking == Scheme.Masking.FULL:
        return name
    if masking == Scheme.Masking.HOUSEHOLD and number:
        return number
    return (name[:1] + "**") if name else "**"


def month_rows(scheme: Scheme, month: dt.date) -> list[dict[str, Any]]:
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    claims = Claim.objects.filter(
        scheme=scheme,
        status=ClaimStatus.CREDITED,
        posting__created_at__date__gte=start,
        posting__created_at__date__lt=end,
    ).select_related("user", "household")
    earned: dict[tuple[str, str], int] = defaultdict(int)
    accounts: dict[tuple[str, str], set[int]] = defaultdict(set)
    for claim in claims:
        if claim.household is not None:
            who = (claim.household.head_name, claim.household.number)
            accounts[who].add(
                Account.objects.filter(kind=Account.Kind.HOUSEHOLD, household=claim.household)
                .values_list("pk", flat=True)
                .first()
                or 0
            )
        else:
            who = (claim.user.display_name or claim.user.username, "")
            accounts[who].add(
                Account.objects.filter(kind=Account.Kind.WALLET, user=claim.user).values_list("pk", flat=True).first()
                or 0
            )
        earned[who] += claim.points
    rows = []
    for who, total in sorted(earned.items(), key=lambda kv: (-kv[1], kv[0])):
        redeemed = -(
            Entry.objects.filter(
                account_id__in=accounts[who],
                posting__kind=Posting.Kind.REDEEM,
                posting__created_at__date__gte=start,
                posting__created_at__date__lt=end,
            ).aggregate(n=Sum("amount"))["n"]
            or 0
        )
        rows.append({"name": mask_name(who[0], scheme.masking, who[1]), "earned": total, "redeemed": redeemed})
    return rows


def publish_month(month: dt.date, *, now: dt.datetime | None = None) -> int:
    """Publish ``month`` for every active scheme that has not published it yet; the number published."""
    start = month.replace(day=1)
    moment = now or timezone.now()
    done = 0
    for scheme in Scheme.objects.filter(is_active=True).exclude(publications__month=start):
        rows = month_rows(scheme, start)
        if not rows:
            continue
        try:
            with transaction.atomic():
                Publication.objects.create(scheme=scheme, month=start, rows=rows, published_at=moment)
            done += 1
        except IntegrityError:
            continue  # published meanwhile
    return done
