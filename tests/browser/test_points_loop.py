"""Points from a 随手拍 to a merchant's till: a citizen's phone report is closed as valid, the claim is
reviewed and credited, the citizen shows the QR code, the merchant's cashier redeems it on a phone,
both statements show it, and the same code shown again is refused."""

from __future__ import annotations

from typing import Any

import pytest

from huying.appeals import services as appeal_services
from huying.appeals.states import Action, Channel, Resolution, Satisfaction, Status
from huying.grids.spatial import grid_index_invalidate
from huying.grids.tests.factories import build as build_grids
from huying.points.claim_models import Claim
from huying.points.tests.factories import build as build_points

from .conftest import login, screenshot
from .test_grid_case_loop import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def close_as_valid(world: Any, appeal: Any) -> None:
    steps = [
        (world.operator, Action.ACCEPT, {}),
        (world.operator, Action.DISPATCH, {"lead_unit": world.urban}),
        (world.handler, Action.SIGN, {}),
        (world.handler, Action.REPLY, {"note": "已修复黄河路3号门前井盖。"}),
        (world.operator, Action.FOLLOW_UP, {"resolution": Resolution.RESOLVED, "satisfaction": Satisfaction.SATISFIED}),
    ]
    for actor, action, payload in steps:
        appeal = appeal_services.appeal_transition(actor=actor, appeal=appeal, action=action, **payload)
    assert appeal.status == Status.CLOSED


def test_report_to_redemption(new_page: Any, world: Any) -> None:
    grid_index_invalidate()
    build_grids(world)
    build_points(world, publicity_days=0)

    # 1. The citizen's 随手拍 from a phone, closed as valid by the hotline and the unit.
    citizen = new_page(mobile=True)
    login(citizen, "citizen")
    appeal = report(citizen, "黄河路3号门前井盖破损，行人有跌落危险。", world.cat_road.pk)
    assert appeal.channel == Channel.MOBILE and appeal.citizen_id == world.citizen.pk
    close_as_valid(world, appeal)
    claim = Claim.objects.get(ref=appeal.number)

    # 2. The reviewer reviews, recognises, publicises (no objection window in this scheme) and credits.
    reviewer = new_page()
    login(reviewer, "jifen")
    for action in ("review", "recognise", "publicise", "credit"):
        reviewer.goto("/points/review/?status=" + Claim.objects.get(pk=claim.pk).status)
        reviewer.locator(f"#claim-{claim.pk} button[data-action={action}]").click()
        reviewer.wait_for_load_state()
    assert Claim.objects.get(pk=claim.pk).status == "credited"
    screenshot(reviewer, "points-1-review")

    # 3. The citizen sees the points and shows the code.
    citizen.goto("/points/")
    assert citizen.locator("#balance-wallet strong").inner_text() == "10"
    citizen.click("#show-code")
    token = citizen.locator("#qr").get_attribute("data-token")
    assert token
    screenshot(citizen, "points-2-code")

    # 4. The merchant's cashier, on a phone, types (pastes) the code and redeems 10 points.
    cashier = new_page(mobile=True)
    login(cashier, "yinzuo")
    cashier.goto("/points/merchant/")
    cashier.fill("#id_token", token)
    cashier.fill("#id_points", "10")
    cashier.click("#redeem-submit")
    cashier.wait_for_load_state()
    assert "兑换成功" in cashier.locator("#redeem-result").inner_text()
    screenshot(cashier, "points-3-merchant")

    # 5. Both statements show it.
    citizen.goto("/points/")
    assert citizen.locator("#balance-wallet strong").inner_text() == "0"
    assert citizen.locator("#redeemed").inner_text() == "10"
    assert "银座超市黄河路店" in citizen.locator("#statement").inner_text()
    cashier.goto("/points/merchant/statement/")
    assert cashier.locator("#month-points").inner_text() == "10"
    screenshot(cashier, "points-4-statement")

    # 6. The same code shown again is refused.
    cashier.goto("/points/merchant/")
    cashier.fill("#id_token", token)
    cashier.fill("#id_points", "10")
    cashier.click("#redeem-submit")
    cashier.wait_for_load_state()
    assert "已使用过" in cashier.locator("#redeem-error").inner_text()
