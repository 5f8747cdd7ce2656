"""Services at the doorstep on a phone: (a) from a village, the nearest point that handles the basic
pension and its guide; (b) a village clerk files it under full proxy, the town window accepts, the
pension office approves, the result goes back to the centre and the resident sees it done by SMS code."""

from __future__ import annotations

import re
from typing import Any

import pytest

from huying.applications.models import Application
from huying.applications.states import Channel, Status
from huying.core.notify import sms_outbox
from huying.servicepoints.models import ProxyCase
from huying.servicepoints.states import CaseStatus
from huying.servicepoints.tests.factories import PENSION, RESIDENT_ID, build

from .conftest import login, screenshot
from .test_service_hall_loop import approve_all_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHIPENG = {"longitude": 120.2870, "latitude": 37.4880}  # 张星镇石棚村


def test_a_nearest_point_for_the_pension_from_a_village(new_page: Any, world: Any) -> None:
    door = build(world)
    phone = new_page(mobile=True)
    phone.context.grant_permissions(["geolocation"])
    phone.context.set_geolocation(SHIPENG)
    phone.goto("/points-of-service/")
    phone.select_option("#id_item", value=PENSION)
    phone.click("#use-location")
    phone.wait_for_selector("#nearest-results li")
    first = phone.locator("#nearest-results li").first
    assert first.get_attribute("data-code") == door.centre.code
    assert "3 公里内" in first.inner_text() and "代办" in first.inner_text()
    phone.wait_for_selector("#points-map .leaflet-interactive")
    screenshot(phone, "doorstep-map-nearest")
    first.locator("a.result-name").click()
    phone.wait_for_selector("#point-items")
    phone.locator(f"#point-items li[data-item='{PENSION}'] a.guide-link").click()
    phone.wait_for_load_state()
    body = phone.locator("main").inner_text()
    assert "城乡居民基本养老保险待遇领取" in body and "年满60周岁" in body
    screenshot(phone, "doorstep-pension-guide")


def test_b_village_proxy_through_the_town_window(new_page: Any, world: Any) -> None:
    build(world)
    sms_outbox.clear()
    # 1. The village clerk files the pension for 柴大妈 at the centre.
    clerk = new_page(mobile=True)
    login(clerk, "xujia")
    clerk.goto("/points-of-service/proxy/")
    clerk.click("#file-ZY-ZX-XJ")
    clerk.select_option("#id_item_code", value=PENSION)
    clerk.click("#choose-item")
    clerk.wait_for_selector("#file-form")
    clerk.fill("#id_resident_name", "柴秀英")
    clerk.fill("#id_resident_id_number", RESIDENT_ID)
    clerk.fill("#id_resident_phone", "13905351234")
    clerk.fill("#id_home", "张星镇石棚村")
    clerk.select_option("#id_identity_check", value="id_card")
    clerk.click("#file-submit")  # no authorisation yet: refused, nothing filed
    clerk.wait_for_selector("#file-error")
    assert "授权委托书" in clerk.locator("#file-error").inner_text() and not Application.objects.exists()
    clerk.check("#id_authorised")
    screenshot(clerk, "doorstep-proxy-file")
    clerk.click("#file-submit")
    clerk.wait_for_selector("#case-status")
    case = ProxyCase.objects.get()
    app = case.application
    assert app.channel == Channel.VILLAGE and app.agent is not None and app.agent.username == "xujia"

    # 2. The town's comprehensive window accepts it; the pension office approves; the window issues.
    window = new_page()
    login(window, "zxwindow")
    window.goto(f"/applications/{app.number}/")
    assert "村级全程代办" in window.locator("main").inner_text()
    window.click("button[value=accept]")
    window.wait_for_load_state()
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW
    reviewer = new_page()
    login(reviewer, "zyrenshe")
    assert approve_all_rows(reviewer) == 1
    window.goto("/applications/issue/")
    window.locator(f"tr[data-number='{app.number}'] button[value=issue]").click()
    window.wait_for_load_state()
    app.refresh_from_db()
    assert app.status == Status.ISSUED

    # 3. Back at the centre: the result returned and collected.
    clerk.goto(f"/points-of-service/proxy/cases/{case.number}/")
    clerk.click("button[data-action=return]")
    clerk.wait_for_selector("#case-status[data-status=returned]")
    clerk.click("button[data-action=collect]")
    clerk.wait_for_selector("#case-status[data-status=collected]")
    case.refresh_from_db()
    assert case.status == CaseStatus.COLLECTED

    # 4. The resident follows it from the phone by number and SMS code.
    resident = new_page(mobile=True)
    resident.goto("/points-of-service/track/")
    resident.fill("#id_number", case.number)
    resident.fill("#id_phone", "13905351234")
    resident.click("#track-send-submit")
    resident.wait_for_selector("#track-verify")
    text = next(t for p, t in reversed(sms_outbox) if p == "13905351234" and "验证码" in t)
    resident.fill("#id_code", re.search(r"验证码为 (\d{6})", text).group(1))  # type: ignore[union-attr]
    resident.click("#track-verify-submit")
    resident.wait_for_selector("#tracked-case")
    status = resident.locator("#case-status").inner_text()
    assert "已办结" in status and "居民已领取" in status
    assert "已办结" in resident.locator("#application-status").inner_text()
    screenshot(resident, "doorstep-resident-tracks")
