"""Steps of the chain through the services, shared by the tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from huying.community import services
from huying.community.models import Meeting, Topic

from .factories import Village


def hold(v: Village, topic: Topic, present: int, yes: int, *, option: str = "同意实施方案") -> Meeting:
    """Schedule (notice yesterday), open with ``present`` members, ``yes`` of them for ``option``, the rest against."""
    now = timezone.now()
    meeting = services.meeting_schedule(
        actor=v.staff, topic_id=topic.pk, held_at=now, notified_at=now - dt.timedelta(days=1),
        notice="会议通知：讨论议题。", options=[option],
    )  # fmt: skip
    members = list(meeting.body.members.order_by("id"))
    came = [m.pk for m in members[:present]]
    meeting = services.meeting_open(actor=v.staff, meeting_id=meeting.pk, version=meeting.version, present=came)
    adopt = meeting.options.get(rejects=False)
    reject = meeting.options.get(rejects=True)
    votes = {pk: (adopt.pk if i < yes else reject.pk) for i, pk in enumerate(came)}
    services.meeting_record_votes(actor=v.staff, meeting_id=meeting.pk, votes=votes)
    meeting.refresh_from_db()
    return services.meeting_close(actor=v.staff, meeting_id=meeting.pk, version=meeting.version, minutes="")
