"""Smart dispatch's confidence in a real browser: the operator sees why a text gets no automatic
category (junk, another language) and a clear message is suggested and selected."""

from __future__ import annotations

from typing import Any

import pytest

from huying.dispatch import classifier, services
from huying.dispatch.models import ClassifierModel

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOISE = [
    "小区旁边工地夜间施工噪音太大，晚上十一点还在打桩，影响休息",
    "广场舞音响声音太大，噪音扰民，每天晚上跳到十点",
    "楼下饭店油烟机噪音很大，夜里一直响，睡不着觉",
    "附近KTV夜间噪音扰民，凌晨还在唱歌",
    "建筑工地凌晨施工，机器轰鸣噪音严重扰民",
]
ROAD = [
    "路面有个大坑，车辆经过很危险，请尽快修补道路",
    "人行道地砖破损翘起，老人容易摔倒，道路需要维修",
    "主干道井盖周围路面塌陷，形成深坑，道路破损严重",
    "道路中间裂缝越来越大，下雨积水，路面坑洼不平",
    "公交站旁道路破损，坑洼很多，电动车经常颠簸摔倒",
]
SUFFIXES = ("", "，请处理", "，希望管一管", "。")
CLEAR = "小区门口道路塌陷出现一个大坑已经一周，电动车经过很危险，请尽快修补"


def _train(world: Any) -> ClassifierModel:
    """A model trained from this test's own history, dispatching by itself at 50 %."""
    texts = [t + s for t in NOISE for s in SUFFIXES] + [t + s for t in ROAD for s in SUFFIXES]
    labels = [str(world.cat_noise.pk)] * (len(NOISE) * len(SUFFIXES))
    labels += [str(world.cat_road.pk)] * (len(ROAD) * len(SUFFIXES))
    model = classifier.train(texts, labels)
    return ClassifierModel.objects.create(
        n_samples=len(texts), n_classes=2, is_active=True, threshold=0.5, payload=services.model_to_bytes(model)
    )


def _type(page: Any, text: str, expect: str) -> Any:
    """Type the call's content and wait for the suggestion that answers it (it contains ``expect``)."""
    page.fill("textarea[name=content]", text)
    body = page.locator("#category-suggestion-body", has_text=expect)
    body.wait_for(timeout=10_000)
    return body


def test_unreliable_texts_say_why_and_a_clear_one_is_selected(new_page: Any, world: Any) -> None:
    _train(world)
    operator = new_page()
    login(operator, "operator")
    operator.goto("/appeals/workbench/")
    category = "select[name=category]"

    junk = _type(operator, "啊啊啊", "内容过短")
    assert junk.get_attribute("data-auto") != "1"
    assert "内容过短" in junk.inner_text() and "已自动选择" not in junk.inner_text()
    assert operator.input_value(category) == ""
    screenshot(operator, "dispatch-confidence-1-junk")

    english = _type(operator, "The street light outside my building has been broken for a week.", "非中文内容")
    assert english.get_attribute("data-auto") != "1"
    assert "非中文内容" in english.inner_text() and "已自动选择" not in english.inner_text()
    assert operator.input_value(category) == ""

    clear = _type(operator, CLEAR, "高置信度")
    assert clear.get_attribute("data-category") == str(world.cat_road.pk)
    assert clear.get_attribute("data-auto") == "1" and "高置信度，已自动选择" in clear.inner_text()
    operator.wait_for_function(f"document.querySelector('{category}').value === '{world.cat_road.pk}'", timeout=10_000)
    screenshot(operator, "dispatch-confidence-2-clear")


def test_supervisor_sees_the_model_page(new_page: Any, world: Any) -> None:
    _train(world)
    supervisor = new_page()
    login(supervisor, "supervisor")
    supervisor.goto("/dispatch/model/")
    assert "≥ 50%" in supervisor.locator("#model-threshold").inner_text()
    supervisor.click("a[href='?days=90']")
    supervisor.wait_for_load_state()
    assert supervisor.locator("#label-requests").is_visible()
    screenshot(supervisor, "dispatch-confidence-3-model")
