"""The data dashboard against appeals built through the real services.

These tests live outside ``huying.dashboards`` because they use the appeal factories, and the
import-linter contract forbids the dashboards package from importing ``huying.appeals``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huying.appeals.states import Channel, Status
from huying.appeals.stats import stats_rebuild
from huying.appeals.tests.factories import appeal_in
from huying.dashboards.selectors import dashboard_figures, period_default

pytestmark = pytest.mark.django_db

EXPECTED_TOTAL = {
    "received": 10,  # 9 recorded (the merge lead included) + the merged repeat call
    "accepted": 7,  # not: submitted, refused, merged
    "dispatched": 6,  # closed ×2, unsatisfied, replied, handling, plus the merge lead (handling)
    "signed_on_time": 6,
    "replied": 4,
    "replied_on_time": 4,
    "closed": 3,  # closed ×2 + answered
    "followed_up": 3,
    "resolved": 2,
    "satisfied": 2,
    "overdue": 0,
    "closure_rate": 42.9,  # 3 / 7
    "reply_rate": 66.7,  # 4 / 6
    "response_rate": 100.0,
    "resolution_rate": 66.7,
    "satisfaction_rate": 66.7,
    "on_time_rate": 100.0,
}


@pytest.fixture
def appeals(world: Any) -> dict[str, Any]:
    made = {
        "closed": [appeal_in(world, Status.CLOSED), appeal_in(world, Status.CLOSED)],
        "unsatisfied": appeal_in(world, Status.UNSATISFIED),
        "replied": appeal_in(world, Status.REPLIED),
        "handling": appeal_in(world, Status.HANDLING, category=world.cat_heating),
        "submitted": appeal_in(world, Status.SUBMITTED, channel=Channel.HOTLINE),
        "refused": appeal_in(world, Status.REFUSED, channel=Channel.HOTLINE),
        "answered": appeal_in(world, Status.ANSWERED, channel=Channel.HOTLINE),
        "merged": appeal_in(world, Status.MERGED),  # also creates its lead, in HANDLING
    }
    # Two years ago: outside the default period.
    made["old"] = appeal_in(world, Status.SUBMITTED, now=timezone.now() - dt.timedelta(days=730))
    return made


def _login(client: Any, user: Any) -> None:
    client.force_login(user)


def test_page_figures_match_the_appeals(client: Any, world: Any, appeals: dict[str, Any]) -> None:
    _login(client, world.supervisor)
    response = client.get(reverse("dashboards:index"))
    assert response.status_code == 200
    total = response.context["total"]
    for key, value in EXPECTED_TOTAL.items():
        assert total[key] == value, key
    html = response.content.decode()
    assert 'data-figure="received">10<' in html
    assert 'data-figure="closure_rate">42.9%<' in html
    assert 'data-figure="overdue">0<' in html
    assert "指标说明" in html and "按时办结率" in html
    assert "vendor/echarts.min.js" in html and "cdn" not in html.lower()

    months = response.context["months"]
    assert len(months) == 12
    this_month = f"{timezone.localdate():%Y-%m}"
    assert months[-1]["key"] == this_month and months[-1]["received"] == 10
    assert all(m["received"] == 0 and m["closure_rate"] is None for m in months[:-1])

    channels = {r["label"]: r["received"] for r in response.context["channels"]}
    assert channels == {"网站": 7, "热线电话": 3}
    units = {r["label"]: (r["received"], r["replied"]) for r in response.context["units"]}
    assert units == {"市城管局": (6, 4)}
    categories = {r["label"]: r["received"] for r in response.context["categories"]}
    assert categories == {"城市管理/噪音扰民": 9, "供暖问题": 1}

    marker = '<script id="dashboard-data" type="application/json">'
    assert marker in html
    data = json.loads(html.split(marker, 1)[1].split("</script>", 1)[0])
    assert data["month"]["received"][-1] == 10
    assert data["channel"]["labels"] == ["网站", "热线电话"]
    assert data["names"]["satisfaction_rate"] == "满意率"


def test_counters_equal_a_rebuild_from_the_appeals(world: Any, appeals: dict[str, Any]) -> None:
    """The incremental counters the services keep are what a full recount gives."""
    before = dashboard_figures(period_default())
    stats_rebuild()
    assert dashboard_figures(period_default()) == before


def test_period_filter(client: Any, world: Any, appeals: dict[str, Any]) -> None:
    _login(client, world.supervisor)
    old_month = timezone.localtime(appeals["old"].submitted_at).strftime("%Y-%m")
    response = client.get(reverse("dashboards:index"), {"from": old_month, "to": old_month})
    assert response.status_code == 200
    assert response.context["total"]["received"] == 1
    assert response.context["total"]["closure_rate"] is None
    assert 'data-figure="closure_rate">—<' in response.content.decode()


# Grids (grids, events, outcomes, tags, visits, workers), volunteering (its counts), points (schemes,
# balances, claims, merchants, redemptions, outstanding, trial balance): none grows with the rows.
GRASSROOTS_PANEL_QUERIES = 20


def test_query_count_is_bounded(
    client: Any, world: Any, appeals: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    _login(client, world.supervisor)
    # The first view also computes the grassroots panels (a fixed number of queries per loop, cached).
    with django_assert_max_num_queries(11 + GRASSROOTS_PANEL_QUERIES):
        assert client.get(reverse("dashboards:index")).status_code == 200
    # session, user, role assignments, five provider sums, unit and category labels: no per-row queries.
    with django_assert_max_num_queries(11) as captured:
        response = client.get(reverse("dashboards:index"))
    assert response.status_code == 200
    assert not any('appeals_appeal"' in q["sql"] and "FROM" in q["sql"] for q in captured.captured_queries)


def test_export_workbook(client: Any, world: Any, appeals: dict[str, Any]) -> None:
    _login(client, world.operator)
    this_month = f"{timezone.localdate():%Y-%m}"
    response = client.get(reverse("dashboards:export"), {"from": this_month, "to": this_month})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["总体", "按月", "按单位", "按渠道", "按类别"]
    overall = book["总体"]
    assert overall.freeze_panes == "B2"
    headers = [c.value for c in overall[1]]
    values = dict(zip(headers, (c.value for c in overall[2]), strict=True))
    assert values["受理量"] == 10
    assert values["办结量"] == 3
    assert values["回复率"] == pytest.approx(0.667)
    assert overall.cell(row=2, column=headers.index("办结率") + 1).number_format == "0.0%"
    assert values["按时办结率"] == pytest.approx(1.0)
    channel_rows = {row[0]: row[1] for row in book["按渠道"].iter_rows(min_row=2, values_only=True)}
    assert channel_rows == {"网站": 7, "热线电话": 3}
    unit_rows = list(book["按单位"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in unit_rows] == [("市城管局", 6)]
    month_rows = list(book["按月"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in month_rows] == [(this_month, 10)]


def test_export_marks_missing_rates(client: Any, world: Any) -> None:
    _login(client, world.supervisor)
    response = client.get(reverse("dashboards:export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    row = [c.value for c in book["总体"][2]]
    assert row[1] == 0 and row[-1] == "—"
    assert book["按月"].max_row == 13  # header + twelve months


@pytest.mark.parametrize(
    "params",
    [{"from": "2025-13"}, {"from": "yesterday"}, {"from": "2025-06", "to": "2025-01"}, {"to": "2025-01-01"}],
)
def test_bad_period_is_400_with_a_message(client: Any, world: Any, params: dict[str, str]) -> None:
    _login(client, world.supervisor)
    for name in ("dashboards:export", "dashboards:index"):
        response = client.get(reverse(name), params)
        assert response.status_code == 400, name
        body = response.content.decode()
        assert "月份" in body


def test_citizen_is_refused_and_anonymous_goes_to_login(client: Any, world: Any) -> None:
    for name in ("dashboards:index", "dashboards:export"):
        anonymous = client.get(reverse(name))
        assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    _login(client, world.citizen)
    for name in ("dashboards:index", "dashboards:export"):
        assert client.get(reverse(name)).status_code == 403


def test_every_staff_role_may_look(client: Any, world: Any) -> None:
    for user in (world.operator, world.handler, world.supervisor):
        _login(client, user)
        assert client.get(reverse("dashboards:index")).status_code == 200
