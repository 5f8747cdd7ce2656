"""The deputies' pages: public ones open to anyone, staff ones answer 404 to people they are not for,
a refused action shows its message and changes nothing, a stale page is told someone else acted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from huying.deputies.models import Draft, Opinion
from huying.deputies.services import drafts as services
from tests.fixtures import PASSWORD

from .factories import build
from .fixtures_text import LIFAFA_2015

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _draft(d: Any) -> Draft:
    today = timezone.localdate()
    return services.draft_create(
        actor=d.staff, title="某条例（草案）", issuing_body="法工委", text=LIFAFA_2015,
        opens_on=today, closes_on=today + dt.timedelta(days=30), points=[d.point],
    )  # fmt: skip


def test_public_pages_open_and_staff_pages_are_not_found_for_others(world: Any) -> None:
    d = build(world)
    draft = _draft(d)
    anonymous = Client()
    for url in ("/deputies/drafts/", f"/deputies/drafts/{draft.pk}/", "/deputies/stations/", "/deputies/opinions/map/"):
        assert anonymous.get(url).status_code == 200, url
    citizen = _client("citizen")
    for url in (
        f"/deputies/drafts/{draft.pk}/work/",
        "/deputies/filing/",
        "/deputies/figures/",
        "/deputies/mediation/",
    ):
        assert citizen.get(url).status_code == 404, url
    staff = _client("lawstaff")
    for url in (
        f"/deputies/drafts/{draft.pk}/work/",
        "/deputies/filing/",
        "/deputies/figures/",
        "/deputies/suggestions/",
    ):
        assert staff.get(url).status_code == 200, url
    word = staff.get(f"/deputies/drafts/{draft.pk}/opinions.docx")
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_refused_opinion_shows_the_message_and_saves_nothing(world: Any) -> None:
    d = build(world)
    draft = _draft(d)
    citizen = _client("citizen")
    page = citizen.post(f"/deputies/drafts/{draft.pk}/", {"content": "匿名意见", "is_anonymous": "on"})
    assert page.status_code == 200 and "该草案要求实名提出意见" in page.content.decode()
    page = citizen.post(f"/deputies/drafts/{draft.pk}/", {"content": "x", "node": "999999"})
    assert "所选条文不在该草案的现行文本中" in page.content.decode()
    assert not Opinion.objects.exists()


def test_a_stale_page_is_told_the_opinion_changed_meanwhile(world: Any) -> None:
    d = build(world)
    draft = _draft(d)
    opinion = services.opinion_submit(actor=world.citizen, draft_id=draft.pk, content="建议")
    staff = _client("lawstaff")
    url = f"/deputies/drafts/{draft.pk}/work/"
    first = staff.post(url, {"action": "organise", "opinion": opinion.pk, "version": 0})
    assert first.status_code == 302
    second = _client("informant").post(url, {"action": "organise", "opinion": opinion.pk, "version": 0})
    assert "已被他人修改" in second.content.decode()
    opinion.refresh_from_db()
    assert opinion.version == 1
