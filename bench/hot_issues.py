"""The hot-issues page at a big city's volume: a cold view, cached views, and the page itself.

``.venv/bin/python bench/hot_issues.py [--appeals 20000]``: migrates a fresh SQLite database in a
temporary folder, inserts ``--appeals`` generated appeals spread over the last 15 days
(bench/bulk.py), then times ``selectors.hot_issue_report`` for the 7-day window with an empty
cache, again from the cache, and the whole page (``/dispatch/hot/``, rendered) from the cache.
Ends with ``RESULT cold_s=<x> cached_ms=<x> page_ms=<x>``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appeals", type=int, default=20_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="huying-bench-hot-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'hot.sqlite3'}"
    os.environ["HUYING_VAR_DIR"] = str(tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic for a timing run

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from bench import bulk
    from bench.intake import seed
    from huying.accounts.models import User
    from huying.accounts.selectors import actor_for
    from huying.dispatch import selectors

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    world = seed(20, 40)
    rows = bulk.generate_rows(
        args.appeals,
        unit_ids=world["unit_ids"],
        category_ids=world["category_ids"],
        operator_id=world["user_id"],
        months=0.5,
    )
    inserted = bulk.bulk_insert(rows)
    print(f"{inserted} appeals over the last 15 days, set up in {time.perf_counter() - started:.1f} s")

    user = User.objects.get(pk=world["user_id"])  # the hotline operator: sees the whole city
    actor = actor_for(user)
    cache.clear()
    t = time.perf_counter()
    cold = selectors.hot_issue_report(actor, days=7)
    cold_s = time.perf_counter() - t
    sizes = [i.size for i in cold.issues]
    print(f"cold view: {cold_s:.2f} s; {len(cold.issues)} issues, sizes {sizes[:10]}")

    cached = []
    for _ in range(5):
        t = time.perf_counter()
        report = selectors.hot_issue_report(actor, days=7)
        cached.append(time.perf_counter() - t)
        assert report.cached, "a window this size should have been cached"
    print(f"from the cache: median {1000 * statistics.median(cached):.0f} ms over 5 views")

    client = Client(HTTP_HOST="127.0.0.1")  # bench.settings' ALLOWED_HOSTS
    client.force_login(user)
    pages = []
    for _ in range(5):
        t = time.perf_counter()
        response = client.get("/dispatch/hot/")
        pages.append(time.perf_counter() - t)
        assert response.status_code == 200, response.status_code
    listed = response.content.decode().count("data-number=")
    print(
        f"page from the cache: median {1000 * statistics.median(pages):.0f} ms, {len(response.content)} bytes, {listed} appeals listed"
    )
    print(
        f"RESULT cold_s={cold_s:.2f} cached_ms={1000 * statistics.median(cached):.0f} "
        f"page_ms={1000 * statistics.median(pages):.0f}"
    )


if __name__ == "__main__":
    main()
