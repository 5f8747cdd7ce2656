"""A 12345 order is rated like any other act of service (好差评 covers 12345 orders: 国办发〔2019〕51号 and the national 好差评 technical scheme).

The order becomes ratable once replied. The operator's follow-up call (回访) records the
citizen's satisfaction as the order's one rating, on the 12345热线 channel; the citizen may
instead rate it online first (the rating page, ``kind=appeal``). A bad rating opens the
rectification case in ``huying.ratings``, beside the re-handling (重办) the appeal loop orders.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.core.errors import HuyingError
from huying.core.registry import RatedAct
from huying.ratings.models import Rating
from huying.ratings.services import rating_submit
from huying.ratings.states import Channel as RatingChannel
from huying.ratings.states import Level

from .models import Appeal
from .states import Satisfaction, Status

logger = logging.getLogger(__name__)
KIND = "appeal"
RATABLE = (Status.REPLIED, Status.UNSATISFIED, Status.CLOSED)
FOLLOW_UP_LEVEL = {
    Satisfaction.SATISFIED: Level.SATISFIED,
    Satisfaction.BASICALLY: Level.BASICALLY_SATISFIED,
    Satisfaction.UNSATISFIED: Level.UNSATISFIED,
}


def _act(appeal: Appeal) -> RatedAct:
    return RatedAct(
        kind=KIND,
        ref=appeal.number or "",
        title=appeal.title,
        unit_id=appeal.lead_unit_id,
        rater_user_id=appeal.citizen_id,
        rater_phone=appeal.requester_phone,
        occurred_at=appeal.replied_at or appeal.closed_at or appeal.submitted_at,
    )


def rated_act(ref: str) -> RatedAct | None:
    appeal = (
        Appeal.objects.filter(number=ref, status__in=RATABLE)
        .exclude(replied_at__isnull=True, closed_at__isnull=True)
        .first()
    )
    return _act(appeal) if appeal else None


def rating_samples(limit: int) -> list[RatedAct]:
    """Recently replied orders nobody has rated yet (demo data)."""
    rated = Rating.objects.filter(kind=KIND).values("ref")
    qs = Appeal.objects.filter(status__in=RATABLE, replied_at__isnull=False).exclude(number__in=rated)
    return [_act(a) for a in qs.order_by("-replied_at")[:limit]]


def record_follow_up(appeal: Appeal, *, operator: User, satisfaction: str, note: str = "") -> Rating | None:
    """The follow-up's satisfaction as the order's rating, unless it is rated already.

    A rating that cannot be recorded (the order was rated online first, or the rating window of
    working days has passed) never blocks the follow-up itself: the savepoint keeps it apart.
    """
    level = FOLLOW_UP_LEVEL.get(Satisfaction(satisfaction)) if satisfaction in Satisfaction.values else None
    if level is None or not appeal.number or Rating.objects.filter(kind=KIND, ref=appeal.number).exists():
        return None
    try:
        with transaction.atomic():
            return rating_submit(
                kind=KIND,
                ref=appeal.number,
                level=int(level),
                channel=RatingChannel.HOTLINE,
                staff=operator,
                # A 差评 needs its reason; the operator's note of the call is it.
                comment=note.strip() or _("12345回访：%(view)s") % {"view": Satisfaction(satisfaction).label},
            )
    except HuyingError as exc:
        logger.info("follow-up of %s not recorded as a rating: %s", appeal.number, exc)
        return None
