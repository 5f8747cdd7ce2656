"""Reception days as data, bookings, and a reception routed in one step (to 12345, a suggestion,
mediation or a community consultation), with the visitor told."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.appeals.models import Appeal
from huying.appeals.states import Channel
from huying.core.errors import ValidationFailed
from huying.core.notify import sms_outbox
from huying.core.registry import community_topics
from huying.deputies import errors, figures
from huying.deputies.models import MediationCase, Reception, Suggestion
from huying.deputies.services import stations as services

from .factories import build

pytestmark = pytest.mark.django_db


def test_reception_days_fall_on_the_sixth_and_bookings_respect_the_slots(world: Any) -> None:
    d = build(world)
    days = services.reception_days_plan(station=d.point, start=dt.date(2027, 1, 7), months=3)
    assert [x.date for x in days] == [dt.date(2027, 2, 6), dt.date(2027, 3, 6), dt.date(2027, 4, 6)]
    assert list(days[0].deputies.all()) == [d.deputy]
    day = days[0]
    day.slots = 1
    day.save()
    services.booking_create(
        actor=world.citizen,
        day_id=day.pk,
        name="张三",
        phone="13800138000",
        matter="楼道灯坏了",
        today=dt.date(2027, 1, 7),
    )
    with pytest.raises(ValidationFailed) as full:
        services.booking_create(
            actor=world.other_citizen,
            day_id=day.pk,
            name="李四",
            phone="13900139000",
            matter="x",
            today=dt.date(2027, 1, 7),
        )
    assert full.value.code == errors.SLOT_FULL
    with pytest.raises(ValidationFailed) as past:
        services.booking_create(
            actor=world.other_citizen,
            day_id=day.pk,
            name="李四",
            phone="13900139000",
            matter="x",
            today=dt.date(2027, 3, 1),
        )
    assert past.value.code == errors.DAY_PAST


def _reception(world: Any, d: Any, matter: str) -> Reception:
    return services.reception_record(
        actor=d.deputy_user, station_id=d.point.pk, visitor_name="王五", visitor_phone="13600136000", matter=matter
    )


def test_routing_to_12345_creates_a_representative_channel_appeal(world: Any) -> None:
    d = build(world)
    r = _reception(world, d, "小区门口道路破损，雨天积水")
    sms_outbox.clear()
    r = services.reception_route(actor=d.deputy_user, reception_id=r.pk, version=0, routing="appeal")
    appeal = Appeal.objects.get(number=r.target_ref)
    assert appeal.channel == Channel.REPRESENTATIVE and appeal.requester_phone == "13600136000"
    assert r.told_at is not None and r.target_ref in r.outcome_told
    with pytest.raises(ValidationFailed) as twice:
        services.reception_route(
            actor=d.deputy_user, reception_id=r.pk, version=r.version, routing="answered", answer="x"
        )
    assert twice.value.code == errors.ALREADY_ROUTED


def test_routing_to_a_suggestion_mediation_and_community(world: Any) -> None:
    d = build(world)
    s = services.reception_route(
        actor=d.deputy_user,
        reception_id=_reception(world, d, "建议增设公交站").pk,
        version=0,
        routing="suggestion",
        title="增设公交站",
    )
    assert Suggestion.objects.get(number=s.target_ref).proposer == d.deputy
    m = services.reception_route(
        actor=d.deputy_user, reception_id=_reception(world, d, "邻居装修噪音纠纷").pk, version=0, routing="mediation"
    )
    assert MediationCase.objects.get(number=m.target_ref).source == MediationCase.Source.RECEPTION
    raised: list[dict[str, Any]] = []
    installed = community_topics._items.get("raise")
    community_topics.register("raise", lambda **kw: raised.append(kw) or None)
    try:
        # No self-governance set up where the station is: refused, the reception stays pending.
        with pytest.raises(ValidationFailed):
            services.reception_route(
                actor=d.deputy_user, reception_id=_reception(world, d, "楼道堆物").pk, version=0, routing="community"
            )
        community_topics.register("raise", lambda **kw: raised.append(kw) or "XS-1")
        c = services.reception_route(
            actor=d.deputy_user, reception_id=_reception(world, d, "小区停车位划分").pk, version=0, routing="community"
        )
    finally:
        community_topics._items.pop("raise", None)
        if installed is not None:
            community_topics.register("raise", installed)
    assert c.target_ref == "XS-1" and raised[-1]["unit_id"] == world.street.pk
    record = figures.duty_record(d.deputy)
    assert record["receptions"] == 4 and record["mediations"] == 1
    assert any("形成建议1件" in line for line in record["report"])
    with pytest.raises(ValidationFailed):
        services.reception_route(
            actor=d.deputy_user, reception_id=_reception(world, d, "x").pk, version=0, routing="answered", answer=""
        )
    assert timezone.now()
