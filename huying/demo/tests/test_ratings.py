"""demo_ratings: says so when no loop offers samples; otherwise rates a mix once, idempotently."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from huying.accounts.selectors import actor_for
from huying.core.registry import rating_samples
from huying.ratings.models import Complaint, Rating, RectificationCase
from huying.ratings.permissions import allowed_actions
from huying.ratings.states import CaseAction

pytestmark = pytest.mark.django_db


def test_no_samples(db: Any) -> None:
    saved = dict(rating_samples._items)
    rating_samples._items.clear()
    try:
        out = StringIO()
        call_command("demo_ratings", stdout=out)
        assert "rating_samples 为空" in out.getvalue()
    finally:
        rating_samples._items.update(saved)


def test_demo_mix_is_idempotent(world: Any, acts: Any, hall: Any) -> None:
    start = timezone.now() - dt.timedelta(days=2)
    for _ in range(20):
        acts.add(unit=world.urban, rater=world.citizen, occurred_at=start)
        acts.add(kind="window_visit", unit=world.housing, rater=None, phone="", occurred_at=start)
        acts.add(kind="appeal", unit=world.urban, rater=world.citizen, occurred_at=start)
    out = StringIO()
    call_command("demo_ratings", "--per-kind", "20", stdout=out)
    assert "新评价 60 件" in out.getvalue(), out.getvalue()
    levels = list(Rating.objects.values_list("level", flat=True))
    assert sum(1 for v in levels if v >= 4) > 40 and 0 < sum(1 for v in levels if v <= 2) < 15
    statuses = set(RectificationCase.objects.values_list("status", flat=True))
    assert {"open", "verified", "answered", "revisited", "closed"} <= statuses
    # The case left at 已回访 shows the supervisor a rater who is still unhappy, so 退回重新整改 is on offer.
    revisited = RectificationCase.objects.get(status="revisited")
    assert revisited.revisit_view == "unsatisfied"
    assert CaseAction.REDO in allowed_actions(actor_for(world.supervisor), revisited)
    assert Complaint.objects.filter(status="upheld").count() == 1
    assert Rating.objects.filter(excluded=True).count() == 1
    again = StringIO()
    call_command("demo_ratings", "--per-kind", "20", stdout=again)
    assert "新评价 0 件" in again.getvalue() and "跳过 60 件" in again.getvalue()
    assert Rating.objects.count() == 60 and Complaint.objects.count() == 1
