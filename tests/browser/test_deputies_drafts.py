"""A draft opened at a contact point: a resident comments on an article from the phone, an informant
types in what a 流动板凳会 said, legislative staff answer each opinion, publish the summary notice
and export the Word report."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from huying.deputies.models import Opinion
from huying.deputies.services import drafts as services
from huying.deputies.tests.factories import build
from huying.deputies.tests.fixtures_text import LIFAFA_2015

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer(page: Any, number: str, outcome: str, reason: str) -> None:
    row = page.locator(f"#opinion-{number}")
    row.locator("button[value=submit]").click()
    page.wait_for_load_state()
    row = page.locator(f"#opinion-{number}")
    row.locator("select[name=outcome]").select_option(label=outcome)
    row.locator("input[name=reason]").fill(reason)
    row.locator("button[value=answer]").click()
    page.wait_for_load_state()


def test_a_draft_gets_online_and_offline_opinions_each_answered_notice_and_word(new_page: Any, world: Any) -> None:
    d = build(world)
    today = timezone.localdate()
    draft = services.draft_create(
        actor=d.staff, title="滨州市志愿服务条例（草案）", issuing_body="滨州市人大常委会法工委", text=LIFAFA_2015,
        opens_on=today - dt.timedelta(days=31), closes_on=today + dt.timedelta(days=5), points=[d.point],
    )  # fmt: skip

    phone = new_page(mobile=True)
    login(phone, "citizen")
    phone.goto(f"/deputies/drafts/{draft.pk}/")
    phone.locator("#node-{}".format(draft.nodes.get(label="第八条").pk)).get_by_text("对本条提意见").click()
    assert phone.locator("#o-node option:checked").inner_text() == "第八条"
    phone.fill("#o-passage", "诉讼和仲裁制度")
    phone.fill("#o-content", "建议写明“诉讼制度和仲裁基本制度”，与仲裁法衔接。")
    phone.check("input[name=may_publish]")
    screenshot(phone, "deputies-draft-phone")
    phone.click("text=提交意见")
    phone.wait_for_load_state()
    assert "意见已提交" in phone.locator("main").inner_text()

    informant = new_page()
    login(informant, "informant")
    informant.goto(f"/deputies/drafts/{draft.pk}/work/")
    informant.select_option("#s-kind", label="流动板凳会")
    informant.fill("#s-date", today.isoformat())
    informant.fill("#s-place", "彩虹湖社区广场")
    informant.fill("#s-att", "35")
    informant.click("button[value=session]")
    informant.wait_for_load_state()
    informant.select_option("#f-node", label="第二条")
    informant.fill("#f-name", "王大爷")
    informant.fill("#f-content", "部门规章也要听听老百姓的意见。")
    informant.click("button[value=offline]")
    informant.wait_for_load_state()
    for opinion in Opinion.objects.filter(draft=draft):
        informant.locator(f"#opinion-{opinion.number} button[value=organise]").click()
        informant.wait_for_load_state()
    assert Opinion.objects.filter(draft=draft, status="organised").count() == 2

    staff = new_page()
    login(staff, "lawstaff")
    staff.goto(f"/deputies/drafts/{draft.pk}/work/")
    online = Opinion.objects.get(draft=draft, channel="online")
    offline = Opinion.objects.get(draft=draft, channel="offline")
    assert offline.session is not None and offline.session.get_kind_display() == "流动板凳会"
    _answer(staff, online.number, "采纳", "已将第（十）项修改为“诉讼制度和仲裁基本制度”。")
    _answer(staff, offline.number, "留作参考", "规章制定程序另有规定，留作参考。")
    screenshot(staff, "deputies-draft-work")
    staff.click("button[value=close]")
    staff.wait_for_load_state()
    staff.click("button[value=notify]")
    staff.wait_for_load_state()
    with staff.expect_download() as download:
        staff.click("#export-word")
    import docx

    word = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    cells = {c.text for t in word.tables for row in t.rows for c in row.cells}
    assert {"采纳", "留作参考"} <= cells and "部门规章也要听听老百姓的意见。" in cells
    staff.click("text=征求意见情况通报")
    notice = staff.locator("main").inner_text()
    assert "共收到意见2条" in notice and "通过1场线下活动征集1条" in notice and "采纳1条" in notice

    phone.goto("/deputies/opinions/mine/")
    mine = phone.locator("main").inner_text()
    assert "采纳" in mine and "诉讼制度和仲裁基本制度" in mine
    screenshot(phone, "deputies-my-opinions-phone")
