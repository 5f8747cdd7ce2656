"""The ratings builder: rates a mix of the samples once, idempotently; nothing without samples."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.accounts.selectors import actor_for
from huying.demo.builders import ratings
from huying.demo.registry import DemoRun
from huying.ratings.models import Complaint, Rating, RectificationCase
from huying.ratings.permissions import allowed_actions
from huying.ratings.states import CaseAction
from huying.ratings.tests.conftest import _fresh_cache, acts, hall  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def rate(fake: Any, per_kind: int = 20) -> str:
    lines: list[str] = []
    run = DemoRun(write=lines.append, warn=lines.append, ratings_per_kind=per_kind)
    # The order the builder samples in: 12345 orders, applications, window visits.
    ratings.build(run, samplers={k: fake.sampler(k) for k in ("appeal", "application", "window_visit")})
    return "\n".join(lines)


def test_no_samples(db: Any) -> None:
    lines: list[str] = []
    ratings.build(DemoRun(write=lines.append), samplers={})
    assert "新评价 0 件" in lines[-1] and not Rating.objects.exists()


def test_demo_mix_is_idempotent(world: Any, acts: Any, hall: Any) -> None:  # noqa: F811
    start = timezone.now() - dt.timedelta(days=2)
    for _ in range(20):
        acts.add(unit=world.urban, rater=world.citizen, occurred_at=start)
        acts.add(kind="window_visit", unit=world.housing, rater=None, phone="", occurred_at=start)
        acts.add(kind="appeal", unit=world.urban, rater=world.citizen, occurred_at=start)
    out = rate(acts)
    assert "新评价 60 件" in out, out
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
    again = rate(acts)
    assert "新评价 0 件" in again and "跳过 60 件" in again
    assert Rating.objects.count() == 60 and Complaint.objects.count() == 1


def test_demo_ratings_follow_who_rates(world: Any, acts: Any, hall: Any) -> None:  # noqa: F811
    """Sources are set; nobody rates an act they served; staff-entered ratings are never 实名."""
    start = timezone.now() - dt.timedelta(days=1)
    for _ in range(10):
        acts.add(kind="window_visit", unit=world.housing, rater=None, occurred_at=start, served_by=(hall.clerk,))
        acts.add(kind="window_visit", unit=world.housing, rater=None, phone="", occurred_at=start)
    rate(acts, per_kind=20)
    sources = set(Rating.objects.values_list("source", flat=True))
    assert {"sms", "device"} <= sources
    assert not Rating.objects.filter(entered_by=hall.clerk).exists()
    assert not Rating.objects.filter(source__in=["staff", "hotline"], is_real_name=True).exists()
