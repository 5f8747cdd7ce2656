"""Lishan's chain in the browser (党员问事 → 小组理事 → 支部议事 → 两委办事 → 群众评事): a liaison member's
visit raises a matter on a phone, the party group drafts a proposal, the branch decides it with its
quorum, the committees carry it out and publish progress on the notice board through the four steps,
the representatives rate it at 85%, a rectification opens with a deadline, and a re-rating of 95%
closes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from huying.community.models import Rectification, Survey, Topic
from huying.community.states import RectificationStatus, TopicStatus
from huying.community.tests.factories import village
from huying.grids.models import Household
from huying.grids.spatial import grid_index_invalidate
from huying.grids.tests.factories import build

from .conftest import login, screenshot
from .test_grid_case_loop import photo_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ADDRESS = "东关村三组7号"


def _submit(page: Any, action: str) -> None:
    page.locator(f"button[name=action][value={action}]").first.click()
    page.wait_for_load_state()
    errors = page.locator(".form-error")
    assert errors.count() == 0, errors.first.inner_text()


def _meeting(page: Any, topic: Topic, option: str, present: int, yes: int) -> None:
    """Notify, sign in ``present`` members, ``yes`` of them for ``option`` and the rest against, tally."""
    page.goto(f"/community/topics/{topic.pk}/")
    page.fill("#m-notice", "请按时参加，讨论村西头路灯问题。")
    page.fill("#m-options", option)
    _submit(page, "schedule")
    page.click("#open-meeting")
    boxes = page.locator("#open-form input[name=present]")
    for i in range(present):
        boxes.nth(i).check()
    _submit(page, "open")
    selects = page.locator("#votes-form select")
    for i in range(present):
        selects.nth(i).select_option(label=option if i < yes else "不同意")
    _submit(page, "votes")
    page.fill("#minutes", "经表决通过。")
    _submit(page, "close")
    assert option in page.locator("#outcome").inner_text()


def _rate(page: Any, satisfied: int) -> None:
    selects = page.locator("#ballots-form select")
    for i in range(selects.count()):
        selects.nth(i).select_option(value="satisfied" if i < satisfied else "unsatisfied")
    _submit(page, "record")
    _submit(page, "close")


def test_lishan_chain_from_a_visit_to_a_closed_rectification(new_page: Any, world: Any) -> None:
    grid_index_invalidate()
    g = build(world)
    Household.objects.create(
        grid=g.west, number="0007", address=ADDRESS, liaison=g.liaison_post, visit_due_on=timezone.localdate()
    )
    village(world, liaison=g.liaison)

    # 党员问事: the liaison member visits on a phone and raises what they heard as a topic.
    member = new_page(mobile=True)
    login(member, "party1")
    member.goto("/grids/visits/")
    card = member.locator(".due-household", has_text=ADDRESS)
    card.locator("summary").click()
    card.locator("textarea[name=summary]").fill("入户走访，老人反映夜间出行不便。")
    card.locator("select[name=finding_category]").select_option("livelihood")
    card.locator("textarea[name=finding_text]").fill("村西头路灯坏了半年，老人晚上出门不便。")
    card.locator("button[type=submit]").click()
    member.wait_for_load_state()
    member.goto("/community/findings/")
    member.locator("form.finding input[name=title]").fill("修复村西头路灯")
    member.locator("form.finding button[type=submit]").click()
    member.wait_for_load_state()
    topic = Topic.objects.get()
    assert topic.number in member.locator("#topic-created").inner_text() and topic.source == Topic.Source.VISIT
    screenshot(member, "community-1-member-raises")

    # 小组理事 and 支部议事: the party group drafts, the branch decides with 5 of 7 present, 4 for.
    staff = new_page()
    login(staff, "cunwu")
    staff.goto(f"/community/topics/{topic.pk}/")
    staff.click("#accept")
    _meeting(staff, topic, "建议更换为太阳能路灯6盏", present=4, yes=4)
    _meeting(staff, topic, "同意更换太阳能路灯6盏，由两委负责实施", present=5, yes=4)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.DECIDED
    screenshot(staff, "community-2-branch-decides")

    # 两委办事: carried out step by step; the progress goes on the board through the four steps.
    staff.goto(f"/community/topics/{topic.pk}/")
    staff.fill("#ms-1", "采购安装太阳能路灯")
    _submit(staff, "start")
    staff.fill("#p-note", "已安装太阳能路灯4盏，其余2盏本周安装。")
    staff.set_input_files("#p-photo", photo_file("lamp.jpg"))
    staff.check("#p-publish")
    _submit(staff, "progress")
    staff.click(".topic-publication")
    publication_url = staff.url
    staff.click("[data-action=submit]")
    staff.wait_for_load_state()
    supervisor = new_page()
    login(supervisor, "jianwei")
    supervisor.goto(publication_url)
    supervisor.click("[data-action=pass]")
    supervisor.wait_for_load_state()
    staff.goto(publication_url)
    staff.click("[data-action=approve]")
    staff.wait_for_load_state()
    staff.click("[data-action=publish]")
    staff.wait_for_load_state()
    assert "已公开" in staff.locator("#publication-status").inner_text()
    resident = new_page(mobile=True)
    resident.goto("/community/board/dongguan/")
    assert "已安装太阳能路灯4盏" in resident.locator(".village-board").inner_text()
    screenshot(resident, "community-3-board-phone")
    staff.goto(f"/community/topics/{topic.pk}/")
    staff.fill("#c-note", "6盏路灯全部安装点亮。")
    _submit(staff, "complete")

    # 群众评事: the 20 representatives rate it at 85% — below 90%, a rectification opens with a deadline.
    staff.fill("#s-title", "村西头路灯项目群众满意度测评")
    _submit(staff, "survey")
    staff.click("text=村西头路灯项目群众满意度测评")
    _rate(staff, satisfied=17)
    assert staff.locator("#satisfaction").inner_text() == "85.00%"
    rect = Rectification.objects.get()
    assert rect.status == RectificationStatus.OPEN and rect.due > timezone.localdate()
    assert rect.due.isoformat() == staff.locator("#rect-due").inner_text()
    screenshot(staff, "community-4-rectification")
    staff.fill("#r-note", "加装2盏路灯，调整亮灯时间至凌晨。")
    _submit(staff, "report")
    staff.fill("#rr-title", "路灯整改再测评")
    _submit(staff, "rerate")
    staff.click("#rectification a")
    _rate(staff, satisfied=19)
    assert staff.locator("#satisfaction").inner_text() == "95.00%"
    rect.refresh_from_db()
    assert rect.status == RectificationStatus.CLOSED and Survey.objects.count() == 2
    staff.goto(f"/community/surveys/{rect.survey_id}/")
    assert "再测评达标，已销号" in staff.locator("#rect-status").inner_text()
    screenshot(staff, "community-5-closed")
