"""rating_submit: who may rate, the window, one rating per act, input errors, bad ratings open a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.core.errors import NotFound, ValidationFailed
from huying.ratings import services
from huying.ratings.models import CaseEvent, Rating, RectificationCase
from huying.ratings.states import CaseStatus, Channel, Level

from .conftest import ACT_AT, RATED_AT

pytestmark = pytest.mark.django_db


def submit(act: Any, **kw: Any) -> Rating:
    args: dict[str, Any] = {"kind": act.kind, "ref": act.ref, "level": Level.SATISFIED, "channel": Channel.WEB}
    args.update(kw)
    args.setdefault("now", RATED_AT)
    return services.rating_submit(**args)


def test_citizen_rates_their_own_act(world: Any, acts: Any) -> None:
    act = acts.add(unit=world.urban, rater=world.citizen, title="个体工商户登记")
    rating = submit(act, user=world.citizen, level=5, comment="很快", dimensions={"efficiency": 5, "usability": "4"})
    assert (rating.level, rating.unit_id, rating.rater_id, rating.title) == (
        5,
        world.urban.pk,
        world.citizen.pk,
        "个体工商户登记",
    )
    assert rating.is_real_name and rating.rater_phone == "13800138000"
    assert rating.dimensions == {"efficiency": 5, "usability": 4}
    assert rating.created_at == RATED_AT and rating.occurred_at == ACT_AT
    assert not RectificationCase.objects.exists()


def test_other_citizen_cannot_rate(world: Any, acts: Any) -> None:
    act = acts.add(unit=world.urban, rater=world.citizen)
    with pytest.raises(NotFound):
        submit(act, user=world.other_citizen)
    with pytest.raises(NotFound):
        submit(act)  # nobody
    assert not Rating.objects.exists()


def test_act_without_account_cannot_be_rated_online(world: Any, acts: Any) -> None:
    act = acts.add(unit=world.urban, rater=None)
    with pytest.raises(NotFound):
        submit(act, user=world.citizen)


@pytest.mark.parametrize(("who", "channel"), [("clerk", Channel.DEVICE), ("hall_manager", Channel.KIOSK)])
def test_hall_staff_enter_on_hall_devices(world: Any, acts: Any, hall: Any, who: str, channel: str) -> None:
    act = acts.add(unit=world.urban, rater=None, phone="")
    staff = getattr(hall, who)
    rating = submit(act, staff=staff, channel=channel, level=4)
    assert rating.entered_by_id == staff.pk and rating.rater_id is None
    assert not rating.is_real_name


def test_operator_enters_on_the_hotline(world: Any, acts: Any) -> None:
    act = acts.add(kind="appeal", unit=world.urban, rater=world.citizen)
    rating = submit(act, staff=world.operator, channel=Channel.HOTLINE, level=1, comment="没解决")
    assert rating.rater_id == world.citizen.pk and rating.entered_by_id == world.operator.pk
    assert rating.case.status == CaseStatus.OPEN


@pytest.mark.parametrize(
    ("who", "channel"),
    [("clerk", Channel.HOTLINE), ("operator", Channel.DEVICE), ("handler", Channel.DEVICE), ("clerk", Channel.WEB)],
)
def test_staff_outside_their_channel_are_refused(world: Any, acts: Any, hall: Any, who: str, channel: str) -> None:
    act = acts.add(unit=world.urban, rater=world.citizen)
    staff = getattr(hall, who, None) or getattr(world, who)
    with pytest.raises(NotFound):
        submit(act, staff=staff, channel=channel)


def test_citizen_cannot_claim_a_staff_channel(world: Any, acts: Any) -> None:
    act = acts.add(unit=world.urban, rater=world.citizen)
    with pytest.raises(ValidationFailed) as err:
        submit(act, user=world.citizen, channel=Channel.DEVICE)
    assert "channel" in err.value.data


def test_second_rating_of_the_same_act_is_refused(world: Any, acts: Any, hall: Any) -> None:
    act = acts.add(unit=world.urban, rater=world.citizen)
    submit(act, user=world.citizen)
    with pytest.raises(ValidationFailed) as err:
        submit(act, staff=hall.clerk, channel=Channel.DEVICE, level=1, comment="x")
    assert err.value.code == "already_rated"
    assert str(err.value.message) == "该事项已评价，每件只能评价一次"
    assert Rating.objects.count() == 1


def test_unknown_kind_or_ref_is_not_found(world: Any, acts: Any) -> None:
    with pytest.raises(NotFound):
        services.rating_submit(kind="parking", ref="X", level=4, channel=Channel.WEB, user=world.citizen)
    with pytest.raises(NotFound):
        services.rating_submit(kind="application", ref="NOPE", level=4, channel=Channel.WEB, user=world.citizen)


def test_window_is_five_working_days(world: Any, acts: Any) -> None:
    # Act on Monday 2026-03-02: the fifth working day after it is Monday 2026-03-09.
    act = acts.add(unit=world.urban, rater=world.citizen)
    last = timezone.make_aware(dt.datetime(2026, 3, 9, 23, 0))
    submit(act, user=world.citizen, now=last)
    late = acts.add(unit=world.urban, rater=world.citizen)
    with pytest.raises(ValidationFailed) as err:
        submit(late, user=world.citizen, now=timezone.make_aware(dt.datetime(2026, 3, 10, 8, 0)))
    assert err.value.code == "rating_window_closed"
    assert "2026-03-09" in str(err.value.message)


def test_window_skips_the_national_day_holiday(world: Any, acts: Any) -> None:
    # Act on 2026-09-30: 10-01..10-07 are holidays and 10-10 (Saturday) is a make-up working day.
    act = acts.add(unit=world.urban, rater=world.citizen, occurred_at=timezone.make_aware(dt.datetime(2026, 9, 30, 9)))
    rating = submit(act, user=world.citizen, now=timezone.make_aware(dt.datetime(2026, 10, 11, 20)))
    assert rating.pk


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"level": 0}, "level"),
        ({"level": 6}, "level"),
        ({"level": "abc"}, "level"),
        ({"level": True}, "level"),
        ({"channel": "fax"}, "channel"),
        ({"ref": ""}, "ref"),
        ({"kind": ""}, "kind"),
        ({"level": 2, "comment": ""}, "comment"),
        ({"comment": "长" * 501}, "comment"),
        ({"dimensions": {"service_attitude": 5}}, "dimensions"),  # an offline item on an online channel
        ({"dimensions": {"efficiency": 9}}, "dimensions"),
        ({"dimensions": ["efficiency"]}, "dimensions"),
    ],
)
def test_bad_input_names_the_field(world: Any, acts: Any, kw: dict[str, Any], field: str) -> None:
    act = acts.add(unit=world.urban, rater=world.citizen)
    with pytest.raises(ValidationFailed) as err:
        submit(act, user=world.citizen, **kw)
    assert field in err.value.data
    assert not Rating.objects.exists()


def test_offline_dimensions_on_a_hall_device(world: Any, acts: Any, hall: Any) -> None:
    act = acts.add(unit=world.urban, rater=None)
    rating = submit(
        act, staff=hall.clerk, channel=Channel.DEVICE, dimensions={"service_attitude": 5, "service_efficiency": ""}
    )
    assert rating.dimensions == {"service_attitude": 5}


@pytest.mark.parametrize("level", [1, 2])
def test_bad_rating_opens_a_case_due_in_five_working_days(
    world: Any, acts: Any, level: int, capsys: Any, django_capture_on_commit_callbacks: Any
) -> None:
    act = acts.add(unit=world.urban, rater=world.citizen, title="建筑工程施工许可")
    with django_capture_on_commit_callbacks(execute=True):
        rating = submit(act, user=world.citizen, level=level, comment="材料被退回三次")
    case = rating.case
    assert (case.status, case.unit_id, case.version) == (CaseStatus.OPEN, world.urban.pk, 1)
    # Rated Tuesday 2026-03-03: five working days later is Tuesday 2026-03-10, end of day.
    assert timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M") == "2026-03-10 23:59"
    assert CaseEvent.objects.filter(case=case, action="opened").exists()
    out = capsys.readouterr().out
    assert "13800138000" in out and "建筑工程施工许可" in out


@pytest.mark.parametrize("level", [3, 4, 5])
def test_other_levels_open_no_case(world: Any, acts: Any, level: int) -> None:
    act = acts.add(unit=world.urban, rater=world.citizen)
    submit(act, user=world.citizen, level=level)
    assert not RectificationCase.objects.exists()


def test_window_setting_is_read(world: Any, acts: Any, settings: Any) -> None:
    settings.HUYING_RATING_WINDOW_WORKDAYS = 1
    act = acts.add(unit=world.urban, rater=world.citizen)
    with pytest.raises(ValidationFailed):
        submit(act, user=world.citizen, now=timezone.make_aware(dt.datetime(2026, 3, 4, 9)))


def test_rectify_setting_is_read(world: Any, acts: Any, settings: Any) -> None:
    settings.HUYING_RATING_RECTIFY_WORKDAYS = 15
    act = acts.add(unit=world.urban, rater=world.citizen)
    rating = submit(act, user=world.citizen, level=1, comment="差")
    assert timezone.localtime(rating.case.due_at).date() == dt.date(2026, 3, 24)
