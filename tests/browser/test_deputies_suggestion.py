"""A resident books the reception on the 6th, the deputy routes the matter to a suggestion, the unit
objects within 5 working days and is re-assigned by the congress, replies, the deputy is dissatisfied,
the unit replies again and it closes; the resident sees the outcome."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from huying.deputies.models import Suggestion
from huying.deputies.services import stations as station_services
from huying.deputies.tests.factories import build

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_booking_to_suggestion_objection_reassignment_reply_rereply_close(new_page: Any, world: Any) -> None:
    d = build(world)
    day = station_services.reception_days_plan(station=d.point, start=timezone.localdate(), months=1)[0]
    assert day.date.day == 6

    phone = new_page(mobile=True)
    login(phone, "citizen")
    phone.goto("/deputies/stations/")
    phone.click(f"text=预约 {day.date.month}月6日")
    phone.fill("#b-matter", "黄河路公交站太远，老人出行不便，希望增设站点。")
    screenshot(phone, "deputies-booking-phone")
    phone.click("text=确认预约")
    phone.wait_for_load_state()
    assert "已预约" in phone.locator("main").inner_text()

    deputy = new_page()
    login(deputy, "deputy")
    deputy.goto("/deputies/desk/")
    assert "张*" in deputy.locator("main").inner_text()  # the visitor masked
    deputy.click("text=开始接待")
    deputy.wait_for_load_state()
    deputy.check("input[name=routing][value=suggestion]")
    deputy.fill("#r-title", "黄河路增设公交站点")
    deputy.click("button[value=route]")
    deputy.wait_for_load_state()
    suggestion = Suggestion.objects.get()
    assert suggestion.number in deputy.locator("#routing").inner_text()

    staff = new_page()
    login(staff, "lawstaff")
    staff.goto(f"/deputies/suggestions/{suggestion.pk}/")
    staff.select_option("#lead", label=world.urban.name)
    staff.check("input[name=single_matter]")
    staff.click("button[value=assign]")
    staff.wait_for_load_state()
    assert "已交办" in staff.locator("#status").inner_text()

    urban = new_page()
    login(urban, "urban")
    urban.goto(f"/deputies/suggestions/{suggestion.pk}/")
    urban.fill("#object-note", "公交站点设置属住建（交通）部门职责，请改交。")
    urban.click("button[value=object]")
    urban.wait_for_load_state()
    assert "申请调整" in urban.locator("#status").inner_text()

    staff.reload()
    staff.select_option("#lead", label=world.housing.name)
    staff.fill("#reassign-note", "同意异议，改由市住建局主办。")
    staff.click("button[value=reassign]")
    staff.wait_for_load_state()

    housing = new_page()
    login(housing, "housing")
    housing.goto(f"/deputies/suggestions/{suggestion.pk}/")
    housing.click("button[value=accept]")
    housing.wait_for_load_state()
    housing.select_option("#reply-class", value="C")
    housing.fill("#reply-text", "纳入明年公交线网优化统筹考虑。")
    housing.click("button[value=reply]")
    housing.wait_for_load_state()

    deputy.goto(f"/deputies/suggestions/{suggestion.pk}/")
    deputy.select_option("#result", value="dissatisfied")
    deputy.fill("#fb-note", "老人出行问题紧迫，请今年内解决。")
    deputy.click("button[value=feedback]")
    deputy.wait_for_load_state()
    assert "不满意·重办" in deputy.locator("#status").inner_text()

    housing.reload()
    housing.select_option("#reply-class", value="A")
    housing.select_option("#reply-mode", value="in_person")
    housing.fill("#reply-text", "已协调公交公司于本月在黄河路增设站点并投入使用。")
    housing.click("button[value=reply]")
    housing.wait_for_load_state()

    deputy.reload()
    deputy.click("button[value=feedback]")
    deputy.wait_for_load_state()
    assert "已办结" in deputy.locator("#status").inner_text()
    screenshot(deputy, "deputies-suggestion-closed")
    suggestion.refresh_from_db()
    assert suggestion.reply_count == 2 and suggestion.lead is not None and suggestion.lead.unit == world.housing

    phone.goto("/deputies/stations/bookings/")
    assert suggestion.number in phone.locator("main").inner_text()
