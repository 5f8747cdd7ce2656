"""The supervisor's 派单模型表现 page: accuracy on decided suggestions by class, drift, 请标注."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from huying.accounts.selectors import actor_for
from huying.appeals.states import Status
from huying.appeals.tests.factories import appeal_in, submit
from huying.dispatch import performance
from huying.dispatch.models import DispatchSuggestion

pytestmark = pytest.mark.django_db


def _decided(world: Any, suggested: Any, chosen: Any, days_ago: int) -> DispatchSuggestion:
    appeal = appeal_in(world, Status.DISPATCHED)
    record, _ = DispatchSuggestion.objects.update_or_create(
        appeal=appeal,
        defaults={
            "source": DispatchSuggestion.Source.MODEL,
            "category": suggested,
            "confidence": 0.6,
            "auto_dispatched": False,
            "chosen_category": chosen,
            "is_correction": suggested != chosen,
            "decided_at": timezone.now() - dt.timedelta(days=days_ago),
        },
    )
    return record


def _open(world: Any, alternatives: list[float], unreliable: str = "", category: Any = None) -> DispatchSuggestion:
    appeal = submit(world)
    record, _ = DispatchSuggestion.objects.update_or_create(
        appeal=appeal,
        defaults={
            "source": DispatchSuggestion.Source.MODEL,
            "category": category or world.cat_road,
            "confidence": alternatives[0],
            "alternatives": [{"category": world.cat_road.pk, "name": "x", "confidence": c} for c in alternatives],
            "unreliable": unreliable,
            "auto_dispatched": False,
            "decided_at": None,
            "chosen_category": None,
        },
    )
    return record


def test_accuracy_by_class_and_drift(world: Any) -> None:
    road, noise = world.cat_road, world.cat_noise
    for i in range(6):  # road: right 6 of 6 in the previous period, 2 of 6 now
        _decided(world, road, road, days_ago=40)
        _decided(world, road, road if i < 2 else noise, days_ago=5)
    for _i in range(3):
        _decided(world, noise, noise, days_ago=3)
    _decided(world, noise, noise, days_ago=200)  # outside both periods
    report = performance.model_performance(actor_for(world.supervisor), days=30)
    assert report["decided"] == 9
    assert report["accuracy"] == pytest.approx(5 / 9)
    assert report["previous_decided"] == 6 and report["previous_accuracy"] == 1.0
    rows = {r.category: r for r in report["classes"]}
    road_row = rows[str(road)]
    assert (road_row.decided, road_row.correct, road_row.previous_decided) == (6, 2, 6)
    assert road_row.drifting and road_row.top_corrections == [(str(noise), 4)]
    assert not rows[str(noise)].drifting  # no previous period to compare with
    assert [r.category for r in report["drifting"]] == [str(road)]


def test_label_requests_rank_uncertain_and_unlike_history_first(world: Any) -> None:
    sure = _open(world, [0.9, 0.05])
    unsure = _open(world, [0.41, 0.39])
    odd = _open(world, [0.5, 0.1], unreliable="unlike_history")
    decided = _decided(world, world.cat_road, world.cat_road, days_ago=1)
    rows = performance.label_requests(actor_for(world.supervisor))
    order = [r.appeal.pk for r in rows]
    assert decided.appeal_id not in order
    assert order.index(odd.appeal_id) < order.index(sure.appeal_id)
    assert order.index(unsure.appeal_id) < order.index(sure.appeal_id)
    assert any("与历史工单差异大" in w for w in rows[order.index(odd.appeal_id)].why)


def test_page_for_supervisor_only(client: Client, world: Any) -> None:
    url = reverse("dispatch:model")
    _decided(world, world.cat_road, world.cat_noise, days_ago=2)
    request = _open(world, [0.4, 0.35])
    client.force_login(world.supervisor)
    for days in ("30", "90"):
        page = client.get(url, {"days": days})
        assert page.status_code == 200
    body = page.content.decode()
    assert "派单模型表现" in body and request.appeal.number in body
    assert "不自动派单" in body or "尚未训练模型" in body
    assert reverse("appeals:detail", args=[request.appeal.pk]) in body
    for who in ("operator", "handler", "citizen"):
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 404, who
