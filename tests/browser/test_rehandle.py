"""重办 in the browser: the hotline sends an order back after an unsatisfied follow-up, told the limit the
unit will have; an empty note is refused once; the unit's reply that repeats the rejected one is
flagged before it is sent, and the page labels the old follow-up as the earlier one (上次回访)."""

from __future__ import annotations

from typing import Any

import pytest

from huying.appeals import services
from huying.appeals.models import Appeal
from huying.appeals.states import Action, Resolution, Satisfaction, Status
from huying.appeals.tests.factories import appeal_in

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOISE = "黄河社区3号楼旁的工地每晚十点后还在施工，噪音很大，已经持续一周，希望尽快处理。"
FIRST_REPLY = "经查，施工单位夜间施工已责令停止，并要求其合理安排施工时间，避免再次扰民。"
SAME_AGAIN = "经查，施工单位夜间施工已责令停止，并要求其合理安排施工时间，避免扰民。"
NEW_REPLY = "城管执法大队连续三晚22时后现场检查，发现仍在作业，已立案处罚并暂扣设备，此后夜间未再施工。"


def test_rehandling_pushes_for_a_different_answer(new_page: Any, world: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING, content=NOISE)
    appeal = services.appeal_transition(actor=world.handler, appeal=appeal, action=Action.REPLY, note=FIRST_REPLY)
    services.appeal_transition(
        actor=world.operator,
        appeal=appeal,
        action=Action.FOLLOW_UP,
        resolution=Resolution.UNRESOLVED,
        satisfaction=Satisfaction.UNSATISFIED,
    )

    operator = new_page()
    login(operator, "operator")
    operator.goto(f"/appeals/{appeal.pk}/")
    head = operator.locator(".card-head [data-deadline]")
    assert head.get_attribute("data-deadline") == "stopped" and "已停止计时" in head.inner_text()
    form = operator.locator("#action-reopen")
    assert "5个工作日" in form.locator("#rehandle-limit").inner_text()
    form.locator("button[data-action=reopen]").click()
    operator.wait_for_load_state()
    body = operator.locator("body").inner_text()
    assert body.count("请填写重办意见。") == 1 and "请填写说明" not in body
    assert operator.locator("#action-error").count() == 0
    operator.locator("#action-reopen textarea[name=note]").fill("夜间仍在施工，请现场执法后再答复。")
    operator.locator("#action-reopen button[data-action=reopen]").click()
    operator.wait_for_load_state()
    assert Appeal.objects.get(pk=appeal.pk).status == Status.HANDLING

    unit = new_page()
    login(unit, "urban")
    unit.goto(f"/appeals/{appeal.pk}/")
    assert "上次回访" in unit.locator("#follow-up-result").inner_text()
    reply = unit.locator("#action-reply")
    reply.locator("textarea[name=note]").fill(SAME_AGAIN)
    reply.locator("button[data-action=reply]").click()
    unit.wait_for_load_state()
    warning = unit.locator("#reply-warnings [data-code=same_as_rejected]")
    assert warning.count() == 1 and "退回重办前的答复几乎相同" in warning.inner_text()
    screenshot(unit, "rehandle-same-reply-warned")
    assert Appeal.objects.get(pk=appeal.pk).status == Status.HANDLING
    unit.locator("#action-reply textarea[name=note]").fill(NEW_REPLY)
    unit.locator("#action-reply button[data-action=reply]").click()
    unit.wait_for_load_state()
    assert Appeal.objects.get(pk=appeal.pk).status == Status.REPLIED
