"""The hall queue in a real browser: a citizen takes a number at the kiosk, a clerk calls it from the window
console, and the hall display (which polls its JSON every 3 s) shows the call."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from huying.accounts.roles import Role
from huying.halls.models import Hall, Ticket, Window
from huying.halls.states import Status
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create
from tests.fixtures import make_user

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_take_call_and_display(new_page: Any, world: Any) -> None:
    shenpi = org_unit_create(name="滨州市行政审批服务局", kind=OrgUnit.Kind.DEPARTMENT, parent=world.city)
    hall = Hall.objects.create(name="滨州市政务服务中心", unit=shenpi)
    window = Window.objects.create(hall=hall, number=5, label="综合受理5", kind=Window.Kind.COMPREHENSIVE)
    Window.objects.create(hall=hall, number=6, label="综合受理6", kind=Window.Kind.COMPREHENSIVE)
    make_user("chuangkou1", Role.CLERK, shenpi, display_name="窗口甲")

    # The big screen is open before anyone takes a number.
    display = new_page()
    display.goto(f"/hall/{hall.pk}/display/")
    assert "欢迎光临" in display.locator("#latest").inner_text()

    # 1. A citizen at the kiosk: a bad phone number first, then 咨询 with a good one.
    kiosk = new_page(mobile=True)
    kiosk.goto(f"/hall/{hall.pk}/take/")
    kiosk.fill("input[name=phone]", "12345")
    kiosk.click("#take-consult")
    assert "手机" in kiosk.locator(".field-error").first.inner_text()
    kiosk.fill("input[name=phone]", "13800138000")
    kiosk.click("#take-consult")
    kiosk.wait_for_selector("#ticket-number")
    assert kiosk.locator("#ticket-number").inner_text().strip() == "A001"
    assert "0 人" in kiosk.locator("#ahead").inner_text()
    screenshot(kiosk, "hall-ticket")
    ticket = Ticket.objects.get()
    assert ticket.status == Status.WAITING and ticket.phone == "13800138000"

    # 2. The clerk calls the next number at window 5.
    clerk = new_page()
    login(clerk, "chuangkou1")
    clerk.goto(f"/hall/windows/{window.pk}/")
    clerk.click("button[data-action=call_next]")
    clerk.wait_for_selector("#current-number")
    assert clerk.locator("#current-number").inner_text().strip() == "A001"
    ticket.refresh_from_db()
    assert ticket.status == Status.CALLED and ticket.window == window

    # 3. The display picks the call up on its next poll, without a reload.
    expect(display.locator("#latest")).to_contain_text("A001", timeout=10_000)
    assert display.locator("#latest").inner_text().strip() == "请 A001 号到 5 号窗口"
    screenshot(display, "hall-display")

    # 4. The citizen's ticket page says where to go; the clerk serves and finishes; the page offers rating.
    kiosk.reload()
    assert "请 A001 号到 5 号窗口办理" in kiosk.locator("#called-notice").inner_text()
    clerk.click("button[data-action=start]")
    clerk.wait_for_selector("button[data-action=finish]")
    clerk.click("button[data-action=finish]")
    clerk.wait_for_selector("button[data-action=call_next]")
    kiosk.reload()
    assert "138****8000" in kiosk.locator("#rate-sms").inner_text()
    ticket.refresh_from_db()
    assert ticket.status == Status.DONE and ticket.clerk is not None
