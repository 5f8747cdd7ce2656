"""Hot issues for a big city: slow windows cached and kept warm by the sweep, big clusters listed in
part and carried whole into a key problem."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from huying.accounts.roles import Role
from huying.accounts.selectors import actor_for
from huying.appeals.models import Appeal
from huying.appeals.tests.factories import submit
from huying.core.registry import sweeps
from huying.dispatch import selectors
from huying.dispatch.models import KeyProblem
from tests.fixtures import make_user

pytestmark = pytest.mark.django_db

WELL = "村里机井灌溉用电按商业电价收费，每度电比农业电价贵很多，浇一次地要多花两百元，请核实电价"
LAMP = "小区门口的路灯坏了一个多月，晚上漆黑一片，老人孩子出门很不安全，请尽快维修路灯"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _calls(world: Any, text: str, n: int, first_phone: int = 0) -> list[Appeal]:
    return [submit(world, content=text + "。" * i, phone=f"139{first_phone + i:08d}") for i in range(n)]


def test_a_slow_window_is_cached_and_the_sweep_recomputes_it(world: Any, settings: Any) -> None:
    settings.HUYING_HOT_CACHE_MIN_SECONDS = 0  # every window counts as slow here
    supervisor = actor_for(world.supervisor)
    _calls(world, WELL, 3)

    first = selectors.hot_issue_report(supervisor)
    assert not first.cached and [i.size for i in first.issues] == [3]
    _calls(world, LAMP, 2, first_phone=100)
    again = selectors.hot_issue_report(supervisor)
    assert again.cached and again.computed_at == first.computed_at
    assert [i.size for i in again.issues] == [3]  # the street-lamp calls wait for the next count

    # Not yet half its life old: the sweep leaves it; older: the sweep counts again.
    assert selectors.hot_issues_refresh() == 0
    key = selectors._hot_key("all", 7, selectors.HOT_TOP)
    entry = cache.get(key)
    entry["computed_at"] -= dt.timedelta(seconds=settings.HUYING_HOT_CACHE_SECONDS)
    cache.set(key, entry)
    assert dict(sweeps.items())["dispatch_hot"]() == "热点问题：重新统计 1 个时段。"
    fresh = selectors.hot_issue_report(supervisor)
    assert fresh.cached and sorted(i.size for i in fresh.issues) == [2, 3]


def _later(action: Callable[[], None]) -> threading.Thread:
    def run() -> None:
        time.sleep(0.1)
        action()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_view_of_a_slow_window_waits_for_the_count_under_way(
    world: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.HUYING_HOT_CACHE_MIN_SECONDS = 0
    supervisor = actor_for(world.supervisor)
    _calls(world, WELL, 3)
    selectors.hot_issue_report(supervisor)  # slow (by the setting): cached, and marked slow
    key = selectors._hot_key("all", 7, selectors.HOT_TOP)
    entry = cache.get(key)
    monkeypatch.setattr(selectors, "HOT_WAIT_POLL", 0.01)

    # Expired, and the sweep is counting it again: the view waits for that count.
    cache.delete(key)
    cache.set(f"{key}:computing", 1)
    counted = selectors.hotspots.hot_issues
    monkeypatch.setattr(selectors.hotspots, "hot_issues", lambda *a, **k: pytest.fail("counted twice"))

    def finish() -> None:
        cache.set(key, entry)
        cache.delete(f"{key}:computing")

    thread = _later(finish)
    report = selectors.hot_issue_report(supervisor)
    thread.join()
    assert report.cached and [i.size for i in report.issues] == [3]

    # The other count gave up without a result: the view counts for itself.
    monkeypatch.setattr(selectors.hotspots, "hot_issues", counted)
    cache.delete(key)
    cache.set(f"{key}:computing", 1)
    thread = _later(lambda: cache.delete(f"{key}:computing"))
    report = selectors.hot_issue_report(supervisor)
    thread.join()
    assert not report.cached and [i.size for i in report.issues] == [3]
    assert cache.get(f"{key}:computing") is None  # and let go of the mark when done


def test_a_fast_window_is_never_cached(world: Any) -> None:
    supervisor = actor_for(world.supervisor)
    _calls(world, WELL, 2)
    assert [i.size for i in selectors.hot_issues(supervisor)] == [2]
    _calls(world, WELL, 2, first_phone=50)
    report = selectors.hot_issue_report(supervisor)
    assert not report.cached and [i.size for i in report.issues] == [4]
    assert selectors.hot_issues_refresh() == 0  # nothing was slow, nothing to keep warm


def test_loading_the_tokenizer_does_not_make_a_window_slow(
    world: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.HUYING_HOT_CACHE_MIN_SECONDS = 0.2
    # A clock that stands still except while the tokenizer loads (a new process: seconds), so the
    # counting itself takes no time whatever the machine's load, and only the loading could look slow.
    clock = [0.0]

    def load() -> None:
        clock[0] += 10.0

    monkeypatch.setattr(selectors.time, "perf_counter", lambda: clock[0])
    monkeypatch.setattr(selectors.hotspots, "load_tokenizer", load)
    _calls(world, WELL, 2)
    assert not selectors.hot_issue_report(actor_for(world.supervisor)).cached
    assert not selectors.hot_issue_report(actor_for(world.supervisor)).cached


def test_cached_clusters_show_only_what_each_actor_may_see(world: Any, settings: Any, client: Client) -> None:
    settings.HUYING_HOT_CACHE_MIN_SECONDS = 0
    calls = _calls(world, WELL, 3)
    Appeal.objects.filter(pk=calls[0].pk).update(lead_unit=world.street)
    street_supervisor = make_user("streetsup", Role.SUPERVISOR, world.street, display_name="街道督办")
    assert len(selectors.hot_issues(actor_for(world.supervisor))[0].member_ids) == 3  # cached city-wide
    client.force_login(street_supervisor)
    page = client.get(reverse("dispatch:hot_issues")).content.decode()
    assert calls[0].number not in page  # one visible appeal is no cluster in this supervisor's scope
    assert calls[1].number not in page and calls[2].number not in page


def test_a_big_issue_lists_the_newest_and_carries_the_rest_into_the_key_problem(
    world: Any, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "HOT_LIST_APPEALS", 2)
    monkeypatch.setattr(selectors, "KEY_PROBLEM_MAX_APPEALS", 4)
    calls = _calls(world, WELL, 5)
    newest_first = sorted(calls, key=lambda a: (a.submitted_at, a.pk), reverse=True)
    for i, appeal in enumerate(newest_first):  # distinct times: the order is the test's, not the clock's
        Appeal.objects.filter(pk=appeal.pk).update(submitted_at=appeal.submitted_at - dt.timedelta(minutes=i))

    client.force_login(world.supervisor)
    page = client.get(reverse("dispatch:hot_issues")).content.decode()
    assert 'data-unlisted="3"' in page and "另有3件未列出（只列出最近2件）" in page
    listed = [a for a in newest_first if f'data-number="{a.number}"' in page]
    assert listed == newest_first[:2]
    assert f'name="appeal" value="{newest_first[2].pk}"' in page  # carried as hidden fields …
    assert f'name="appeal" value="{newest_first[4].pk}"' not in page  # … up to the form's limit
    assert 'id="hot-computed-at"' in page

    api = APIClient()
    api.force_authenticate(world.supervisor)
    assert api.get("/api/v1/dispatch/hot-issues/").json()[0]["appeals"] == [a.number for a in newest_first]

    new_url = reverse("dispatch:key_problem_new")
    carried = [a.pk for a in newest_first[:4]]
    form = client.post(new_url, {"prefill": "1", "title": "机井电价", "appeal": carried})
    assert form.status_code == 200 and KeyProblem.objects.count() == 0  # the selection page, nothing created
    body = form.content.decode()
    assert all(f'id="appeal-{pk}" checked' in body for pk in carried)
    created = client.post(new_url, {"title": "机井灌溉电价", "lead_unit": world.urban.pk, "appeal": carried})
    assert created.status_code == 302
    assert sorted(KeyProblem.objects.get().appeals.values_list("pk", flat=True)) == sorted(carried)
