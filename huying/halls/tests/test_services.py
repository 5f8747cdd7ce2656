"""Taking numbers, the call rules of comprehensive and special windows, every (state, action) pair of the
ticket table, optimistic concurrency, and the SMS on a call."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from huying.accounts.roles import Role
from huying.core.errors import ConcurrentModification, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from tests.fixtures.statemachine import ids, service_pairs

from .. import services
from ..models import Ticket, TicketCounter, Window
from ..states import TRANSITIONS, Action, Channel, Status
from .conftest import HallWorld, at

pytestmark = pytest.mark.django_db


def take(hw: HallWorld, **kwargs: Any) -> Ticket:
    return services.ticket_take(hall=hw.hall, **kwargs)


# --- numbering ---------------------------------------------------------------------------------


def test_numbers_per_queue_letter_and_reset_daily(hw: HallWorld) -> None:
    today = at(9)
    a1 = take(hw, now=today)
    a2 = take(hw, item=hw.item_housing, now=today + dt.timedelta(minutes=1))
    b1 = take(hw, item=hw.item_police, now=today + dt.timedelta(minutes=2))
    a3 = take(hw, bundle=hw.bundle, now=today + dt.timedelta(minutes=3))
    assert [a1.number, a2.number, b1.number, a3.number] == ["A001", "A002", "B001", "A003"]
    assert b1.unit == hw.police and a2.unit == hw.world.housing and a3.unit is None and a1.unit is None
    tomorrow = take(hw, now=today + dt.timedelta(days=1))
    assert tomorrow.number == "A001"
    assert tomorrow.day == today.date() + dt.timedelta(days=1)


def test_numbers_are_per_hall(hw: HallWorld) -> None:
    from ..models import Hall

    other = Hall.objects.create(name="滨城区政务服务中心", unit=hw.shenpi)
    assert take(hw).number == "A001"
    assert services.ticket_take(hall=other).number == "A001"
    assert take(hw).number == "A002"


def test_number_grows_past_999(hw: HallWorld) -> None:
    TicketCounter.objects.create(hall=hw.hall, day=timezone.localdate(), prefix="A", last=999)
    assert take(hw).number == "A1000"


def test_the_day_number_is_unique_even_if_the_counter_is_wrong(hw: HallWorld) -> None:
    take(hw)
    TicketCounter.objects.filter(hall=hw.hall).update(last=0)  # a broken counter must not give A001 twice
    with pytest.raises(IntegrityError), transaction.atomic():
        take(hw)


def test_concurrent_takes_never_share_a_number(hw: HallWorld) -> None:
    """Two kiosks whose counter rows both exist: each takes the counter's next value, inside its own
    transaction (the second one runs while the first has not returned yet)."""
    numbers: list[str] = []
    real = services._next_sequence
    nested = {"done": False}

    def interleaved(hall: Any, day: Any, prefix: str) -> int:
        if not nested["done"]:
            nested["done"] = True
            numbers.append(take(hw).number)  # the other kiosk slips in before we increment
        return real(hall, day, prefix)

    with mock.patch.object(services, "_next_sequence", interleaved):
        numbers.append(take(hw).number)
    assert sorted(numbers) == ["A001", "A002"]


def test_take_validates(hw: HallWorld) -> None:
    with pytest.raises(ValidationFailed) as exc:
        take(hw, phone="12345")
    assert "phone" in exc.value.data
    with pytest.raises(ValidationFailed) as exc:
        take(hw, item=hw.item_police, bundle=hw.bundle)
    assert "item" in exc.value.data
    with pytest.raises(ValidationFailed) as exc:
        take(hw, channel="fax")
    assert "channel" in exc.value.data
    hw.item_police.is_active = False
    hw.item_police.save()
    with pytest.raises(ValidationFailed):
        take(hw, item=hw.item_police)
    hw.hall.is_active = False
    hw.hall.save()
    with pytest.raises(NotFound):
        take(hw)
    assert not Ticket.objects.exists()


def test_take_keeps_phone_user_and_channel(hw: HallWorld) -> None:
    t = take(hw, phone="138 0013 8000", user=hw.world.citizen, channel=Channel.MOBILE)
    assert (t.phone, t.user, t.channel, t.status) == ("13800138000", hw.world.citizen, Channel.MOBILE, Status.WAITING)


def test_one_person_may_hold_three_open_tickets(hw: HallWorld) -> None:
    for _ in range(services.MAX_OPEN_TICKETS_PER_PERSON):
        take(hw, phone="13800138000")
    with pytest.raises(ValidationFailed) as exc:
        take(hw, phone="13800138000")
    assert exc.value.code == "too_many_tickets"
    take(hw, phone="13900139000")  # someone else may


# --- call rules --------------------------------------------------------------------------------


def test_comprehensive_window_calls_earliest_of_any_item(hw: HallWorld) -> None:
    b1 = take(hw, item=hw.item_police, now=at(8, 30))
    a1 = take(hw, item=hw.item_housing, now=at(8, 31))
    called = services.window_call_next(window=hw.windows[0], clerk=hw.clerk, now=at(8, 40))
    assert called == b1
    assert called is not None and called.status == Status.CALLED and called.window == hw.windows[0]
    assert called.clerk == hw.clerk and called.called_at == at(8, 40)
    second = services.window_call_next(window=hw.windows[1], clerk=hw.clerk2, now=at(8, 41))
    assert second == a1


def test_special_window_calls_only_its_units_items(hw: HallWorld) -> None:
    take(hw, item=hw.item_housing, now=at(8, 30))
    take(hw, now=at(8, 31))
    take(hw, bundle=hw.bundle, now=at(8, 32))
    assert services.window_call_next(window=hw.special, clerk=hw.clerk, now=at(8, 40)) is None
    b1 = take(hw, item=hw.item_police, now=at(8, 41))
    assert services.window_call_next(window=hw.special, clerk=hw.clerk, now=at(8, 42)) == b1


def test_call_next_ignores_yesterdays_leftovers(hw: HallWorld) -> None:
    take(hw, now=at(16) - dt.timedelta(days=1))
    assert services.window_call_next(window=hw.windows[0], clerk=hw.clerk) is None


def test_call_next_refuses_a_busy_or_closed_window_and_outsiders(hw: HallWorld) -> None:
    take(hw, now=at(8))
    take(hw, now=at(8, 1))
    first = services.window_call_next(window=hw.windows[0], clerk=hw.clerk, now=at(8, 5))
    with pytest.raises(InvalidTransition) as exc:
        services.window_call_next(window=hw.windows[0], clerk=hw.clerk, now=at(8, 6))
    assert exc.value.code == "window_busy" and first is not None and first.number in str(exc.value.message)
    services.window_set_open(window=hw.windows[1], actor=hw.clerk, is_open=False)
    with pytest.raises(ValidationFailed) as exc2:
        services.window_call_next(window=hw.windows[1], clerk=hw.clerk)
    assert exc2.value.code == "window_closed"
    for outsider in (hw.outsider_clerk, hw.manager, hw.world.citizen):
        with pytest.raises(PermissionDenied):
            services.window_call_next(window=hw.windows[2], clerk=outsider)


def test_window_cannot_pause_with_a_ticket_at_it(hw: HallWorld) -> None:
    take(hw)
    services.window_call_next(window=hw.windows[0], clerk=hw.clerk)
    with pytest.raises(InvalidTransition):
        services.window_set_open(window=hw.windows[0], actor=hw.clerk, is_open=False)
    with pytest.raises(PermissionDenied):
        services.window_set_open(window=hw.windows[1], actor=hw.outsider_clerk, is_open=False)
    w = services.window_set_open(window=hw.windows[1], actor=hw.manager, is_open=False)
    assert not Window.objects.get(pk=w.pk).is_open


def test_two_windows_calling_at_once_get_different_tickets(hw: HallWorld) -> None:
    """Window 2 claims the same first ticket while window 1 is between choosing it and claiming it:
    window 1's claim fails on the version check and it moves on to the next ticket."""
    first = take(hw, now=at(8))
    second = take(hw, now=at(8, 1))
    real = services.callable_tickets
    raced = {"done": False}
    results: dict[str, Any] = {}

    def racing(window: Window, *, day: dt.date) -> Any:
        qs = real(window, day=day)
        if window == hw.windows[0] and not raced["done"]:
            raced["done"] = True
            stale = list(qs[:1])  # window 1 has read the first ticket ...
            results["other"] = services.window_call_next(window=hw.windows[1], clerk=hw.clerk2, now=at(8, 5))
            return mock.Mock(first=lambda: stale[0])  # ... and now tries to claim it
        return qs

    with mock.patch.object(services, "callable_tickets", racing):
        results["mine"] = services.window_call_next(window=hw.windows[0], clerk=hw.clerk, now=at(8, 5))
    assert results["other"] == first and results["mine"] == second
    assert Ticket.objects.get(pk=first.pk).window == hw.windows[1]
    assert Ticket.objects.get(pk=second.pk).window == hw.windows[0]


