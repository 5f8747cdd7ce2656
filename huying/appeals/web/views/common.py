"""Helpers the appeal pages share: paging, session keys, a submission's summary, lenient lookups."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest

from huying.organisations.models import Division

from ... import selectors, services
from ...models import Category
from .. import presenters as p

# Session key: ids of appeals this browser proved it may track (number + phone + SMS code).
TRACKED_KEY = "appeals_tracked"
LAST_SUBMISSION_KEY = "appeals_last_submission"
LAST_CALL_KEY = "appeals_last_call"
PAGE_SIZE = 50


def page_of(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def submission_summary(result: services.IntakeResult) -> dict[str, Any]:
    appeal, lead = result.appeal, result.repeat_of
    summary: dict[str, Any] = {"number": appeal.number, "id": appeal.pk, "repeat_of": None}
    if lead is not None:
        summary["repeat_of"] = {
            "id": lead.pk,
            "number": lead.number,
            "status": lead.status,
            "status_label": lead.get_status_display(),
            "unit": p.unit_label(lead.lead_unit),
        }
    return summary


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def category_or_none(value: Any) -> Category | None:
    pk = int_or_none(value)
    return selectors.category_choices().filter(pk=pk).first() if pk else None


def division_or_none(value: Any) -> Division | None:
    pk = int_or_none(value)
    return Division.objects.filter(pk=pk, valid_to__isnull=True).first() if pk else None
