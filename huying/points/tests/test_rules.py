"""Rules as data: a change is a new version from today or later, never retroactive; expiry none or ≥ 3
years; merchants registered with a valid credit code; an exchange day never oversells."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.accounts.selectors import actor_for
from huying.core.errors import ValidationFailed
from huying.points import errors
from huying.points.models import ExchangeDay, ExchangeStock
from huying.points.services import redeem
from huying.points.services.claims import claim_submit, item_in_force
from huying.points.services.schemes import item_revise, merchant_register, scheme_set_expiry

from .factories import balance, build, claim, credit_code, grant

pytestmark = pytest.mark.django_db


def test_a_rule_change_applies_from_its_date_and_never_before(world: Any) -> None:
    p = build(world)
    today = timezone.localdate()
    res = p.report.resolution
    with pytest.raises(ValidationFailed) as err:
        item_revise(p.report, valid_from=today - dt.timedelta(days=1), resolution=res, points=20)
    assert err.value.code == errors.RETROACTIVE_RULE
    new = item_revise(p.report, valid_from=today + dt.timedelta(days=7), resolution=res, points=20)
    assert (new.version, new.points) == (2, 20)
    assert item_in_force("report_valid", today) == p.report
    assert item_in_force("report_valid", today + dt.timedelta(days=7)) == new
    found = claim_submit(claim(world.citizen, "A1"))
    assert found is not None and found.requested == 10  # today's claim under today's version


def test_expiry_is_none_or_at_least_three_years(world: Any) -> None:
    p = build(world)
    with pytest.raises(ValidationFailed) as err:
        scheme_set_expiry(p.scheme, 12)
    assert err.value.code == errors.EXPIRY_TOO_SHORT
    assert scheme_set_expiry(p.scheme, 36).expiry_months == 36


def test_merchants_need_a_valid_credit_code(world: Any) -> None:
    with pytest.raises(ValidationFailed):
        merchant_register(name="某超市", credit_code="91371600MA3C00009X", unit=world.street)
    shop = merchant_register(name="东方冷库二店", credit_code=credit_code("91371600MA3C00099"), unit=world.street)
    assert shop.yuan_per_point == 1


def test_an_exchange_day_never_oversells(world: Any) -> None:
    p = build(world)
    grant(world.citizen, 500, p.scheme, "k")
    day = ExchangeDay.objects.create(
        title="兑换活动", unit=world.street, merchant=p.merchant, day=timezone.localdate(), place="广场"
    )
    oil = ExchangeStock.objects.create(exchange_day=day, name="食用油", points=60, quantity=2, remaining=2)
    cashier = actor_for(p.cashier)
    token = redeem.token_issue(actor=actor_for(world.citizen))
    with pytest.raises(ValidationFailed) as err:
        redeem.redeem(actor=cashier, token=token, goods={oil.pk: 3}, exchange_day=day)
    assert err.value.code == errors.OUT_OF_STOCK and balance(world.citizen) == 500
    redeem.redeem(
        actor=cashier, token=token, goods={oil.pk: 2}, exchange_day=day
    )  # the refused try left the code usable
    oil.refresh_from_db()
    assert oil.remaining == 0 and balance(world.citizen) == 380
