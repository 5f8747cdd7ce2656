"""A 12345 order's follow-up is its 好差评 rating; a bad one opens a rectification case."""

from __future__ import annotations

from typing import Any

import pytest

from huying.appeals import services
from huying.appeals.states import Action, Resolution, Satisfaction, Status
from huying.core.errors import NotFound
from huying.ratings.models import Rating, RectificationCase
from huying.ratings.services import rating_submit
from huying.ratings.states import Channel, Level

from .factories import appeal_in

pytestmark = pytest.mark.django_db


def follow_up(world: Any, appeal: Any, resolution: str, satisfaction: str) -> Any:
    return services.appeal_transition(
        actor=world.operator, appeal=appeal, action=Action.FOLLOW_UP, resolution=resolution, satisfaction=satisfaction
    )


def test_a_satisfied_follow_up_is_recorded_as_the_orders_rating(world: Any) -> None:
    appeal = appeal_in(world, Status.REPLIED, citizen=world.citizen)
    follow_up(world, appeal, Resolution.RESOLVED, Satisfaction.BASICALLY)
    rating = Rating.objects.get(kind="appeal", ref=appeal.number)
    assert (rating.level, rating.channel) == (Level.BASICALLY_SATISFIED, Channel.HOTLINE)
    assert rating.rater == world.citizen and rating.entered_by == world.operator
    assert rating.unit == appeal.lead_unit
    assert not RectificationCase.objects.exists()


def test_an_unsatisfied_follow_up_opens_a_case_once_and_the_second_follow_up_still_works(world: Any) -> None:
    appeal = appeal_in(world, Status.REPLIED, citizen=world.citizen)
    appeal = follow_up(world, appeal, Resolution.UNRESOLVED, Satisfaction.UNSATISFIED)
    assert appeal.status == Status.UNSATISFIED
    case = RectificationCase.objects.get(rating__ref=appeal.number)
    assert case.unit == appeal.lead_unit and case.rating.level == Level.UNSATISFIED

    appeal = services.appeal_transition(actor=world.operator, appeal=appeal, action=Action.REOPEN, note="重办")
    appeal = services.appeal_transition(actor=world.handler, appeal=appeal, action=Action.REPLY, note="已重新处理完毕")
    appeal = follow_up(world, appeal, Resolution.RESOLVED, Satisfaction.SATISFIED)
    assert appeal.status == Status.CLOSED
    assert Rating.objects.filter(kind="appeal", ref=appeal.number).count() == 1  # 一事一评


def test_a_citizen_may_rate_the_replied_order_online_before_the_call(world: Any) -> None:
    appeal = appeal_in(world, Status.REPLIED, citizen=world.citizen)
    rating_submit(kind="appeal", ref=appeal.number, level=Level.VERY_SATISFIED, channel=Channel.WEB, user=world.citizen)
    follow_up(world, appeal, Resolution.RESOLVED, Satisfaction.SATISFIED)
    assert Rating.objects.get(kind="appeal", ref=appeal.number).level == Level.VERY_SATISFIED


def test_an_order_not_yet_replied_cannot_be_rated(world: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING, citizen=world.citizen)
    with pytest.raises(NotFound):
        rating_submit(kind="appeal", ref=appeal.number, level=Level.SATISFIED, channel=Channel.WEB, user=world.citizen)
    other = appeal_in(world, Status.REPLIED, citizen=world.citizen)
    with pytest.raises(NotFound):  # someone else's order looks like no order at all
        rating_submit(
            kind="appeal", ref=other.number, level=Level.SATISFIED, channel=Channel.WEB, user=world.other_citizen
        )