def test_stale_version_is_a_concurrent_modification(hw: HallWorld) -> None:
    take(hw)
    ticket = services.window_call_next(window=hw.windows[0], clerk=hw.clerk)
    assert ticket is not None
    stale = Ticket.objects.get(pk=ticket.pk)
    services.ticket_start(ticket=ticket, clerk=hw.clerk)
    with pytest.raises(ConcurrentModification):
        services.ticket_no_show(ticket=stale, clerk=hw.clerk2)
    with pytest.raises(ConcurrentModification):
        services.ticket_finish(ticket=ticket, clerk=hw.clerk, expected_version=ticket.version - 1)
    assert Ticket.objects.get(pk=ticket.pk).status == Status.SERVING


def test_times_are_recorded(hw: HallWorld) -> None:
    take(hw, phone="13800138000", now=at(9))
    t = services.window_call_next(window=hw.windows[0], clerk=hw.clerk, now=at(9, 12))
    assert t is not None
    t = services.ticket_recall(ticket=t, clerk=hw.clerk, now=at(9, 14))
    assert t.called_at == at(9, 12) and t.announced_at == at(9, 14) and t.recalls == 1
    t = services.ticket_start(ticket=t, clerk=hw.clerk2, now=at(9, 15))
    t = services.ticket_finish(ticket=t, clerk=hw.clerk2, now=at(9, 25))
    stored = Ticket.objects.get(pk=t.pk)
    assert stored.status == Status.DONE and stored.clerk == hw.clerk2
    assert stored.wait_seconds == 12 * 60 and stored.service_seconds == 10 * 60


