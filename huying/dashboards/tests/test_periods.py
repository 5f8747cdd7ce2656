"""Period parsing and presets: pure functions, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from huying.core.errors import ValidationFailed
from huying.dashboards.selectors import MAX_MONTHS, Period, period_default, period_parse, period_presets
from huying.dashboards.templatetags.dashboard_tags import rate

TODAY = dt.date(2025, 5, 20)


def test_default_is_last_twelve_months_including_this_one() -> None:
    period = period_default(TODAY)
    assert (period.start, period.end) == (dt.date(2024, 6, 1), dt.date(2025, 5, 1))
    assert len(period.months) == 12


def test_presets() -> None:
    presets = {p["label"]: (p["from"], p["to"]) for p in period_presets(TODAY)}
    assert presets == {
        "本月": ("2025-05", "2025-05"),
        "本季度": ("2025-04", "2025-05"),
        "本年": ("2025-01", "2025-05"),
        "近12个月": ("2024-06", "2025-05"),
    }


def test_parse_and_defaults() -> None:
    assert period_parse("2024-11", "2025-02", today=TODAY) == Period(dt.date(2024, 11, 1), dt.date(2025, 2, 1))
    assert period_parse("2025-3", None, today=TODAY) == Period(dt.date(2025, 3, 1), dt.date(2025, 5, 1))
    assert period_parse(None, None, today=TODAY) == period_default(TODAY)
    assert Period(dt.date(2024, 11, 1), dt.date(2025, 2, 1)).months == [
        dt.date(2024, 11, 1),
        dt.date(2024, 12, 1),
        dt.date(2025, 1, 1),
        dt.date(2025, 2, 1),
    ]


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("2025-13", "2025-12", "from"),
        ("abc", None, "from"),
        ("2025-01", "2025-01-05", "to"),
        ("1999-12", "2000-01", "from"),
        ("2025-06", "2025-01", "from"),
        ("2000-01", "2025-01", "to"),
    ],
)
def test_bad_periods_are_validation_errors(start: str, end: str | None, field: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        period_parse(start, end, today=TODAY)
    assert info.value.status == 400
    assert field in info.value.data
    assert str(info.value.message)


def test_span_limit() -> None:
    assert len(period_parse("2016-01", "2025-12", today=TODAY).months) == MAX_MONTHS


def test_rate_format() -> None:
    assert rate(None) == "—"
    assert rate(66.7) == "66.7%"
    assert rate(100.0) == "100.0%"
