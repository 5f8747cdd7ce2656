"""(c) At a Licang canteen on a phone: a 特困 elder's lunch recorded by card at 2 yuan and a dinner
delivered to the door; the month's settlement, generated from those records, shows both; the
operator confirms it and civil affairs approves it."""

from __future__ import annotations

from typing import Any

import pytest

from huying.canteens.models import Meal, Settlement
from huying.canteens.states import Category
from huying.canteens.tests.factories import build, enrol

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def record(page: Any, card: str, slot: str, mode: str) -> str:
    page.fill("#id_identifier", card)
    page.select_option("#id_slot", value=slot)
    page.select_option("#id_mode", value=mode)
    page.click("#meal-submit")
    page.wait_for_selector("#meal-ok, #meal-error")
    return page.locator("#meal-ok, #meal-error").first.inner_text()


def test_c_tekun_meal_and_delivery_in_the_month_settlement(new_page: Any, world: Any) -> None:
    w = build(world)
    enrol(w, 1, "LC0001", Category.TEKUN, Category.ALONE, delivery=True)
    staff = new_page(mobile=True)
    login(staff, "shitang")
    staff.goto("/canteens/")
    staff.click("#canteen-list li[data-code='LC-HS-01'] a")
    assert "2.00 元" in record(staff, "LC0001", "lunch", "dine_in")
    assert "本日午餐已在" in record(staff, "LC0001", "lunch", "dine_in")  # a second lunch refused
    assert "2.00 元" in record(staff, "LC0001", "dinner", "delivery")
    delivery = Meal.objects.get(slot="dinner")
    staff.fill(f"#dn-{delivery.pk}", "老人本人签收，饭菜温热")
    staff.click(f"button[data-deliver='{delivery.pk}']")
    staff.wait_for_selector(f"#today-meals li[data-meal='{delivery.pk}'] .badge")
    screenshot(staff, "canteen-counter")

    staff.goto("/canteens/c/LC-HS-01/settlements/")
    staff.click("#generate-submit")
    staff.wait_for_selector("#settlement-figures")
    assert staff.locator("#s-meals").inner_text() == "2" and staff.locator("#s-deliveries").inner_text() == "1"
    assert staff.locator("#s-self-pay").inner_text() == "4.00" and staff.locator("#s-subsidy").inner_text() == "26.00"
    assert staff.locator("#settlement-meals tbody tr").count() == 2
    staff.click("button[data-action=confirm]")
    staff.wait_for_selector("#settlement-status[data-status=confirmed]")
    screenshot(staff, "canteen-settlement")

    civil = new_page()
    login(civil, "minzheng")
    civil.goto(f"/canteens/settlements/{Settlement.objects.get().pk}/")
    civil.click("button[data-action=approve]")
    civil.wait_for_selector("#settlement-status[data-status=approved]")
    assert civil.locator("#settlement-regenerate").count() == 0
