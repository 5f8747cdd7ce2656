"""Canteen pages: scope, refusals shown in Chinese with nothing changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from huying.canteens.models import Elder, Meal, PurchaseRecord
from huying.canteens.states import Category
from tests.fixtures import PASSWORD

from .factories import Licang, build, enrol, make_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world: Any) -> Licang:
    return build(world)


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_counter_refuses_clearly(w: Licang) -> None:
    enrol(w, 1, "C001", Category.TEKUN)
    staff = login(w.staff)
    bad = staff.post(
        "/canteens/c/LC-HS-01/", {"identifier": "NOPE", "slot": "lunch", "mode": "dine_in", "method": "card"}
    )
    assert bad.status_code == 400 and "未找到助餐卡" in bad.content.decode() and not Meal.objects.exists()
    ok = staff.post(
        "/canteens/c/LC-HS-01/", {"identifier": "C001", "slot": "lunch", "mode": "dine_in", "method": "card"}
    )
    assert ok.status_code == 200 and "2.00 元" in ok.content.decode()
    assert login(w.other_staff).get("/canteens/c/LC-HS-01/").status_code == 404
    assert login(w.civil).get("/canteens/c/LC-HS-01/").status_code == 200


def test_enrol_and_approve_pages(w: Licang) -> None:
    staff = login(w.staff)
    form = {
        "name": "王秀兰",
        "id_number": make_id(5),
        "card_number": "C005",
        "category": "dibao",
        "source": "exchange",
        "source_date": "2024-01-05",
    }
    assert staff.post("/canteens/c/LC-HS-01/elders/", {**form, "id_number": "123"}).status_code == 400
    assert staff.post("/canteens/c/LC-HS-01/elders/", form).status_code == 302
    elder = Elder.objects.get()
    assert elder.status == "applied" and elder.categories.get().category == "dibao"
    refused = staff.post("/canteens/c/LC-HS-01/elders/", {"elder": elder.pk, "action": "approve"})
    assert refused.status_code == 403
    assert (
        login(w.civil).post("/canteens/c/LC-HS-01/elders/", {"elder": elder.pk, "action": "approve"}).status_code == 302
    )
    elder.refresh_from_db()
    assert elder.status == "active"


def test_purchase_delete_refused_before_retention(w: Licang) -> None:
    staff = login(w.staff)
    data = {
        "product": "大米",
        "quantity": "50公斤",
        "batch": "B1",
        "purchased_on": "2026-01-05",
        "supplier_name": "某粮油",
        "supplier_address": "李沧区",
        "supplier_contact": "0532-1",
    }
    assert staff.post("/canteens/c/LC-HS-01/purchases/", data).status_code == 302
    record = PurchaseRecord.objects.get()
    page = staff.post("/canteens/c/LC-HS-01/purchases/", {"delete": record.pk})
    assert page.status_code == 400 and "期满前不能删除" in page.content.decode()
    assert PurchaseRecord.objects.filter(pk=record.pk).exists()
