"""The open-day pages: public announcement and draw record, registration, the organiser's page."""

from __future__ import annotations

import pytest
from django.test import Client

from huying.core.notify import sms_outbox
from huying.opendays import services, states
from huying.opendays.models import Registration
from huying.selection.lottery import verify
from tests.fixtures import PASSWORD

from .factories import fill_pool, id_number, last_code, make_event

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def test_registration_page_sends_a_code_and_registers_once(world):
    od = make_event(world)
    services.event_transition(actor=od.organiser, event=od.event, action="announce")
    c = login(world.citizen)
    url = f"/opendays/{od.event.pk}/register/"
    assert "获取验证码" in c.get(url).content.decode()
    form = {
        "phone": "13700001111",
        "name": "张三",
        "id_number": id_number(__import__("datetime").date(1975, 3, 3), 7, True),
        "basis": "reside",
        "political_status": "masses",
        "occupation": "farming",
        "district": "东区",
        "household": "101室",
        "no_exclusion": "1",
    }
    c.post(url, {**form, "op": "code"})
    assert sms_outbox[-1][0] == "13700001111"
    r = c.post(url, {**form, "op": "submit", "code": last_code("13700001111")})
    assert r.status_code == 302
    reg = Registration.objects.get(event=od.event)
    assert reg.user == world.citizen and reg.occupation == "farming"
    c.post(url, {**form, "op": "code"})
    again = c.post(url, {**form, "op": "submit", "code": last_code("13700001111")})
    assert again.status_code == 400 and "已报名" in again.content.decode()
    assert Registration.objects.filter(event=od.event).count() == 1


def test_public_draw_page_publishes_what_is_needed_to_rerun_it(world):
    od = make_event(world)
    services.event_transition(actor=od.organiser, event=od.event, action="announce")
    fill_pool(od.event)
    org = login(od.organiser)
    page = f"/opendays/manage/{od.event.pk}/"
    org.post(page, {"op": "transition", "action": "close_registration"})
    org.post(page, {"op": "lottery"})
    org.post(page, {"op": "draw", "seed": "08 15 23"})
    r = org.post(page, {"op": "draw", "seed": "11 11 11"}, follow=True)
    assert "不能用其他种子重新抽签" in r.content.decode()
    anon = Client()
    html = anon.get(f"/opendays/{od.event.pk}/draw/").content.decode()
    drawn = od.event.draws.get(sequence=0)
    assert drawn.digest in html and "08 15 23" in html and "%" in html
    csv = anon.get(f"/opendays/{od.event.pk}/draws/0/panels.csv").content.decode()
    panels = [line.split(",", 1)[1].split() for line in csv.strip().splitlines()[1:]]
    ok, index, chosen = verify(panels, drawn.digest, "08 15 23")
    assert ok and index == drawn.index and chosen == drawn.chosen
    detail = anon.get(f"/opendays/{od.event.pk}/").content.decode()
    invited = Registration.objects.filter(event=od.event, status=states.INVITED)
    assert all(r.masked_name in detail for r in invited) and all(r.phone not in detail for r in invited)


def test_pages_are_closed_to_others(world):
    od = make_event(world)
    assert Client().get(f"/opendays/{od.event.pk}/").status_code == 404  # a draft is not public
    assert login(world.citizen).get(f"/opendays/manage/{od.event.pk}/").status_code == 404
    assert login(world.handler).get("/opendays/manage/").status_code == 404
    assert login(od.organiser).get(f"/opendays/manage/{od.event.pk}/figures/").status_code == 200


def test_bad_quotas_on_the_page_change_nothing(world):
    od = make_event(world)
    org = login(od.organiser)
    r = org.post(
        f"/opendays/manage/{od.event.pk}/",
        {"op": "quotas", "quotas": "feature,value,min,max\ngender,male,1,1\n"},
        follow=True,
    )
    assert "少于参加人数" in r.content.decode()
    assert od.event.quotas.count() == 6


def test_api_publishes_each_draw_record(world):
    od = make_event(world)
    services.event_transition(actor=od.organiser, event=od.event, action="announce")
    fill_pool(od.event)
    services.event_transition(actor=od.organiser, event=od.event, action="close_registration")
    services.lottery_publish(actor=od.organiser, event=od.event)
    services.draw_run(actor=od.organiser, event=od.event, seed="5 6 7")
    anon = Client()
    assert any(e["id"] == od.event.pk for e in anon.get("/api/v1/opendays/events/").json())
    (record,) = anon.get(f"/api/v1/opendays/events/{od.event.pk}/draws/").json()
    assert record["seed"] == "5 6 7" and record["panel_count"] == 1000 and len(record["chosen"]) == 4
    assert "phone" not in str(record) and anon.get("/api/v1/opendays/events/999999/draws/").status_code == 404


def test_organiser_excludes_an_ineligible_registrant_with_a_reason(world):
    od = make_event(world)
    services.event_transition(actor=od.organiser, event=od.event, action="announce")
    regs = fill_pool(od.event, n=8)
    org = login(od.organiser)
    page = f"/opendays/manage/{od.event.pk}/"
    r = org.post(page, {"op": "exclude", "number": regs[0].number, "note": ""}, follow=True)
    assert "请填写说明" in r.content.decode()
    org.post(page, {"op": "exclude", "number": regs[0].number, "note": "本街道在职工作人员"})
    regs[0].refresh_from_db()
    assert regs[0].status == states.EXCLUDED and regs[0].status_note == "本街道在职工作人员"
    from huying.opendays.services.draw import instance_for

    assert regs[0].number not in {p.id for p in instance_for(od.event).people}
