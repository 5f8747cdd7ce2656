"""The pages answer with the right person's view, a clear message on bad input, and 404 for strangers."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import Workbook

from huying.appeals import services as appeal_services
from huying.core.errors import PermissionDenied
from huying.core.models import AuditLog
from huying.volunteers import services
from huying.volunteers.extra_models import CallOut
from huying.volunteers.models import Need
from huying.volunteers.services import excel
from tests.fixtures import PASSWORD

from .factories import LAT, LON, make_id, need, organiser, stations, volunteer


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_registration_page_refuses_a_taken_id_number_with_a_message(world):
    volunteer(1, ["elder_care"])
    page = _client(world.citizen).post("/volunteers/register/", {
        "real_name": "张三", "id_number": make_id(1), "phone": "13800138000", "skills": ["haircut"],
        "latitude": LAT, "longitude": LON,
    })  # fmt: skip
    assert page.status_code == 200 and "该身份证号码已经注册过志愿者" in page.content.decode()


def test_need_page_shows_what_each_person_may_do(world):
    stations(world)
    v = volunteer(1, ["elder_care"])
    org = organiser(world)
    n = need(world, ["elder_care"])
    as_volunteer = _client(v.user).get(f"/volunteers/needs/{n.pk}/").content.decode()
    assert 'id="claim"' in as_volunteer and "138****8000" not in as_volunteer
    as_organiser = _client(org).get(f"/volunteers/needs/{n.pk}/").content.decode()
    assert "推荐志愿者" in as_organiser and v.number in as_organiser and "13800138000" not in as_organiser
    assert _client(world.other_citizen).get(f"/volunteers/needs/{n.pk}/").status_code == 404
    claimed = _client(v.user).post(f"/volunteers/needs/{n.pk}/", {"action": "claim", "version": n.version})
    assert claimed.status_code == 302 and Need.objects.get().claimed_by == v
    stale = volunteer(2, ["elder_care"])
    page = _client(stale.user).post(
        f"/volunteers/needs/{n.pk}/", {"action": "claim", "version": n.version}, follow=True
    )
    assert "该需求已被其他志愿者认领" in page.content.decode() and Need.objects.get().claimed_by == v
    no_purpose = _client(v.user).post(f"/volunteers/needs/{n.pk}/", {"action": "reveal", "purpose": ""})
    assert "请填写查看事由" in no_purpose.content.decode() and not AuditLog.objects.exists()
    shown = _client(v.user).post(f"/volunteers/needs/{n.pk}/", {"action": "reveal", "purpose": "上门前电话确认"})
    assert "13800138000" in shown.content.decode()
    assert AuditLog.objects.get(kind=AuditLog.Kind.PERSONAL_DATA_VIEW).data["purpose"] == "上门前电话确认"
    with pytest.raises(PermissionDenied):
        services.need_reveal_contact(actor=stale.user, need=Need.objects.get(), purpose="好奇")
    with pytest.raises(PermissionDenied):  # not in any of the organiser's teams yet
        services.volunteer_reveal(actor=org, volunteer=v, purpose="核对身份")
    v.teams.add(services.team_create(actor=org, name="黄河社区志愿服务队", org_unit=world.community))
    assert services.volunteer_reveal(actor=org, volunteer=v, purpose="核对身份")["id_number"] == make_id(1)


def test_organiser_pages_and_strangers(world):
    station = stations(world)
    org = organiser(world)
    team = services.team_create(actor=org, name="学雷锋志愿服务队", org_unit=world.street)
    volunteer(1, ["rescue"], station=station)
    client = _client(org)
    for url in ("/volunteers/activities/", "/volunteers/hours/", "/volunteers/figures/", "/volunteers/callouts/",
                "/volunteers/register/import/"):  # fmt: skip
        assert client.get(url).status_code == 200, url
        assert _client(world.citizen).get(url).status_code == 404, url
    posted = client.post("/volunteers/callouts/", {"unit": world.street.pk, "title": "防汛", "target": "5",
                                                    "skills": ["rescue"], "stations": [station.parent_id]})  # fmt: skip
    assert posted.status_code == 302 and CallOut.objects.get().invites.count() == 1
    book = Workbook()
    book.active.append(list(excel.HEADERS))
    book.active.append(["王一", "123", "13900000011", "理发", "37.38", "117.97"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "register.xlsx"
    page = client.post("/volunteers/register/import/", {"team": team.pk, "file": buffer})
    assert page.status_code == 200 and "第2行" in page.content.decode()
    export = client.get(f"/volunteers/teams/{team.pk}/export.xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_operator_turns_an_appeal_into_a_need(world):
    stations(world)
    appeal = appeal_services.appeal_submit(  # the hotline records a call
        actor=world.operator, channel="hotline", appeal_type="help", title="独居老人需要有人帮忙买药", content="黄河社区独居老人行动不便，需要有人帮忙买药。",
        requester_name="王大爷", requester_phone="13900001111",
    ).appeal  # fmt: skip
    page = _client(world.operator).post("/volunteers/needs/from-appeal/", {
        "number": appeal.number, "skills": ["delivery"], "starts_at": "2030-01-02T09:00", "ends_at": "2030-01-02T11:00",
        "latitude": LAT, "longitude": LON,
    })  # fmt: skip
    assert page.status_code == 302
    made = Need.objects.get()
    assert (made.source, made.source_ref, made.contact_phone) == ("appeal", appeal.number, "13900001111")
    assert _client(world.citizen).get("/volunteers/needs/from-appeal/").status_code == 404


def test_a_volunteer_signs_up_from_the_home_page_and_waits_when_full(world):
    import datetime as dt

    from django.utils import timezone

    stations(world)
    org = organiser(world)
    start = timezone.now() + dt.timedelta(days=3)
    activity = services.activity_create(actor=org, org_unit=world.community, title="移动微服务站", address="黄河社区广场",
                                        latitude=LAT, longitude=LON, starts_at=start,
                                        ends_at=start + dt.timedelta(hours=3), capacity=1)[0]  # fmt: skip
    first, second = volunteer(1, ["haircut"]), volunteer(2, ["haircut"])
    assert "移动微服务站" in _client(first.user).get("/volunteers/").content.decode()
    page = _client(first.user).post(f"/volunteers/a/{activity.pk}/signup/", follow=True).content.decode()
    assert "报名成功" in page
    page = _client(second.user).post(f"/volunteers/a/{activity.pk}/signup/", follow=True).content.decode()
    assert "候补名单" in page
