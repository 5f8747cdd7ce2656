"""The appeal loop walked in a real browser, each person in their own session.

A citizen submits on the web (on a phone-sized screen) and tracks it by number and SMS code; the
operator accepts and dispatches; the unit signs and replies; the citizen rates it 不满意; the hotline
sends it back (重办); the unit replies again; the citizen rates it 满意 and the order closes; the
supervisor's dashboard counts follow each step.
"""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from playwright.sync_api import expect

from huying.appeals.models import Appeal
from huying.appeals.states import Status

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTENT = "滨城区黄河社区3号楼旁的工地每晚十点后还在施工，噪音很大，已经持续一周，希望尽快处理。"


def figure(page: Any, name: str) -> str:
    return str(page.locator(f"[data-figure={name}]").inner_text()).strip()


def dashboard(page: Any) -> dict[str, str]:
    page.goto("/dashboard/")
    return {name: figure(page, name) for name in ("received", "closure_rate", "reply_rate", "satisfaction_rate")}


def act(page: Any, appeal: Appeal, action: str, note: str = "", **selects: str) -> None:
    """Submit one action form on the staff detail page and check it did not come back with an error."""
    page.goto(f"/appeals/{appeal.pk}/")
    form = page.locator(f"#action-{action}")
    for name, value in selects.items():
        form.locator(f"select[name={name}]").select_option(value=value)
    if note:
        form.locator("textarea[name=note]").fill(note)
    form.locator(f"button[data-action={action}]").click()
    page.wait_for_load_state()
    assert page.locator("#action-error").count() == 0, page.locator("#action-error").inner_text()


def rate(page: Any, appeal: Appeal, resolution: str, satisfaction: str, note: str = "") -> None:
    page.goto(f"/appeals/{appeal.pk}/progress/")
    form = page.locator("#follow-up-form")
    form.get_by_label(resolution, exact=True).check()
    form.get_by_label(satisfaction, exact=True).check()
    if note:
        form.locator("textarea[name=note]").fill(note)
    form.locator("button[data-action=follow_up]").click()
    page.wait_for_load_state()


def status_of(appeal: Appeal) -> str:
    appeal.refresh_from_db()
    return appeal.status


