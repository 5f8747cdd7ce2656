"""Read helpers of the API on top of the appeal selectors: list filters and the catalogue's time limits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from huying.organisations.models import OrgUnit

from .. import deadlines
from ..models import Appeal, Category, TimeLimitRule
from ..states import Urgency


def appeal_filter(qs: QuerySet[Appeal], filters: dict[str, Any]) -> QuerySet[Appeal]:
    """Apply the list filters (already type-checked by AppealFilterSerializer) to a visible queryset."""
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("channel"):
        qs = qs.filter(channel=filters["channel"])
    if filters.get("category"):
        category_id = filters["category"]
        qs = qs.filter(
            Q(category_id=category_id) | Q(category__parent_id=category_id) | Q(category__parent__parent_id=category_id)
        )
    if filters.get("lead_unit"):
        qs = qs.filter(lead_unit_id=filters["lead_unit"])
    if filters.get("overdue") is not None:
        qs = qs.filter(is_overdue=filters["overdue"])
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(number__startswith=q) | Q(title__icontains=q))
    after: dt.date | None = filters.get("submitted_after")
    if after:
        qs = qs.filter(submitted_at__date__gte=after)
    before: dt.date | None = filters.get("submitted_before")
    if before:
        qs = qs.filter(submitted_at__date__lte=before)
    return qs


def unit_filter(qs: QuerySet[OrgUnit], filters: dict[str, Any]) -> QuerySet[OrgUnit]:
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    return qs


def category_time_limits(categories: list[Category]) -> dict[int, dict[str, tuple[int, str]]]:
    """``deadlines.time_limit_for`` for every urgency of many categories in two queries.

    Same precedence (the category, its ancestors, the default row, the coded default); a test
    checks the two agree.
    """
    parents: dict[int, int | None] = dict(Category.objects.values_list("pk", "parent_id"))
    rules: dict[tuple[int | None, str], tuple[int, str]] = {
        (category_id, urgency): (amount, unit)
        for category_id, urgency, amount, unit in TimeLimitRule.objects.values_list(
            "category_id", "urgency", "amount", "unit"
        )
    }
    result: dict[int, dict[str, tuple[int, str]]] = {}
    for category in categories:
        limits: dict[str, tuple[int, str]] = {}
        for urgency in Urgency.values:
            found = None
            node: int | None = category.pk
            while node is not None and found is None:
                found = rules.get((node, urgency))
                node = parents.get(node)
            amount, unit = found or rules.get((None, urgency)) or deadlines.DEFAULT_LIMITS[urgency]
            limits[urgency] = (amount, str(unit))
        result[category.pk] = limits
    return result
