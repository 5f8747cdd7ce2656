"""Formatting for dashboard figures: rates as "66.7%", a missing rate (denominator 0) as "—"."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

from ..selectors import COUNTERS, RATES

register = template.Library()
NO_VALUE = "—"


@register.filter
def rate(value: Any) -> str:
    if value is None:
        return NO_VALUE
    return f"{number_format(value, decimal_pos=1)}%"


@register.filter
def counters(row: dict[str, Any]) -> list[int]:
    return [row[c] for c in COUNTERS]


@register.filter
def rates(row: dict[str, Any]) -> list[Any]:
    return [row[r] for r in RATES]
