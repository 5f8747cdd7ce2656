"""A whole open day in the browser: quotas set and the day announced by the organiser, a resident
registering from a phone with an SMS code, the lottery published and drawn from a public seed, one
decline and a replacement drawn the same way, the forum, the leader's assignment dispatched as an
open-day appeal, the unit's reply, the resident closing it and seeing what became of their question."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.appeals.models import Appeal
from huying.appeals.states import Channel, Status
from huying.opendays import services, states
from huying.opendays.models import Registration
from huying.opendays.tests.factories import id_number, last_code, make_event, register

from .conftest import login, screenshot
from .test_appeal_loop import act, rate, status_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Four seats; the only registrant from 西区 (the resident) is sure to be drawn.
QUOTAS = "feature,value,min,max\ngender,male,1,3\ngender,female,1,3\ndistrict,东区,3,3\ndistrict,西区,1,1\n"


def organiser_op(page: Any, event_id: int, op: str, **fields: str) -> str:
    """Post one form of the organiser's page and return the message it answers with."""
    page.goto(f"/opendays/manage/{event_id}/")
    form = page.locator(f"form:has(input[name=op][value={op}])").first
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value=value)
        else:
            field.fill(value)
    form.locator("button").first.click()
    page.wait_for_load_state()
    return " ".join(page.locator(".messages").all_inner_texts())


def test_a_whole_open_day(new_page: Any, world: Any) -> None:
    od = make_event(world, quotas=QUOTAS)
    event = od.event
    organiser = new_page()
    login(organiser, "organiser")

    # Quotas that cannot fill the panel are refused with the reason; good ones are kept; the day is announced.
    bad = organiser_op(
        organiser, event.pk, "quotas", quotas="feature,value,min,max\ngender,male,0,1\ngender,female,0,1\n"
    )
    assert "少于参加人数" in bad
    organiser_op(organiser, event.pk, "quotas", quotas=QUOTAS)
    organiser.goto(f"/opendays/manage/{event.pk}/")
    organiser.click("button[value=announce]")
    organiser.wait_for_load_state()
    event.refresh_from_db()
    assert event.status == states.OPEN

    # The resident registers from a phone: code by SMS, ID number, household; once only.
    phone = new_page(mobile=True)
    login(phone, "citizen")
    phone.goto(f"/opendays/{event.pk}/register/")
    phone.fill("#r-phone", "13800138000")
    phone.click("button[value=code]")
    phone.wait_for_load_state()
    phone.fill("#r-code", last_code("13800138000"))
    phone.fill("#r-name", "张三")
    phone.fill("#r-id", id_number(dt.date(1968, 8, 8), 31, True))
    phone.check("#r-basis-reside")
    phone.select_option("#r-occupation", value="farming")
    phone.select_option("#r-district", value="西区")
    phone.fill("#r-household", "西区12号")
    phone.check("#r-none")
    screenshot(phone, "openday-1-register")
    phone.click("button[value=submit]")
    phone.wait_for_load_state()
    assert "报名成功" in " ".join(phone.locator(".messages").all_inner_texts())
    for i in range(6):
        register(event, 40 + i, male=i % 2 == 0, district="东区")

    # The lottery is published before the seed; the seed read out picks the panel.
    organiser.goto(f"/opendays/manage/{event.pk}/")
    organiser.click("button[value=close_registration]")
    organiser.wait_for_load_state()
    assert "抽签方案已公布" in organiser_op(organiser, event.pk, "lottery")
    assert "抽签完成" in organiser_op(organiser, event.pk, "draw", seed="08 15 23")
    assert organiser.locator("input[name=seed]").count() == 0  # no second draw is offered (refusal: test_pages)
    mine = Registration.objects.get(event=event, phone="13800138000")
    assert mine.status == states.INVITED
    public = new_page()
    public.goto(f"/opendays/{event.pk}/draw/")
    assert event.draws.get(sequence=0).digest in public.locator("body").inner_text()
    screenshot(public, "openday-2-draw")

    # One invited resident declines (by phone call); the replacement is drawn the same way.
    leaving = Registration.objects.filter(event=event, status=states.INVITED).exclude(pk=mine.pk).first()
    organiser.goto(f"/opendays/manage/{event.pk}/")
    organiser.locator(f"#reg-{leaving.number} button[value=decline]").click()
    organiser.wait_for_load_state()
    assert "替补方案已公布" in organiser_op(organiser, event.pk, "replacements")
    assert "抽签完成" in organiser_op(organiser, event.pk, "draw", seed="41")
    assert services.seats_open(event) == 0

    # The resident confirms on the phone.
    phone.goto("/opendays/mine/")
    phone.click("button[value=confirm]")
    phone.wait_for_load_state()
    mine.refresh_from_db()
    assert mine.status == states.CONFIRMED

    # The forum: the question recorded with the leader's answer, then assigned on the spot.
    organiser_op(organiser, event.pk, "forum", number=mine.number, text="冷库租金太高，果农储存苹果困难。",
                 answered_by="区长", answer="请城管局会同有关部门调研，一个月内答复。")  # fmt: skip
    promised = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    message = organiser_op(organiser, event.pk, "assign", owner=str(world.urban.pk), promised_by=promised)
    assert "已交办" in message
    appeal = Appeal.objects.get(channel=Channel.OPEN_DAY)
    assert appeal.status == Status.DISPATCHED and appeal.lead_unit_id == world.urban.pk
    screenshot(organiser, "openday-3-forum")

    # The unit replies; the resident is satisfied and closes it, and sees it closed on their open-day page.
    unit = new_page()
    login(unit, "urban")
    act(unit, appeal, "sign")
    act(unit, appeal, "reply", note="已调研，明年建设公共冷库，租金按成本价收取。")
    rate(phone, appeal, "已解决", "满意")
    assert status_of(appeal) == Status.CLOSED
    phone.goto("/opendays/mine/")
    items = phone.locator("#my-items").inner_text()
    assert appeal.number in items and str(Status.CLOSED.label) in items
    screenshot(phone, "openday-4-followed")
    organiser.goto(f"/opendays/manage/{event.pk}/figures/")
    assert "1 / 1 / 1" in organiser.locator("body").inner_text()
