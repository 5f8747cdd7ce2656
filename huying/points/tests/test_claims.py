"""Earning: a citizen's appeal closed as valid becomes a claim through the registry; dedup, caps and
evidence refused with the reason shown; review before credit (公示 with objections); appraisal kept apart."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.appeals.states import Channel, Status
from huying.appeals.tests.factories import appeal_in
from huying.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from huying.core.registry import PointClaim, point_claims
from huying.points import errors
from huying.points.claim_models import Claim
from huying.points.ledger_models import AppraisalEntry
from huying.points.services.claims import claim_submit
from huying.points.services.review import claim_act, credit_due
from huying.points.states import ClaimAction, ClaimStatus

from .factories import balance, build, claim
from .invariants import assert_ledger_sound

pytestmark = pytest.mark.django_db


def walk_to_publicised(p: Any, c: Claim) -> Claim:
    for action in (ClaimAction.REVIEW, ClaimAction.RECOGNISE, ClaimAction.PUBLICISE):
        c = claim_act(actor=p.reviewer, claim=c.pk, action=action)
    return c


def test_a_citizen_appeal_closed_as_valid_becomes_a_claim(world: Any) -> None:
    build(world)
    appeal = appeal_in(world, Status.CLOSED, citizen=world.citizen, channel=Channel.MOBILE, address="黄河路3号")
    found = Claim.objects.get()
    assert (found.source, found.ref, found.user_id, found.status) == (
        "appeal",
        appeal.number,
        world.citizen.pk,
        "declared",
    )
    assert found.requested == found.points == 10


def test_appeals_not_closed_or_not_a_citizens_earn_nothing(world: Any) -> None:
    build(world)
    appeal_in(world, Status.REFUSED, citizen=world.citizen)
    appeal_in(world, Status.CLOSED, channel=Channel.HOTLINE)  # taken by an operator: no account to credit
    assert not Claim.objects.exists()


def test_the_same_claim_twice_is_recorded_once(world: Any) -> None:
    build(world)
    first = point_claims.call("submit", claim(world.citizen, "A1"))
    again = point_claims.call("submit", claim(world.citizen, "A1"))
    assert first.pk == again.pk and Claim.objects.count() == 1


def test_same_place_category_and_day_is_a_duplicate(world: Any) -> None:
    build(world)
    claim_submit(claim(world.citizen, "A1"))
    dup = claim_submit(claim(world.citizen, "A2"))
    assert dup is not None and dup.status == ClaimStatus.REJECTED and "同一地点" in dup.reason
    other = claim_submit(claim(world.citizen, "A3", place="渤海路8号"))
    assert other is not None and other.status == ClaimStatus.DECLARED


def test_a_claim_over_the_daily_cap_is_refused_with_the_reason(world: Any) -> None:
    p = build(world, publicity_days=0)
    for n in range(2):
        c = claim_submit(claim(world.citizen, f"A{n}", place=f"路{n}"))
        assert c is not None
        walk_to_publicised(p, c)
    third = claim_submit(claim(world.citizen, "A9", place="路9"))
    assert third is not None and third.status == ClaimStatus.REJECTED and "每日上限20分" in third.reason


def test_unknown_items_are_not_recorded(world: Any) -> None:
    build(world)
    assert claim_submit(PointClaim(source="volunteer_hours", ref="V1", user_id=world.citizen.pk, item="nope")) is None


def test_review_publicity_and_credit(world: Any) -> None:
    p = build(world)
    c = claim_submit(claim(world.citizen, "A1"))
    assert c is not None
    c = walk_to_publicised(p, c)
    with pytest.raises(ValidationFailed) as err:
        claim_act(actor=p.reviewer, claim=c.pk, action=ClaimAction.CREDIT)
    assert err.value.code == errors.PUBLICITY_OPEN
    assert credit_due() == 0
    assert credit_due(now=timezone.now() + dt.timedelta(days=4)) == 1
    assert Claim.objects.get().status == ClaimStatus.CREDITED and balance(world.citizen) == 10
    assert_ledger_sound()


def test_an_objection_during_publicity_reopens_the_review(world: Any) -> None:
    p = build(world)
    c = walk_to_publicised(p, claim_submit(claim(world.citizen, "A1")))  # type: ignore[arg-type]
    c = claim_act(actor=world.other_citizen, claim=c.pk, action=ClaimAction.OBJECT, note="该处问题并非其发现")
    assert c.status == ClaimStatus.REVIEWING and "异议" in c.reason
    c = claim_act(actor=p.reviewer, claim=c.pk, action=ClaimAction.REJECT, note="经核实为重复上报")
    assert c.status == ClaimStatus.REJECTED and c.reason == "经核实为重复上报"


def test_who_may_act(world: Any) -> None:
    p = build(world)
    c = claim_submit(claim(world.citizen, "A1"))
    assert c is not None
    with pytest.raises(NotFound):
        claim_act(actor=world.other_citizen, claim=c.pk, action=ClaimAction.REVIEW)
    with pytest.raises(PermissionDenied):
        claim_act(actor=world.citizen, claim=c.pk, action=ClaimAction.REVIEW)
    with pytest.raises(InvalidTransition):
        claim_act(actor=p.reviewer, claim=c.pk, action=ClaimAction.CREDIT)
    with pytest.raises(ValidationFailed):
        claim_act(actor=p.reviewer, claim=c.pk, action=ClaimAction.REJECT, note="")


def test_appraisal_scores_are_kept_apart_and_may_go_down(world: Any) -> None:
    p = build(world, publicity_days=0)
    for ref, item in (("M1", "party_meeting"), ("M2", "party_absent")):
        c = claim_submit(claim(world.citizen, ref, item=item))
        assert c is not None
        walk_to_publicised(p, c)
        claim_act(actor=p.reviewer, claim=c.pk, action=ClaimAction.CREDIT)
    assert sorted(AppraisalEntry.objects.values_list("points", flat=True)) == [-3, 5]
    assert balance(world.citizen) == 0  # nothing in the spendable wallet


def test_a_credited_claim_is_corrected_by_reversal(world: Any) -> None:
    p = build(world, publicity_days=0)
    c = walk_to_publicised(p, claim_submit(claim(world.citizen, "A1")))  # type: ignore[arg-type]
    claim_act(actor=p.reviewer, claim=c.pk, action=ClaimAction.CREDIT)
    c = claim_act(actor=p.reviewer, claim=c.pk, action=ClaimAction.REVERSE, note="核查发现虚报")
    assert c.status == ClaimStatus.REVERSED and balance(world.citizen) == 0
    assert_ledger_sound()