def test_the_whole_loop_in_the_browser(new_page: Any, world: Any) -> None:
    supervisor = new_page()
    login(supervisor, "supervisor")
    assert dashboard(supervisor)["received"] == "0"

    # 1. The citizen submits on the web, from a phone.
    citizen = new_page(mobile=True)
    login(citizen, "citizen")
    citizen.goto("/appeals/new/")
    # Bad input first: nothing typed gets a clear message, not an error page, and the form keeps the rest.
    citizen.fill("input[name=address]", "黄河社区3号楼")
    citizen.click("button[type=submit]")
    assert "诉求内容" in citizen.locator(".field-error, .form-errors").first.inner_text()
    assert citizen.input_value("input[name=address]") == "黄河社区3号楼"
    citizen.get_by_label("投诉", exact=True).check()
    citizen.fill("textarea[name=content]", CONTENT)
    citizen.select_option("select[name=category]", value=str(world.cat_noise.pk))
    citizen.click("button[type=submit]")
    citizen.wait_for_load_state()
    number = citizen.locator("#appeal-number").inner_text().strip()
    screenshot(citizen, "loop-1-submitted")
    appeal = Appeal.objects.get(number=number)
    assert appeal.status == Status.SUBMITTED and appeal.requester_phone == "13800138000"
    assert dashboard(supervisor)["received"] == "1"

    # 2. Anyone with the number and the phone can track it with an SMS code (printed in development).
    sent: list[str] = []
    stranger = new_page(mobile=True)
    with mock.patch("huying.appeals.services.send_sms", side_effect=lambda *, phone, text: sent.append(text)):
        stranger.goto("/appeals/track/")
        stranger.fill("input[name=number]", number)
        stranger.fill("input[name=phone]", "13800138000")
        stranger.click("button[data-action=send-code]")
        stranger.wait_for_load_state()
    code = re.search(r"验证码为\s*(\d{6})", sent[-1])
    assert code, sent
    stranger.fill("input[name=code]", code.group(1))
    stranger.click("button[data-action=verify]")
    stranger.wait_for_load_state()
    assert stranger.locator("#appeal-number").inner_text().strip() == number
    assert "待受理" in stranger.locator("#public-detail").inner_text()

    # 3. The operator accepts it and dispatches it to the unit the 派单目录 names.
    operator = new_page()
    login(operator, "operator")
    operator.goto("/appeals/workbench/")
    assert number in operator.locator("body").inner_text()
    act(operator, appeal, "accept")
    act(operator, appeal, "dispatch", note="请核实夜间施工许可。", lead_unit=str(world.urban.pk))
    assert status_of(appeal) == Status.DISPATCHED

    # 4. The unit finds it in its inbox, signs for it and replies.
    unit = new_page()
    login(unit, "urban")
    unit.goto("/appeals/inbox/")
    row = unit.locator("tr", has_text=number)
    assert row.count() == 1 and row.locator("[data-deadline]").count() == 1
    screenshot(unit, "loop-2-inbox")
    act(unit, appeal, "sign")
    act(unit, appeal, "reply", note="已责令施工单位夜间停工，并安排执法人员巡查。")
    assert status_of(appeal) == Status.REPLIED
    assert dashboard(supervisor)["reply_rate"] == "100.0%"

    # 5. The citizen reads the reply and is not satisfied: the order is not closed.
    rate(citizen, appeal, "未解决", "不满意", note="昨晚还在施工。")
    assert status_of(appeal) == Status.UNSATISFIED
    assert "不满意" in citizen.locator("#public-detail").inner_text()
    figures = dashboard(supervisor)
    assert figures["closure_rate"] == "0.0%" and figures["satisfaction_rate"] == "0.0%"
    supervisor.goto("/appeals/board/")
    assert number in supervisor.locator("#section-unsatisfied").inner_text()

    # 6. The hotline sends it back to the unit (重办); the unit replies again.
    act(operator, appeal, "reopen", note="群众反映夜间仍在施工，请彻底整改。")
    assert status_of(appeal) == Status.HANDLING
    act(unit, appeal, "reply", note="已暂扣施工单位夜间作业设备，连续三晚现场核查，施工已停止。")
    assert status_of(appeal) == Status.REPLIED

    # 7. This time it is solved and the citizen is satisfied: the order closes.
    rate(citizen, appeal, "已解决", "满意")
    assert status_of(appeal) == Status.CLOSED
    timeline = citizen.locator(".timeline").inner_text()
    assert timeline.count("答复") >= 2 and "退回重办" in timeline
    screenshot(citizen, "loop-3-closed")

    figures = dashboard(supervisor)
    assert figures["received"] == "1"
    assert figures["closure_rate"] == "100.0%"
    assert figures["satisfaction_rate"] == "100.0%"
    screenshot(supervisor, "loop-4-dashboard")


def test_workbench_turns_a_call_into_a_dispatched_appeal(new_page: Any, world: Any) -> None:
    operator = new_page()
    login(operator, "operator")
    operator.goto("/appeals/workbench/")
    operator.fill("textarea[name=content]", "市民来电：渤海五路路面有个大坑，晚上骑车容易摔倒，请尽快修补。")
    operator.select_option("select[name=category]", value=str(world.cat_road.pk))
    # The 派单目录 suggests the unit as soon as the category is chosen.
    expect(operator.locator("select[name=lead_unit]")).not_to_have_value("", timeout=15_000)
    assert operator.input_value("select[name=lead_unit]") == str(world.urban.pk)
    operator.fill("input[name=requester_name]", "钱七")
    operator.fill("input[name=requester_phone]", "1361234567")  # one digit short
    operator.click("button[name=mode][value=dispatch]")
    operator.wait_for_load_state()
    assert "手机号" in operator.locator("body").inner_text()
    assert Appeal.objects.count() == 0
    operator.fill("input[name=requester_phone]", "13612345678")
    operator.click("button[name=mode][value=dispatch]")
    operator.wait_for_load_state()
    appeal = Appeal.objects.get()
    assert appeal.status == Status.DISPATCHED and appeal.lead_unit == world.urban
    screenshot(operator, "workbench-dispatched")
