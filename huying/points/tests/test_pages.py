"""The pages: a person's statement and code, the cashier's phone (typed code, retry, replay, another
merchant's till), the review queue and objections, the board and the figures."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from huying.accounts.selectors import actor_for
from huying.points.ledger_models import Redemption
from huying.points.services import redeem
from huying.points.services.claims import claim_submit
from huying.points.services.periodic import points_sweep
from tests.fixtures import PASSWORD

from .factories import balance, build, claim, grant

pytestmark = pytest.mark.django_db


def client(user: Any) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def test_statement_and_code_pages(world: Any) -> None:
    p = build(world)
    grant(world.citizen, 80, p.scheme, "k")
    page = client(world.citizen).get("/points/").content.decode()
    assert "80" in page and "出示兑换码" in page
    code = client(world.citizen).get("/points/code/").content.decode()
    assert "<svg" in code and re.search(r'data-token="([A-Za-z0-9_-]+)"', code)
    fresh = client(world.citizen).get("/points/code.json").json()
    assert fresh["expires_in"] == redeem.TOKEN_TTL_SECONDS and fresh["token"]


def test_cashier_redeems_a_typed_code_once_even_when_the_phone_resends(world: Any) -> None:
    p = build(world)
    grant(world.citizen, 80, p.scheme, "k")
    token = redeem.token_issue(actor=actor_for(world.citizen))
    cashier = client(p.cashier)
    form = {"token": token, "points": "30", "request_key": "3f0c1d5e-1", "merchant": str(p.merchant.pk)}
    first = cashier.post("/points/merchant/", form)
    assert "兑换成功" in first.content.decode()
    again = cashier.post("/points/merchant/", form)
    assert "重复提交" in again.content.decode()
    assert balance(world.citizen) == 50 and Redemption.objects.count() == 1
    replay = cashier.post("/points/merchant/", {**form, "request_key": "another"})
    assert replay.status_code == 400 and "已使用过" in replay.content.decode()
    assert balance(world.citizen) == 50


def test_refused_redemptions_change_nothing(world: Any) -> None:
    p = build(world)
    grant(world.citizen, 20, p.scheme, "k")
    token = redeem.token_issue(actor=actor_for(world.citizen))
    cashier = client(p.cashier)
    over = cashier.post("/points/merchant/", {"token": token, "points": "21"})
    assert over.status_code == 400 and "可用积分不足" in over.content.decode()
    other = cashier.post("/points/merchant/", {"token": token, "points": "5", "merchant": str(p.other_merchant.pk)})
    assert other.status_code == 403 and "只能为本商户" in other.content.decode()
    forged = cashier.post("/points/merchant/", {"token": token[:-3] + "AAA", "points": "5"})
    assert forged.status_code == 400
    assert client(world.citizen).get("/points/merchant/").status_code == 404
    assert balance(world.citizen) == 20 and not Redemption.objects.exists()


def test_goods_and_the_merchant_statement(world: Any) -> None:
    p = build(world)
    grant(world.citizen, 100, p.scheme, "k")
    token = redeem.token_issue(actor=actor_for(world.citizen))
    cashier = client(p.cashier)
    cashier.post("/points/merchant/", {"token": token, f"goods-{p.rice.pk}": "2"})
    assert balance(world.citizen) == 20
    page = cashier.get("/points/merchant/statement/").content.decode()
    assert "大米5kg×2" in page and 'id="month-points">80<' in page
    assert cashier.get("/points/merchant/statement/?month=2026-99").status_code == 400


def test_review_queue_objection_board_and_figures(world: Any) -> None:
    p = build(world, publicity_days=3)
    c = claim_submit(claim(world.citizen, "A1"))
    assert c is not None
    reviewer = client(p.reviewer)
    assert c.number in reviewer.get("/points/review/").content.decode()
    for action in ("review", "recognise", "publicise"):
        reviewer.post(f"/points/claims/{c.pk}/act/", {"action": action})
    board = Client().get("/points/board/").content.decode()
    assert c.number in board and "张**" in board and "张三" not in board
    client(world.other_citizen).post(f"/points/claims/{c.pk}/act/", {"action": "object", "note": "不属实"})
    c.refresh_from_db()
    assert c.status == "reviewing"
    assert client(world.other_citizen).post(f"/points/claims/{c.pk}/act/", {"action": "review"}).status_code == 404
    points_sweep()
    figures = reviewer.get("/points/figures/").content.decode()
    assert "试算平衡" in figures and "治理有章积分" in figures


def test_the_city_dashboard_shows_the_points_figures_and_a_refund_is_not_spending(world: Any) -> None:
    p = build(world)
    grant(world.citizen, 100, p.scheme, "start")
    cashier = actor_for(p.cashier)
    kept, _created = redeem.redeem(actor=cashier, token=redeem.token_issue(actor=actor_for(world.citizen)), points="30")
    back, _created = redeem.redeem(actor=cashier, token=redeem.token_issue(actor=actor_for(world.citizen)), points="20")
    redeem.refund(actor=cashier, redemption_id=back.pk, reason="顾客退货")
    board = client(world.supervisor).get("/dashboard/").content.decode()
    panel = board[board.index('id="grassroots"') :]
    tiles = re.findall(r'tile-label">([^<]+)</span><strong class="tile-value">([^<]+)<', panel)
    assert ("已发放积分", "100") in tiles and ("已兑换积分", "30") in tiles and ("未兑换余额", "70") in tiles
    assert kept.points == 30
    # A reviewer reads the same figures; a handler of a bureau (no points role) gets the dashboard without them.
    assert 'id="grassroots"' in client(p.reviewer).get("/dashboard/").content.decode()
    assert 'id="grassroots"' not in client(world.handler).get("/dashboard/").content.decode()
