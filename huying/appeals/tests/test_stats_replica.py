"""The dashboard's per-process copy of the counters gives the same figures as the counter table.

These tests commit (transactional database): the copy is only used outside a transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from huying.appeals import selectors, services, stats, stats_replica
from huying.appeals.models import AppealMonthlyStat
from huying.appeals.states import Action, Channel, Resolution, Satisfaction, Status

from .factories import appeal_in, submit

pytestmark = pytest.mark.django_db(transaction=True)
REPLICA = stats_replica.REPLICA


@pytest.fixture(autouse=True)
def fresh_copy() -> Any:
    REPLICA.reset()
    yield
    REPLICA.reset()


def months() -> tuple[dt.date, dt.date, dt.date]:
    today = timezone.localdate()
    this_month = today.replace(day=1)
    return (this_month - dt.timedelta(days=40)).replace(day=1), this_month, today


def from_table(start: dt.date, end: dt.date) -> dict[str, Any]:
    """The provider inside a transaction: one grouped query over the counter rows."""
    with transaction.atomic():
        assert not stats_replica.usable()
        return selectors.appeal_dashboard_provider(start=start, end=end)


def from_copy(start: dt.date, end: dt.date) -> dict[str, Any]:
    assert stats_replica.usable()
    return selectors.appeal_dashboard_provider(start=start, end=end)


def mixed_history(world: Any) -> None:
    last_month, _, _ = months()
    for status in (Status.SUBMITTED, Status.DISPATCHED, Status.HANDLING, Status.REPLIED, Status.CLOSED):
        appeal_in(world, status)
    appeal_in(world, Status.REFUSED, channel=Channel.WEB)
    submit(world, now=timezone.make_aware(dt.datetime.combine(last_month + dt.timedelta(days=3), dt.time(9))))
    replied = appeal_in(world, Status.REPLIED, category=world.cat_road)
    services.appeal_transition(
        actor=world.operator,
        appeal=replied,
        action=Action.FOLLOW_UP,
        resolution=Resolution.RESOLVED,
        satisfaction=Satisfaction.SATISFIED,
    )


def test_the_copy_answers_as_the_table_for_every_period(world: Any) -> None:
    mixed_history(world)
    last_month, this_month, today = months()
    for start, end in [
        (this_month, today),
        (last_month, today),
        (last_month, last_month),
        (today.replace(year=2001), today.replace(year=2001)),
    ]:
        assert from_copy(start, end) == from_table(start, end)
    assert from_copy(last_month, today)["all"][0]["received"] == 8
    assert REPLICA.full_loads == 1  # loaded once, then only asked what changed


def test_the_copy_follows_later_changes_without_reloading(world: Any) -> None:
    mixed_history(world)
    _, this_month, today = months()
    before = from_copy(this_month, today)
    version = REPLICA.version
    assert from_copy(this_month, today) == before and REPLICA.version == version  # nothing changed

    handling = appeal_in(world, Status.HANDLING, channel=Channel.MOBILE)
    services.appeal_transition(actor=world.handler, appeal=handling, action=Action.REPLY, note="已处理")
    after = from_copy(this_month, today)
    assert after == from_table(this_month, today)
    assert after["all"][0]["received"] == before["all"][0]["received"] + 1
    assert after["all"][0]["replied"] == before["all"][0]["replied"] + 1
    assert REPLICA.version > version and REPLICA.full_loads == 1


def test_a_change_committed_after_the_last_look_is_still_seen(world: Any) -> None:
    """A transaction that wrote its counters before the copy's last look but committed after it:
    its rows carry a time before that look, and the next look re-reads a margin before it."""
    mixed_history(world)
    _, this_month, today = months()
    from_copy(this_month, today)
    assert REPLICA.synced_at is not None
    written = REPLICA.synced_at - dt.timedelta(seconds=30)
    AppealMonthlyStat.objects.filter(dimension="all", month=this_month).update(received=1000, updated_at=written)
    assert from_copy(this_month, today)["all"][0]["received"] == 1000
    assert REPLICA.full_loads == 1


def test_deleted_rows_and_restored_rows_make_the_copy_reload(world: Any) -> None:
    mixed_history(world)
    last_month, this_month, today = months()
    from_copy(last_month, today)
    # A row deleted behind the services' back (a flush, a manual repair): the count gives it away.
    AppealMonthlyStat.objects.filter(dimension="channel", key=Channel.WEB).delete()
    answer = from_copy(last_month, today)
    assert answer == from_table(last_month, today)
    assert Channel.WEB not in {r["key"] for r in answer["channel"]}
    assert REPLICA.full_loads == 2
    # A rebuild deletes and writes every row again.
    stats.stats_rebuild()
    assert from_copy(last_month, today) == from_table(last_month, today)
    # Rows put back from an older backup: the newest change is older than one already seen.
    long_ago = timezone.now() - dt.timedelta(days=2)
    AppealMonthlyStat.objects.filter(dimension="all", month=this_month).update(received=7, updated_at=long_ago)
    AppealMonthlyStat.objects.update(updated_at=long_ago)
    loads = REPLICA.full_loads
    assert from_copy(this_month, today)["all"][0]["received"] == 7
    assert REPLICA.full_loads == loads + 1


def test_inside_a_transaction_the_table_is_read_and_the_copy_keeps_only_what_was_committed(world: Any) -> None:
    mixed_history(world)
    _, this_month, today = months()
    committed = from_copy(this_month, today)["all"][0]["received"]
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(world)
        inside = selectors.appeal_dashboard_provider(start=this_month, end=today)
        assert inside["all"][0]["received"] == committed + 1  # this transaction's own appeal
        raise RuntimeError("rolled back")
    assert not connection.in_atomic_block
    assert from_copy(this_month, today)["all"][0]["received"] == committed


def test_callers_get_their_own_copy_of_the_answer(world: Any) -> None:
    mixed_history(world)
    _, this_month, today = months()
    first = from_copy(this_month, today)
    first["all"][0]["received"] = -1
    first["unit"].clear()
    second = from_copy(this_month, today)
    assert second["all"][0]["received"] > 0 and second["unit"]


def test_the_copy_can_be_turned_off(world: Any, settings: Any) -> None:
    settings.HUYING_DASHBOARD_REPLICA = False
    mixed_history(world)
    _, this_month, today = months()
    assert not stats_replica.usable()
    selectors.appeal_dashboard_provider(start=this_month, end=today)
    assert REPLICA.full_loads == 0
