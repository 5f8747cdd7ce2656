"""The 办事指南 on a phone: search by pinyin initials, read an item's guide (materials an e-licence
replaces, legal vs promised days, departments reviewing side by side), then a 一件事 with what it
saves against applying item by item."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from huying.catalogue import selectors
from huying.catalogue.models import Bundle, ServiceItem

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_service_guide_on_a_phone(new_page: Any) -> None:
    call_command("demo", "--only", "catalogue", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = new_page(mobile=True)

    page.goto("/services/")
    page.fill("input[name=q]", "spjy")
    page.click("#item-search button")
    page.wait_for_load_state()
    results = page.locator("#item-results li")
    names = [n.strip() for n in results.locator("a.name").all_inner_texts()]
    assert "食品经营许可" in names
    assert all("食品" in n for n in names)
    screenshot(page, "services-search")

    page.click("#item-results a.name:text-is('食品经营许可')")
    page.wait_for_load_state()
    food = ServiceItem.objects.get(name="食品经营许可")
    assert page.locator("#legal-days").inner_text().strip() == str(food.legal_days)
    assert page.locator("#promised-days").inner_text().strip() == str(food.promised_days)
    licence_badges = page.locator("#materials .badge.licence")
    assert licence_badges.count() == food.materials.exclude(licence_type_code="").count() > 0
    assert page.locator("#apply").get_attribute("href") == f"/applications/apply/item/{food.code}/"

    permit = ServiceItem.objects.get(name="建筑工程施工许可证核发")
    page.goto(f"/services/items/{permit.code}/")
    first_stage = page.locator("#review-stages .stage").first
    assert first_stage.locator(".step").count() == permit.review_steps.filter(stage=1).count() > 1
    # Parallel steps sit side by side: same top edge.
    boxes = [first_stage.locator(".step").nth(i).bounding_box() for i in range(2)]
    assert boxes[0] and boxes[1] and abs(boxes[0]["y"] - boxes[1]["y"]) < 2
    screenshot(page, "services-guide-parallel")

    page.goto("/services/bundles/")
    page.click("#bundle-results a.name:text-is('开办企业一件事')")
    page.wait_for_load_state()
    plan = selectors.bundle_plan(Bundle.objects.get(code="kaiban"))
    savings = page.locator(".savings").inner_text()
    assert f"少交 {plan.materials_saved} 份材料（{plan.materials_saved_pct}%）" in savings
    assert f"少填 {plan.fields_saved} 项（{plan.fields_saved_pct}%）" in savings
    assert page.locator("#materials tbody tr").count() == plan.bundle_material_count
    assert page.locator("#form-fields .badge").count() == plan.bundle_field_count
    screenshot(page, "services-bundle")