def test_call_and_recall_send_an_sms(hw: HallWorld, django_capture_on_commit_callbacks: Any) -> None:
    take(hw, phone="13800138000")
    take(hw)
    with mock.patch.object(services, "send_sms") as sms, django_capture_on_commit_callbacks(execute=True):
        t = services.window_call_next(window=hw.windows[2], clerk=hw.clerk)
        assert t is not None
        services.ticket_recall(ticket=t, clerk=hw.clerk)
        services.ticket_no_show(ticket=t, clerk=hw.clerk)
        services.window_call_next(window=hw.windows[2], clerk=hw.clerk)  # no phone: no SMS
    assert sms.call_count == 2
    assert sms.call_args.kwargs["phone"] == "13800138000"
    assert "A001" in sms.call_args.kwargs["text"] and "3 号窗口" in sms.call_args.kwargs["text"]


# --- every (state, action) pair ------------------------------------------------------------------


def ticket_in(hw: HallWorld, status: Status) -> Ticket:
    """A ticket brought to ``status`` through the services."""
    t = take(hw, user=hw.world.citizen)
    if status == Status.WAITING:
        return t
    if status == Status.CANCELLED:
        return services.ticket_cancel(ticket=t, actor=hw.world.citizen)
    window = Window.objects.create(hall=hw.hall, number=100 + t.pk, kind=Window.Kind.COMPREHENSIVE)
    called = services.window_call_next(window=window, clerk=hw.clerk)
    assert called == t
    if status == Status.CALLED:
        return called
    if status == Status.NO_SHOW:
        return services.ticket_no_show(ticket=called, clerk=hw.clerk)
    t = services.ticket_start(ticket=called, clerk=hw.clerk)
    if status == Status.SERVING:
        return t
    return services.ticket_finish(ticket=t, clerk=hw.clerk)


