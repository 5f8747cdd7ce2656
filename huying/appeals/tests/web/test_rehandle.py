"""重办: an order sent back after an unsatisfied follow-up gets a fresh, stated limit, its page tells
the earlier follow-up from the new reply, a stopped clock reads as stopped, and a reply that repeats
the rejected one is flagged before it is sent."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from huying.appeals import services
from huying.appeals.models import Appeal, AppealEvent
from huying.appeals.states import Action, Resolution, Satisfaction, Status
from huying.appeals.system_notes import note_text
from huying.appeals.tests.factories import appeal_in

FIRST_REPLY = "经查，施工单位夜间施工已责令停止，并要求其合理安排施工时间，避免再次扰民。"
SAME_AGAIN = "经查，施工单位夜间施工已责令停止，并要求其合理安排施工时间，避免扰民。"
NOISE = "市中街道黄河社区有一处施工工地夜间施工，噪音扰民，已持续一周，请求处理。"
NEW_REPLY = "城管执法大队于5月12日晚22时现场检查，施工单位仍在作业，已立案处罚并扣押设备，今后每晚巡查。"


def _unsatisfied(world: Any) -> Appeal:
    appeal = appeal_in(world, Status.HANDLING, content=NOISE)
    appeal = services.appeal_transition(actor=world.handler, appeal=appeal, action=Action.REPLY, note=FIRST_REPLY)
    return services.appeal_transition(
        actor=world.operator,
        appeal=appeal,
        action=Action.FOLLOW_UP,
        resolution=Resolution.UNRESOLVED,
        satisfaction=Satisfaction.UNSATISFIED,
    )


def _chip(page: str) -> str:
    found = re.search(r'<span class="deadline deadline-(\w+)"[^>]*>(.*?)</span>', page)
    assert found, "no deadline chip"
    return found.group(1) + " " + found.group(2)


def test_a_replied_order_says_its_clock_has_stopped(client: Client, world: Any) -> None:
    appeal = _unsatisfied(world)
    client.force_login(world.operator)
    chip = _chip(client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode())
    assert chip.startswith("stopped ") and "已停止计时" in chip and "无时限" not in chip


def test_an_empty_reopen_note_is_refused_once_in_one_wording(client: Client, world: Any) -> None:
    appeal = _unsatisfied(world)
    client.force_login(world.operator)
    url = reverse("appeals:act", args=[appeal.pk])
    response = client.post(url, {"action": "reopen", "version": appeal.version, "note": "  "})
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("请填写重办意见。") == 1
    assert "请填写说明" not in page and "此操作需要填写说明" not in page
    assert 'id="action-error"' not in page  # no banner repeating what the form says
    assert Appeal.objects.get(pk=appeal.pk).status == Status.UNSATISFIED


def test_reopening_states_the_limit_and_counts_it_afresh(client: Client, world: Any) -> None:
    appeal = _unsatisfied(world)
    first_due = appeal.due_at
    assert first_due is not None
    client.force_login(world.operator)
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    stated = re.search(r'id="rehandle-limit">([^<]*)<', page)
    assert stated and "5个工作日" in stated.group(1) and "重新计算" in stated.group(1)

    later = first_due + dt.timedelta(days=10)  # sent back long after the first limit ran out
    reopened = services.appeal_transition(
        actor=world.operator, appeal=appeal, action=Action.REOPEN, note="夜间仍在施工，请现场执法。", now=later
    )
    assert reopened.status == Status.HANDLING and reopened.due_at is not None
    assert reopened.due_at > later > first_due and not reopened.is_overdue
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    local_due = timezone.localtime(reopened.due_at).strftime("%Y-%m-%d %H:%M")
    assert f"重办时限5个工作日，自退回时重新计算，至{local_due}" in page
    assert local_due in _chip(page)
    # The unsatisfied follow-up belongs to the first reply now.
    assert "上次回访：未解决 · 不满意" in page and "回访结果：" not in page
    assert "上次答复（已退回重办）" in page


def test_a_reply_like_the_rejected_one_is_flagged_before_it_is_sent(client: Client, world: Any) -> None:
    appeal = _unsatisfied(world)
    appeal = services.appeal_transition(actor=world.operator, appeal=appeal, action=Action.REOPEN, note="未解决")
    client.force_login(world.handler)
    url = reverse("appeals:act", args=[appeal.pk])
    warned = client.post(url, {"action": "reply", "version": appeal.version, "note": SAME_AGAIN})
    page = warned.content.decode()
    assert warned.status_code == 400 and 'data-code="same_as_rejected"' in page
    assert "退回重办前的答复几乎相同" in page
    assert Appeal.objects.get(pk=appeal.pk).status == Status.HANDLING
    # A different answer goes through without that warning.
    sent = client.post(url, {"action": "reply", "version": appeal.version, "note": NEW_REPLY})
    assert sent.status_code == 302
    assert Appeal.objects.get(pk=appeal.pk).status == Status.REPLIED


def test_a_first_reply_is_not_compared_with_anything(world: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING)
    appeal = services.appeal_transition(actor=world.handler, appeal=appeal, action=Action.REPLY, note=FIRST_REPLY)
    event = AppealEvent.objects.filter(appeal=appeal, action=Action.REPLY).get()
    assert "same_as_rejected" not in [w["code"] for w in event.data.get("reply_warnings", [])]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_notes_the_system_writes_read_in_the_readers_language(world: Any, language: str) -> None:
    appeal = appeal_in(world, Status.HANDLING)
    services.appeals_sweep_overdue(now=appeal.due_at + dt.timedelta(hours=1))
    event = AppealEvent.objects.filter(appeal=appeal, action="overdue").get()
    assert event.note == "工单已超期，系统自动1级督办。"  # the record keeps the Chinese text
    with translation.override(language):
        shown = note_text(event.note, event.data)
    if language == "en":
        assert "overdue" in shown.lower() and not re.search(r"[\u4e00-\u9fff]", shown)
    else:
        assert shown == event.note


def test_english_pages_use_western_punctuation_and_plurals(client: Client, world: Any) -> None:
    appeal = _unsatisfied(world)
    client.force_login(world.operator)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("appeals:detail", args=[appeal.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Clock stopped" in _chip(page) and "（" not in _chip(page)
    assert "Status: " in page and "Status：" not in page
    assert "5 working days" in page
    with translation.override("en"):
        from huying.appeals.web.presenters import time_limit_text

        assert time_limit_text(1, "workdays") == "1 working day" and time_limit_text(2, "hours") == "2 hours"
