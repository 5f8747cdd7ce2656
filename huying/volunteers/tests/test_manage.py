"""The organiser's pages: projects, teams and stations; an activity on the 17th of every month; the
学雷锋岗 roster (no double booking, swaps approved, check-in by the hall's QR from the volunteer's
phone); courses and trained person-times — each refusal a message on the form, and nothing outside
the organiser's units."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from huying.accounts.roles import Role
from huying.volunteers.activity_models import Activity, Project
from huying.volunteers.extra_models import Course, DutyShift
from huying.volunteers.models import Station, Team
from tests.fixtures import PASSWORD, make_user

from .factories import LAT, LON, organiser, stations, volunteer

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_projects_teams_and_stations_are_added_within_the_organisers_units(world: Any) -> None:
    centre = stations(world)
    org = _client(organiser(world))
    project = {"form": "project", "project-name": "乡村儒学讲堂", "project-kind": "culture",
               "project-owner": world.street.pk, "project-target_group": ""}  # fmt: skip
    refused = org.post("/volunteers/manage/", project)
    assert refused.status_code == 400 and not Project.objects.exists()
    assert org.post("/volunteers/manage/", project | {"project-target_group": "村民"}).status_code == 302
    team = {"form": "team", "team-name": "361志愿服务队", "team-org_unit": world.street.pk, "team-station": centre.pk}
    lead = volunteer(1, ["elder_care"])
    nobody = org.post("/volunteers/manage/", team | {"team-leader": "13999999999"})
    assert nobody.status_code == 400 and "没有找到" in nobody.content.decode()
    assert org.post("/volunteers/manage/", team | {"team-leader": lead.number}).status_code == 302
    made = Team.objects.get(name="361志愿服务队")
    assert made.leader == lead and made in lead.teams.all()
    again = org.post("/volunteers/manage/", team)
    assert again.status_code == 400 and "队伍名称" in again.content.decode()
    station = {"form": "station", "st-name": "黄河二路志愿服务站", "st-level": "station",
               "st-org_unit": world.community.pk, "latitude": "91", "longitude": str(LON)}  # fmt: skip
    bad_place = org.post("/volunteers/manage/", station)
    assert bad_place.status_code == 400 and not Station.objects.filter(name="黄河二路志愿服务站").exists()
    assert org.post("/volunteers/manage/", station | {"latitude": str(LAT)}).status_code == 302
    page = org.get("/volunteers/manage/").content.decode()
    assert "乡村儒学讲堂" in page and "361志愿服务队" in page and "黄河二路志愿服务站" in page
    # Another district's organiser neither sees them nor can add to this street.
    other = _client(make_user("volorg2", Role.VOLUNTEER_ORG, world.urban))
    assert "361志愿服务队" not in other.get("/volunteers/manage/").content.decode()
    assert other.post("/volunteers/manage/", team | {"team-name": "别队"}).status_code == 400
    assert not Team.objects.filter(name="别队").exists()


def test_an_activity_on_the_17th_of_every_month(world: Any) -> None:
    stations(world)
    org = _client(organiser(world))
    start = (timezone.localtime() + dt.timedelta(days=40)).replace(day=17, hour=9, minute=0, second=0, microsecond=0)
    form = {"title": "流动微服务", "org_unit": world.street.pk, "address": "市中街道文化广场",
            "latitude": str(LAT), "longitude": str(LON), "starts_at": _local(start),
            "ends_at": _local(start - dt.timedelta(hours=1)), "capacity": "20", "skills": ["elder_care"],
            "monthly_day": "17", "months": "3"}  # fmt: skip
    backwards = org.post("/volunteers/activities/new/", form)
    assert backwards.status_code == 400 and not Activity.objects.exists()
    done = org.post("/volunteers/activities/new/", form | {"ends_at": _local(start + dt.timedelta(hours=3))})
    assert done.status_code == 302
    days = sorted(timezone.localtime(a.starts_at).date() for a in Activity.objects.all())
    assert len(days) == 3 and {d.day for d in days} == {17} and len({(d.year, d.month) for d in days}) == 3


def test_the_duty_roster_swaps_and_the_check_in_at_the_hall(world: Any) -> None:
    stations(world)
    org_user = organiser(world)
    org = _client(org_user)
    a, b = volunteer(1, ["elder_care"]), volunteer(2, ["elder_care"])
    start = timezone.now() + dt.timedelta(days=2)
    shift = {"form": "shift", "hall": world.street.pk, "volunteer": a.number, "starts_at": _local(start),
             "ends_at": _local(start + dt.timedelta(hours=4))}  # fmt: skip
    assert org.post("/volunteers/duty/", shift).status_code == 302
    overlap = org.post("/volunteers/duty/", shift | {"starts_at": _local(start + dt.timedelta(hours=1))})
    assert overlap.status_code == 400 and "已有其他值班" in overlap.content.decode()
    unknown = org.post("/volunteers/duty/", shift | {"volunteer": "13999999999"})
    assert unknown.status_code == 400 and "没有找到" in unknown.content.decode()
    booked = DutyShift.objects.get()
    # a asks to hand it to b (by phone); the organiser approves on the roster.
    mine = _client(a.user)
    swap = mine.post(f"/volunteers/duty/{booked.pk}/swap/", {"to": b.phone, "version": booked.version})
    assert swap.status_code == 302
    booked.refresh_from_db()
    assert booked.swap_to == b and "批准换班" in org.get("/volunteers/duty/").content.decode()
    org.post("/volunteers/duty/", {"form": "approve", "shift": booked.pk, "version": booked.version})
    booked.refresh_from_db()
    assert booked.volunteer == b and booked.swap_to is None
    # The hall's screen shows a rotating code; b checks in with it when the shift is on.
    qr = org.get(f"/volunteers/duty/{booked.pk}/qr/").content.decode()
    link = re.search(r'id="checkin-link" href="https?://[^/]+(/volunteers/duty/\d+/checkin/[^"]+)"', qr)
    assert link and "<svg" in qr
    assert _client(a.user).get(link.group(1)).status_code == 404  # no longer a's shift
    early = _client(b.user).post(link.group(1))
    assert early.status_code == 200 and "不在活动时间内" in early.content.decode()
    DutyShift.objects.filter(pk=booked.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    assert _client(b.user).post(link.group(1)).status_code == 302
    assert DutyShift.objects.get(pk=booked.pk).checked_in_at is not None
    stale = _client(b.user).post(f"/volunteers/duty/{booked.pk}/checkin/{'0' * 16}/")
    assert "二维码" in stale.content.decode() or "签到码" in stale.content.decode()


def test_courses_and_trained_person_times(world: Any) -> None:
    stations(world)
    org = _client(organiser(world))
    a, b = volunteer(1, ["elder_care"]), volunteer(2, ["elder_care"])
    held = _local(timezone.now() - dt.timedelta(days=1))
    assert org.post("/volunteers/training/", {"name": "", "org_unit": world.street.pk, "held_at": held,
                                              "hours": "2"}).status_code == 400  # fmt: skip
    made = org.post("/volunteers/training/", {"name": "应急救护培训", "org_unit": world.street.pk, "held_at": held,
                                              "hours": "2"})  # fmt: skip
    course = Course.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/volunteers/training/{course.pk}/"
    unknown = org.post(f"/volunteers/training/{course.pk}/", {"people": f"{a.number}\n19900000000"})
    assert unknown.status_code == 400 and "19900000000" in unknown.content.decode()
    assert course.attendance.count() == 0  # all or nothing
    org.post(f"/volunteers/training/{course.pk}/", {"people": f"{a.number}\n{b.phone}\n{a.number}"})
    assert course.attendance.count() == 2
    org.post(f"/volunteers/training/{course.pk}/", {"people": a.number})
    assert course.attendance.count() == 2  # once per person
