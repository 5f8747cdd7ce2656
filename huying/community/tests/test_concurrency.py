"""Two clerks closing the same meeting at the same moment: exactly one tally counts, the topic
advances one step (PostgreSQL in CI; SQLite's in-memory test database retries its table lock)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.community import services
from huying.community.models import Meeting, Topic
from tests.fixtures.concurrency import race

from .factories import person, village


@pytest.mark.django_db(transaction=True)
def test_two_clerks_closing_one_meeting_at_once_one_tally_counts(world: Any) -> None:
    v = village(world)
    RoleAssignment.objects.create(user=person("cunwu2"), role=Role.COMMUNITY_STAFF, org_unit=v.unit)
    topic = services.topic_raise(actor=v.staff, unit=v.unit, title="修缮文化广场", text="广场地砖破损。")
    topic = services.topic_accept(actor=v.staff, topic_id=topic.pk, version=topic.version)
    now = timezone.now()
    meeting = services.meeting_schedule(
        actor=v.staff, topic_id=topic.pk, held_at=now, notified_at=now - dt.timedelta(days=1), notice="通知",
        options=["修缮"],
    )  # fmt: skip
    came = [m.pk for m in v.group.members.order_by("id")[:4]]
    meeting = services.meeting_open(actor=v.staff, meeting_id=meeting.pk, version=meeting.version, present=came)
    option = meeting.options.get(rejects=False)
    services.meeting_record_votes(actor=v.staff, meeting_id=meeting.pk, votes=dict.fromkeys(came, option.pk))
    seen = Meeting.objects.get(pk=meeting.pk).version
    outcomes = race(
        [
            lambda name=name: services.meeting_close(
                actor=User.objects.get(username=name), meeting_id=meeting.pk, version=seen
            )
            for name in ("cunwu", "cunwu2")
        ]
    )
    assert outcomes == ["changed_meanwhile", "ok"]
    fresh = Topic.objects.get(pk=topic.pk)
    assert fresh.step == 2 and fresh.proposal == "修缮"
