"""The dashboard's per-process copy of the counters gives the same figures as the counter table.

These tests commit (transactional database): the copy is only used outside a transaction.
"""

from __future__ import annotations

import datetime as dt
import random
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


def test_a_change_puts_again_only_the_rows_it_touched(world: Any, monkeypatch: Any) -> None:
    mixed_history(world)
    _, this_month, today = months()
    from_copy(this_month, today)
    put: list[tuple[str, str]] = []
    original = selectors.DashboardAnswer.put

    def counting(self: selectors.DashboardAnswer, dimension: str, month: Any, key: str, values: Any) -> None:
        put.append((dimension, key))
        original(self, dimension, month, key, values)

    monkeypatch.setattr(selectors.DashboardAnswer, "put", counting)
    submit(world, category=world.cat_road)  # received +1 on this month's all, web channel and category rows
    answer = from_copy(this_month, today)
    assert sorted(put) == sorted([("all", ""), ("channel", Channel.WEB), ("category", str(world.cat_road.pk))])
    assert answer == from_table(this_month, today)
    assert REPLICA.full_loads == 1


def test_many_random_changes_keep_every_period_equal_to_the_table(world: Any) -> None:
    """Counter changes in several months, dimensions and new keys, asked for over overlapping periods."""
    rng = random.Random(2026)
    last_month, this_month, today = months()
    older = (last_month - dt.timedelta(days=1)).replace(day=1)
    periods = [(this_month, today), (last_month, today), (older, last_month), (older, today)]
    keys = {
        "all": [""],
        "channel": [c.value for c in Channel],
        "unit": ["1", "2", "3", "77"],
        "category": ["5", "6", "9"],
    }
    for step in range(60):
        with transaction.atomic():
            delta: stats.Vector = {}
            for _ in range(rng.randint(1, 4)):
                dimension = rng.choice(list(keys))
                counts = {c: rng.randint(-1, 3) for c in rng.sample(stats.COUNTERS, 3)}
                delta[(rng.choice([older, last_month, this_month]), dimension, rng.choice(keys[dimension]))] = counts
            stats.apply_delta({}, delta)
        start, end = periods[step % len(periods)]
        assert from_copy(start, end) == from_table(start, end), step
    for start, end in periods:
        assert from_copy(start, end) == from_table(start, end)
    assert REPLICA.full_loads == 1


def test_a_period_nobody_asked_for_while_the_log_overflowed_is_built_again(world: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(stats_replica, "MAX_LOG", 3)
    last_month, this_month, today = months()
    mixed_history(world)
    from_copy(last_month, today)
    for _ in range(6):  # asked only for this month meanwhile: the log keeps 3 changes, not 6
        submit(world)
        from_copy(this_month, today)
    assert len(REPLICA.log) <= 3
    assert from_copy(last_month, today) == from_table(last_month, today)
    assert REPLICA.full_loads == 1


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


def test_callers_share_read_only_rows_in_lists_of_their_own(world: Any) -> None:
    mixed_history(world)
    _, this_month, today = months()
    first = from_copy(this_month, today)
    with pytest.raises(TypeError):
        first["all"][0]["received"] = -1  # type: ignore[index]
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
