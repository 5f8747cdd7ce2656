"""The notice board of a township's villages with five years of history: how long the staff's
publication-duty list and the public board page take, and how many queries each makes.

``.venv/bin/python bench/community.py [--villages 40] [--years 5]``. Prints figures, asserts nothing.

1. ``--villages`` villages, each configured as a deployment would (profile, bodies, path), with
   ``--years`` of history bulk-inserted: every monthly finance item and every quarterly item
   published for every period (a version and a posting each, earlier postings taken down), so a
   village has one publication a month (finances) and one a quarter for each of the five quarterly
   items (about 160 over five years).
2. For each village, ``selectors.duties`` (the workbench's deadline warnings: each periodic item's
   last period, its due date on the working-day calendar, its state) — CPU time per call and the
   number of SQL queries.
3. For each village, the public board: ``selectors.public_board`` and the template rendered to HTML
   (what a phone downloads) — CPU time per page, queries, and the page's size.

SQLite file in a temporary folder, production settings (bench/settings.py). Times are CPU time of
this process (``time.process_time``), medians over the villages. The last line is
``RESULT duties_ms_p50=… board_ms_p50=… duties_queries=… board_queries=… board_kb=…``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(tmp: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'community.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(villages: int, years: int) -> list[object]:
    from django.utils import timezone

    from huying.community import schedule
    from huying.community.models import Body, CatalogueItem, Posting, Publication, PublicationVersion
    from huying.community.setup import Seat, body_create, community_configure
    from huying.core.workdays import WorkCalendar
    from huying.organisations.models import OrgUnit
    from huying.organisations.services import org_unit_create

    cal = WorkCalendar()
    township = org_unit_create(name="历山街道办事处", kind=OrgUnit.Kind.TOWNSHIP)
    items = list(CatalogueItem.objects.filter(cadence__in=("monthly", "quarterly")))
    today = timezone.localdate()
    profiles = []
    for v in range(villages):
        unit = org_unit_create(name=f"第{v + 1}村村民委员会", kind=OrgUnit.Kind.COMMUNITY, parent=township)
        profiles.append(community_configure(unit, slug=f"v{v + 1}", adult_residents=800, board_location="村委会门口"))
        body_create(unit, Body.Kind.COMMITTEES, "两委", [Seat(f"委员{i}") for i in range(5)])
        pubs = []
        for item in items:
            end = today.replace(day=1) - dt.timedelta(days=1)
            start = end - dt.timedelta(days=365 * years)
            while end > start:
                period_start, period_end = schedule.period_containing(item.cadence, end)
                due = schedule.due_date(cal, item.grace_workdays, period_end)
                moment = timezone.make_aware(dt.datetime.combine(due, dt.time(9)))
                pubs.append(Publication(
                    unit=unit, item=item, period_start=period_start, period_end=period_end, due_on=due,
                    title=f"{item.name} {period_start:%Y-%m}", body="……\n" * 20, status="published",
                    published_at=moment, first_published_at=moment,
                ))  # fmt: skip
                end = period_start - dt.timedelta(days=1)
        Publication.objects.bulk_create(pubs, batch_size=500)
        saved = list(Publication.objects.filter(unit=unit).order_by("pk"))
        PublicationVersion.objects.bulk_create(
            [PublicationVersion(publication=p, number=1, title=p.title, body=p.body, published_at=p.published_at)
             for p in saved], batch_size=500,
        )  # fmt: skip
        latest = {}
        for p in saved:
            if p.item_id not in latest or p.period_start > latest[p.item_id].period_start:
                latest[p.item_id] = p
        Posting.objects.bulk_create(
            [Posting(publication=p, posted_at=p.published_at,
                     removed_at=None if latest[p.item_id] is p else p.published_at + dt.timedelta(days=30))
             for p in saved], batch_size=500,
        )  # fmt: skip
        # Only the latest period of each item is still on the board.
        Publication.objects.filter(unit=unit).exclude(pk__in=[p.pk for p in latest.values()]).update(status="archived")
    return profiles


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--villages", type=int, default=40)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="huying-community-bench-"))
    try:
        setup_django(tmp)
        from django.db import connection
        from django.template.loader import render_to_string
        from django.test.utils import CaptureQueriesContext

        from huying.community import selectors
        from huying.community.models import Publication

        started = time.perf_counter()
        profiles = build(args.villages, args.years)
        print(f"built {args.villages} villages, {Publication.objects.count():,} publications "
              f"in {time.perf_counter() - started:.1f} s (wall)")  # fmt: skip
        duties_ms, board_ms, duties_q, board_q, sizes = [], [], [], [], []
        for profile in profiles:
            with CaptureQueriesContext(connection) as queries:
                t0 = time.process_time()
                selectors.duties(profile)
                duties_ms.append((time.process_time() - t0) * 1000)
            duties_q.append(len(queries))
            with CaptureQueriesContext(connection) as queries:
                t0 = time.process_time()
                html = render_to_string("community/board.html", {"b": selectors.public_board(profile)})
                board_ms.append((time.process_time() - t0) * 1000)
            board_q.append(len(queries))
            sizes.append(len(html.encode()))
        d50, b50 = statistics.median(duties_ms), statistics.median(board_ms)
        print(f"duties per village: p50 {d50:.1f} ms CPU, max {max(duties_ms):.1f} ms, {max(duties_q)} queries")
        print(f"public board page:  p50 {b50:.1f} ms CPU, max {max(board_ms):.1f} ms, {max(board_q)} queries, "
              f"{statistics.median(sizes) / 1024:.1f} KB")  # fmt: skip
        print(
            f"RESULT duties_ms_p50={d50:.1f} board_ms_p50={b50:.1f} duties_queries={max(duties_q)} "
            f"board_queries={max(board_q)} board_kb={statistics.median(sizes) / 1024:.1f}"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
