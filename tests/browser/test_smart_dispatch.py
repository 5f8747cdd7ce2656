"""Smart dispatch in a real browser: the workbench suggests a category, a repeat is merged, and a key
problem made from this week's hot issue closes all of its appeals with one reply."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from huying.appeals import services as appeal_services
from huying.appeals.models import Appeal
from huying.appeals.states import Action, Channel, Status
from huying.dispatch.models import DispatchSuggestion

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WELL = "石庙镇北村机井灌溉用电按商业电价收费，一度电贵了好几毛，浇一遍地多花两百多元，请供电公司核实电价"


def _web_appeal(world: Any, content: str, phone: str) -> Appeal:
    return appeal_services.appeal_submit(
        actor=world.operator,
        channel=Channel.WEB,
        appeal_type="complaint",
        content=content,
        requester_phone=phone,
        division=world.bincheng,
        detect_repeat=False,
    ).appeal


def test_suggestion_merge_and_key_problem(new_page: Any, world: Any) -> None:
    operator = new_page()
    login(operator, "operator")

    # 1. Typing the call brings a category suggestion; one click takes it, and the unit follows.
    operator.goto("/appeals/workbench/")
    operator.fill("textarea[name=content]", "市民来电：楼下工地夜间施工，噪音太大，孩子没法睡觉")
    chip = operator.locator(f"[data-pick-category='{world.cat_noise.pk}']")
    chip.wait_for()
    chip.click()
    assert operator.input_value("select[name=category]") == str(world.cat_noise.pk)
    expect(operator.locator("select[name=lead_unit]")).to_have_value(str(world.urban.pk), timeout=15_000)
    operator.fill("input[name=requester_phone]", "13612345678")
    screenshot(operator, "dispatch-1-suggestion")
    operator.click("button[name=mode][value=dispatch]")
    operator.wait_for_load_state()
    recorded = Appeal.objects.get(requester_phone="13612345678")
    assert recorded.status == Status.DISPATCHED and recorded.lead_unit == world.urban
    assert not DispatchSuggestion.objects.get(appeal=recorded).is_correction

    # 2. Three villagers wrote about the same well; the operator accepts two and merges the third.
    first, second = (
        _web_appeal(world, WELL + tail, phone) for tail, phone in (("", "13900000001"), ("！", "13900000002"))
    )
    for appeal in (first, second):
        appeal_services.appeal_transition(actor=world.operator, appeal=appeal, action=Action.ACCEPT)
    repeat = _web_appeal(world, "机井灌溉" + WELL[6:] + "，已经反映过了", "13900000003")
    operator.goto(f"/appeals/{repeat.pk}/")
    panel = operator.locator("#similar-appeals")
    assert first.number in panel.inner_text() and second.number in panel.inner_text()
    screenshot(operator, "dispatch-2-similar")
    panel.locator(f"[data-similar='{first.number}'] button[data-action=merge]").click()
    operator.wait_for_load_state()
    repeat.refresh_from_db()
    assert repeat.status == Status.MERGED and repeat.merged_into == first

    # 3. The supervisor sees the hot issue, makes it a key problem, holds the joint meeting, replies once.
    supervisor = new_page()
    login(supervisor, "supervisor")
    supervisor.goto("/dispatch/hot/")
    hot = supervisor.locator("#hot-1")
    assert first.number in hot.inner_text() and second.number in hot.inner_text()
    screenshot(supervisor, "dispatch-3-hot")
    hot.locator("button[data-action=to-key-problem]").click()
    supervisor.wait_for_load_state()
    supervisor.fill("input[name=title]", "北村机井灌溉电价")
    supervisor.select_option("select[name=lead_unit]", value=str(world.urban.pk))
    supervisor.click("button[data-action=create-key-problem]")
    supervisor.wait_for_load_state()
    problem_url = supervisor.url
    # The converted cluster names its key problem and is not offered for conversion again.
    supervisor.goto("/dispatch/hot/")
    hot = supervisor.locator("#hot-1")
    assert "北村机井灌溉电价" in hot.locator("[data-converted]").inner_text()
    assert hot.locator("button[data-action=to-key-problem]").count() == 0
    screenshot(supervisor, "dispatch-3b-hot-converted")
    supervisor.goto(problem_url)
    meeting = supervisor.locator("#meeting-form")
    meeting.locator("input[name=held_on]").fill("2026-11-20")
    meeting.locator("textarea[name=attendees]").fill("供电公司、农业农村局、石庙镇政府、北村村委")
    meeting.locator("textarea[name=findings]").fill("机井用电户被错误登记为商业用电")
    meeting.locator("textarea[name=decision]").fill("改按农业排灌电价，退还多收电费")
    meeting.locator("button[data-action=add-meeting]").click()
    supervisor.wait_for_load_state()
    supervisor.locator("#joint-reply-form textarea[name=reply]").fill(
        "经联席会议核实，北村机井已改按农业排灌电价计费，多收电费将于本月退还。"
    )
    supervisor.click("button[data-action=joint-reply]")
    supervisor.wait_for_load_state()
    assert supervisor.locator("#key-problem-status").inner_text().strip() == "已办结"
    screenshot(supervisor, "dispatch-4-key-problem")
    for appeal in (first, second):
        appeal.refresh_from_db()
        assert appeal.status == Status.CLOSED and "农业排灌电价" in appeal.reply_text
