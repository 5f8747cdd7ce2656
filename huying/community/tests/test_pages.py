"""Pages: the staff's own village only, the public board for anyone, bad input answered in Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from huying.community import errors, services
from huying.community.models import Objection, Topic
from tests.fixtures import PASSWORD

from .factories import village
from .helpers import hold

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_staff_pages_render_and_other_units_look_missing(world: Any) -> None:
    v = village(world)
    topic = services.topic_raise(actor=v.staff, unit=v.unit, title="修缮文化广场", text="广场地砖破损。")
    staff = _client(v.staff)
    assert staff.get("/community/").status_code == 302
    for url in (
        "/community/u/dongguan/",
        "/community/u/dongguan/topics/new/",
        "/community/u/dongguan/publications/new/",
        "/community/u/dongguan/figures/",
        "/community/u/dongguan/appraisals/",
        "/community/u/dongguan/documents/",
        f"/community/topics/{topic.pk}/",
    ):
        assert staff.get(url).status_code == 200, url
    stranger = _client(world.handler)
    assert stranger.get("/community/u/dongguan/").status_code == 404
    assert stranger.get(f"/community/topics/{topic.pk}/").status_code == 404
    citizen = _client(world.citizen)
    assert citizen.get(f"/community/topics/{topic.pk}/").status_code == 404
    assert staff.get("/community/u/dongguan/figures/?year=abc").status_code == 400


def test_a_meeting_without_quorum_is_refused_on_the_page_and_nothing_changes(world: Any) -> None:
    v = village(world)
    topic = services.topic_raise(actor=v.staff, unit=v.unit, title="修缮文化广场", text="广场地砖破损。")
    topic = services.topic_accept(actor=v.staff, topic_id=topic.pk, version=topic.version)
    now = timezone.now()
    meeting = services.meeting_schedule(
        actor=v.staff, topic_id=topic.pk, held_at=now, notified_at=now - dt.timedelta(days=1), notice="通知",
        options=["修缮"],
    )  # fmt: skip
    first = v.group.members.order_by("id").first()
    response = _client(v.staff).post(
        f"/community/meetings/{meeting.pk}/", {"action": "open", "version": meeting.version, "present": [first.pk]}
    )
    assert response.status_code == 200 and "到会人数未达到法定人数" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "notified"


def test_the_public_board_and_a_residents_objection(world: Any) -> None:
    v = village(world)
    topic = services.topic_raise(actor=v.staff, unit=v.unit, title="修缮文化广场", text="广场地砖破损。")
    topic = services.topic_accept(actor=v.staff, topic_id=topic.pk, version=topic.version)
    hold(v, topic, present=5, yes=5)
    hold(v, topic, present=5, yes=5)
    publication = Topic.objects.get(pk=topic.pk).publications.get()
    for actor, action in ((v.staff, "submit"), (v.supervisor, "pass"), (v.staff, "approve"), (v.staff, "publish")):
        publication.refresh_from_db()
        services.publication_act(actor=actor, publication_id=publication.pk, version=publication.version, action=action)
    page = Client().get("/community/board/dongguan/")
    assert page.status_code == 200 and "议题公开：修缮文化广场" in page.content.decode()
    assert Client().get("/community/board/nowhere/").status_code == 404
    citizen = _client(world.citizen)
    response = citizen.post(
        "/community/board/dongguan/act/", {"action": "object", "publication": publication.pk, "text": "费用偏高"}
    )
    assert response.status_code == 302 and Objection.objects.get().text == "费用偏高"


def test_the_api_board_duties_and_a_members_own_vote(world: Any) -> None:
    v = village(world)
    topic = services.topic_raise(actor=v.staff, unit=v.unit, title="修缮文化广场", text="广场地砖破损。")
    topic = services.topic_accept(actor=v.staff, topic_id=topic.pk, version=topic.version)
    now = timezone.now()
    meeting = services.meeting_schedule(
        actor=v.staff, topic_id=topic.pk, held_at=now, notified_at=now - dt.timedelta(days=1), notice="通知",
        options=["修缮"],
    )  # fmt: skip
    members = list(v.group.members.order_by("id"))
    services.meeting_open(actor=v.staff, meeting_id=meeting.pk, version=0, present=[m.pk for m in members[:3]])
    option = meeting.options.get(rejects=False)
    member = _client(members[0].user)
    ok = member.post(
        f"/api/v1/community/meetings/{meeting.pk}/vote/", {"option": option.pk}, content_type="application/json"
    )
    assert ok.status_code == 200 and meeting.votes.get().option_id == option.pk
    outsider = _client(v.branch.members.first().user)
    refused = outsider.post(
        f"/api/v1/community/meetings/{meeting.pk}/vote/", {"option": option.pk}, content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json()["code"] == errors.NOT_A_MEMBER and meeting.votes.count() == 1
    board = Client().get("/api/v1/community/boards/dongguan/")
    assert board.status_code == 200 and board.json()["unit"] == v.unit.name
    assert Client().get("/api/v1/community/boards/none/").status_code == 404
    duties = _client(v.staff).get("/api/v1/community/units/dongguan/duties/")
    assert duties.status_code == 200 and {d["state"] for d in duties.json()} <= {
        "ok",
        "due_soon",
        "overdue",
        "done",
        "late",
    }
    assert _client(world.handler).get("/api/v1/community/units/dongguan/duties/").status_code == 404
