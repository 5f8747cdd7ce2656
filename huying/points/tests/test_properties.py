"""Random sequences of earn, review, redeem, refund, expire and reverse (Hypothesis): after every step
the ledger balances, no spendable balance is negative, every balance equals its postings and the
credit lots add up to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from huying.accounts.selectors import actor_for
from huying.core.errors import HuyingError
from huying.points.claim_models import Claim
from huying.points.ledger_models import CreditLot, Redemption
from huying.points.services import periodic, redeem, review
from huying.points.services.claims import claim_submit
from huying.points.states import ClaimAction, ClaimStatus

from .factories import build, claim
from .invariants import assert_ledger_sound

pytestmark = pytest.mark.django_db

NEXT = {
    ClaimStatus.DECLARED: ClaimAction.REVIEW,
    ClaimStatus.REVIEWING: ClaimAction.RECOGNISE,
    ClaimStatus.RECOGNISED: ClaimAction.PUBLICISE,
    ClaimStatus.PUBLICISED: ClaimAction.CREDIT,
}
step = st.one_of(
    st.tuples(st.just("earn"), st.integers(0, 1), st.integers(0, 3)),
    st.tuples(st.just("review"), st.integers(0, 9), st.sampled_from([0, 1, 4, 4, 4])),
    st.tuples(st.just("redeem"), st.integers(0, 1), st.integers(1, 12)),
    st.tuples(st.just("refund"), st.integers(0, 9), st.just(0)),
    st.tuples(st.just("expire"), st.integers(0, 9), st.just(0)),
    st.tuples(st.just("reverse"), st.integers(0, 9), st.just(0)),
)


class Run:
    def __init__(self, world: Any, p: Any) -> None:
        self.people, self.p, self.n = [world.citizen, world.other_citizen], p, 0

    def earn(self, who: int, place: int) -> bool:
        self.n += 1
        day = timezone.now() - dt.timedelta(days=self.n)  # caps are per day: spread the claims
        return claim_submit(claim(self.people[who], f"A{self.n}", place=f"路{place}", occurred_at=day)) is not None

    def review(self, pick: int, steps: int) -> bool:
        """Take one claim ``steps`` steps on (0: reject it while under review)."""
        open_claims = list(Claim.objects.filter(status__in=list(NEXT)).order_by("id"))
        if not open_claims:
            return False
        c = open_claims[pick % len(open_claims)]
        if steps == 0 and c.status in (ClaimStatus.DECLARED, ClaimStatus.REVIEWING):
            review.claim_act(actor=self.p.reviewer, claim=c.pk, action=ClaimAction.REJECT, note="不属实")
            return True
        for _ in range(steps):
            c = review.claim_act(actor=self.p.reviewer, claim=c.pk, action=NEXT[c.status], note="核实")
            if c.status not in NEXT:
                break
        return True

    def redeem(self, who: int, points: int) -> bool:
        token = redeem.token_issue(actor=actor_for(self.people[who]))
        return redeem.redeem(actor=actor_for(self.p.cashier), token=token, points=str(points))[1]

    def refund(self, pick: int) -> bool:
        rows = list(Redemption.objects.filter(refund__isnull=True).order_by("id"))
        if rows:
            redeem.refund(actor=actor_for(self.p.cashier), redemption_id=rows[pick % len(rows)].pk, reason="退货")
        return bool(rows)

    def expire(self, pick: int) -> bool:
        lots = list(CreditLot.objects.filter(remaining__gt=0, expires_on__isnull=False).order_by("id"))
        if not lots:
            return False
        lot = lots[pick % len(lots)]
        assert lot.expires_on is not None
        periodic.expiry_notify(lot.expires_on)
        return periodic.expire_due(lot.expires_on + dt.timedelta(days=periodic.NOTICE_DAYS + 1)) > 0

    def reverse(self, pick: int) -> bool:
        credited = list(Claim.objects.filter(status=ClaimStatus.CREDITED).order_by("id"))
        if credited:
            c = credited[pick % len(credited)]
            review.claim_act(actor=self.p.reviewer, claim=c.pk, action=ClaimAction.REVERSE, note="核查有误")
        return bool(credited)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=5, max_size=20))
def test_random_sequences_keep_the_ledger_sound(world: Any, steps: list[tuple[str, int, Any]]) -> None:
    with transaction.atomic():
        p = build(world, publicity_days=0)
        p.scheme.expiry_months = 36
        p.scheme.save()
        run = Run(world, p)
        for who in (0, 1):  # each person starts with a credited claim, so spending has something to spend
            run.earn(who, 9)
            run.review(0, 4)
        for name, a, b in steps:
            try:
                with transaction.atomic():
                    acted = getattr(run, name)(*([a, b] if name in ("earn", "review", "redeem") else [a]))
                event(f"{name} {'done' if acted else 'had nothing to act on'}")
            except HuyingError as exc:
                event(f"{name} refused: {exc.code}")  # over the balance, the cap, already spent: nothing changed
            assert_ledger_sound()
        transaction.set_rollback(True)