def act(hw: HallWorld, ticket: Ticket, action: Action) -> Ticket | None:
    if action == Action.CALL:
        # The only way to call a ticket is from a window; the window must be free.
        window = Window.objects.create(hall=hw.hall, number=200 + ticket.pk, kind=Window.Kind.COMPREHENSIVE)
        called = services.window_call_next(window=window, clerk=hw.clerk)
        if called is None:  # nothing waiting to call: the table itself must refuse calling this ticket
            return services._transition(
                ticket=ticket, action=Action.CALL, roles={Role.CLERK}, expected_version=None, updates={}
            )
        return called
    if action == Action.CANCEL:
        return services.ticket_cancel(ticket=ticket, actor=hw.world.citizen)
    fn = {
        Action.RECALL: services.ticket_recall,
        Action.START: services.ticket_start,
        Action.FINISH: services.ticket_finish,
        Action.NO_SHOW: services.ticket_no_show,
    }[action]
    return fn(ticket=ticket, clerk=hw.clerk)


PAIRS = service_pairs(TRANSITIONS, Status, Action)  # every refused pair: test_transition_table


@pytest.mark.parametrize(("status", "action"), PAIRS, ids=ids(PAIRS))
def test_every_state_action_pair(hw: HallWorld, status: Status, action: Action) -> None:
    ticket = ticket_in(hw, status)
    transition = TRANSITIONS.get(status, action)
    if transition is None:
        before = ticket.version
        with pytest.raises(InvalidTransition):
            act(hw, ticket, action)
        stored = Ticket.objects.get(pk=ticket.pk)
        assert stored.status == status and stored.version == before
    else:
        result = act(hw, ticket, action)
        assert result is not None and result.pk == ticket.pk
        assert Ticket.objects.get(pk=ticket.pk).status == transition.target


def test_cancel_roles(hw: HallWorld) -> None:
    t = take(hw)  # a kiosk ticket: no account
    with pytest.raises(PermissionDenied):
        services.ticket_cancel(ticket=t, actor=hw.world.other_citizen)
    with pytest.raises(PermissionDenied):
        services.ticket_cancel(ticket=t, actor=hw.outsider_clerk)
    assert services.ticket_cancel(ticket=t, actor=hw.world.other_citizen, holder=True).status == Status.CANCELLED
    t2 = take(hw)
    assert services.ticket_cancel(ticket=t2, actor=hw.manager).status == Status.CANCELLED
    t3 = take(hw, user=hw.world.citizen)
    assert services.ticket_cancel(ticket=t3, actor=hw.world.citizen).finished_at is not None


def test_clerk_actions_need_a_clerk_of_the_hall(hw: HallWorld) -> None:
    take(hw)
    t = services.window_call_next(window=hw.windows[0], clerk=hw.clerk)
    assert t is not None
    for outsider in (hw.outsider_clerk, hw.manager, hw.world.citizen):
        with pytest.raises(PermissionDenied):
            services.ticket_start(ticket=t, clerk=outsider)
    assert Ticket.objects.get(pk=t.pk).status == Status.CALLED


def test_superuser_counts_as_clerk(hw: HallWorld) -> None:
    from tests.fixtures import make_user

    root = make_user("root", is_superuser=True, is_staff=True)
    take(hw)
    assert services.window_call_next(window=hw.windows[0], clerk=root) is not None
