"""A points reviewer keeping the rules and the merchants from the management pages: a scheme only with
the resolution that adopted it, items from today on and revised by new versions, merchants with a
valid credit code, their goods and cashiers, exchange days with their stock, and never a unit outside
the reviewer's own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from huying.accounts.roles import Role
from huying.accounts.selectors import actor_for
from huying.core.errors import PermissionDenied
from huying.points.models import ExchangeDay, Merchant, MerchantStaff, Scheme, SchemeItem
from huying.points.services import schemes
from tests.fixtures import PASSWORD, make_user

from .factories import build, credit_code

pytestmark = pytest.mark.django_db


def client(user: Any) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def _scheme_post(world: Any, **over: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "code": "lifa-zhiyuan", "name": "立法志愿者积分", "kind": "legislative", "unit": world.street.pk,
        "expiry_months": "", "publicity_days": "3", "masking": "surname",
        "body": "市中街道居民代表会议", "number": "市中居代〔2026〕5号", "adopted_on": today.isoformat(), "summary": "",
    } | over  # fmt: skip


def test_a_scheme_is_made_with_its_resolution_then_items_from_today(world: Any) -> None:
    p = build(world)
    c = client(p.reviewer)
    short = c.post("/points/manage/schemes/new/", _scheme_post(world, expiry_months="12"))
    assert short.status_code == 400 and "36" in short.content.decode()
    assert not Scheme.objects.filter(code="lifa-zhiyuan").exists()
    no_body = c.post("/points/manage/schemes/new/", _scheme_post(world, body=""))
    assert no_body.status_code == 400 and not Scheme.objects.filter(code="lifa-zhiyuan").exists()
    made = c.post("/points/manage/schemes/new/", _scheme_post(world))
    scheme = Scheme.objects.get(code="lifa-zhiyuan")
    assert made.status_code == 302 and made["Location"] == f"/points/manage/schemes/{scheme.pk}/"
    resolution = scheme.resolutions.get()
    item = {
        "form": "item", "item-code": "opinion_adopted", "item-name": "意见被采纳", "item-wallet": "spendable",
        "item-points": "20", "item-unit_label": "条", "item-monthly_cap": "100", "item-dedup": "none",
        "item-resolution": resolution.pk,
    }  # fmt: skip
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    back = c.post(f"/points/manage/schemes/{scheme.pk}/", item | {"item-valid_from": yesterday.isoformat()})
    assert back.status_code == 400 and "不能追溯" in back.content.decode()
    docked = c.post(
        f"/points/manage/schemes/{scheme.pk}/",
        item | {"item-points": "-5", "item-valid_from": timezone.localdate().isoformat()},
    )
    assert docked.status_code == 400 and "评比分" in docked.content.decode()
    ok = c.post(f"/points/manage/schemes/{scheme.pk}/", item | {"item-valid_from": timezone.localdate().isoformat()})
    assert ok.status_code == 302
    added = SchemeItem.objects.get(scheme=scheme, code="opinion_adopted")
    assert (added.points, added.monthly_cap, added.version) == (20, 100, 1)
    again = c.post(f"/points/manage/schemes/{scheme.pk}/", item | {"item-valid_from": timezone.localdate().isoformat()})
    assert again.status_code == 400 and "已被使用" in again.content.decode()
    page = c.get(f"/points/manage/schemes/{scheme.pk}/").content.decode()
    assert "意见被采纳" in page and "市中居代〔2026〕5号" in page


def test_revising_an_item_makes_a_new_version_and_never_reaches_back(world: Any) -> None:
    p = build(world)
    c = client(p.reviewer)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form = {
        "name": p.report.name, "points": "15", "unit_label": "次", "daily_cap": "30", "monthly_cap": "90",
        "dedup": p.report.dedup, "resolution": p.report.resolution_id,
    }  # fmt: skip
    past = c.post(f"/points/manage/items/{p.report.pk}/revise/", form | {"valid_from": "2020-01-01"})
    assert past.status_code == 400 and SchemeItem.objects.filter(code="report_valid").count() == 1
    done = c.post(f"/points/manage/items/{p.report.pk}/revise/", form | {"valid_from": tomorrow.isoformat()})
    assert done.status_code == 302
    versions = list(SchemeItem.objects.filter(code="report_valid").order_by("version"))
    assert [(v.version, v.points) for v in versions] == [(1, 10), (2, 15)]
    assert versions[0].valid_to == timezone.localdate() and versions[1].valid_from == tomorrow


def test_merchants_goods_and_cashiers(world: Any) -> None:
    p = build(world)
    c = client(p.reviewer)
    base = {"name": "东方冷库二店", "unit": world.street.pk, "address": "黄河五路", "yuan_per_point": "1"}
    right = credit_code("91371600MA3C00003")
    wrong = right[:-1] + ("1" if right[-1] != "1" else "2")  # the check character off by one
    bad = c.post("/points/manage/merchants/new/", base | {"credit_code": wrong})
    assert bad.status_code == 400 and "统一社会信用代码无效" in bad.content.decode()
    assert not Merchant.objects.filter(name="东方冷库二店").exists()
    good = c.post("/points/manage/merchants/new/", base | {"credit_code": right})
    merchant = Merchant.objects.get(name="东方冷库二店")
    assert good.status_code == 302
    url = f"/points/manage/merchants/{merchant.pk}/"
    assert c.post(url, {"form": "goods", "goods-name": "花生油5L", "goods-points": "0"}).status_code == 400
    assert c.post(url, {"form": "goods", "goods-name": "花生油5L", "goods-points": "60"}).status_code == 302
    goods = merchant.goods.get()
    assert c.post(f"/points/manage/goods/{goods.pk}/toggle/").status_code == 302
    goods.refresh_from_db()
    assert goods.is_active is False
    # A cashier of another merchant cannot be taken over; a new account gets the merchant role here.
    taken = c.post(url, {"form": "cashier", "cashier-username": p.cashier.username})
    assert taken.status_code == 400 and "其他商户" in taken.content.decode()
    clerk = make_user("lengku2")
    assert c.post(url, {"form": "cashier", "cashier-username": "lengku2"}).status_code == 302
    assert MerchantStaff.objects.get(user=clerk).merchant == merchant
    assert actor_for(clerk).has_role(Role.MERCHANT)
    assert c.post(url, {"form": "cashier", "cashier-username": "nobody"}).status_code == 400


def test_an_exchange_day_is_published_with_its_stock(world: Any) -> None:
    p = build(world)
    c = client(p.reviewer)
    day = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    form = {
        "title": "十二月积分兑换日", "merchant": p.merchant.pk, "day": day, "place": "市中街道新时代文明实践站",
        "stock-TOTAL_FORMS": "3", "stock-INITIAL_FORMS": "0", "stock-MIN_NUM_FORMS": "0", "stock-MAX_NUM_FORMS": "30",
        "stock-0-name": "花生油5L", "stock-0-points": "60", "stock-0-quantity": "20",
        "stock-1-name": "洗衣液", "stock-1-points": "", "stock-1-quantity": "10",
    }  # fmt: skip
    half = c.post("/points/manage/exchange-days/new/", form)
    assert half.status_code == 400 and "一并填写" in half.content.decode()
    assert not ExchangeDay.objects.exists()
    empty = c.post("/points/manage/exchange-days/new/", form | {"stock-0-name": "", "stock-0-points": "",
                   "stock-0-quantity": "", "stock-1-name": "", "stock-1-quantity": ""})  # fmt: skip
    assert empty.status_code == 400 and "至少填写一种" in empty.content.decode()
    ok = c.post("/points/manage/exchange-days/new/", form | {"stock-1-points": "25"})
    assert ok.status_code == 302
    event = ExchangeDay.objects.get()
    assert sorted((s.name, s.points, s.remaining) for s in event.stock.all()) == [
        ("洗衣液", 25, 10),
        ("花生油5L", 60, 20),
    ]
    assert "十二月积分兑换日" in c.get("/points/manage/").content.decode()


def test_a_reviewer_keeps_only_the_units_of_their_role(world: Any) -> None:
    p = build(world)
    elsewhere = make_user("jifen2", Role.POINTS_REVIEWER, world.urban)
    c = client(elsewhere)
    assert p.scheme.name not in c.get("/points/manage/").content.decode()
    assert c.get(f"/points/manage/schemes/{p.scheme.pk}/").status_code == 404
    assert c.get(f"/points/manage/merchants/{p.merchant.pk}/").status_code == 404
    assert c.post(f"/points/manage/goods/{p.rice.pk}/toggle/").status_code == 404
    made = c.post("/points/manage/schemes/new/", _scheme_post(world))
    assert made.status_code == 400 and not Scheme.objects.filter(code="lifa-zhiyuan").exists()
    with pytest.raises(PermissionDenied):
        schemes.goods_add(actor=actor_for(elsewhere), merchant=p.merchant, name="酱油", points=5)
    assert client(world.citizen).get("/points/manage/").status_code == 404
