"""The data dashboard (数据看板) and its Excel export. Staff only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from huying.accounts.selectors import actor_for
from huying.core.errors import HuyingError, PermissionDenied
from huying.core.replica import reads_from_replica, replica_lag_seconds

from .export import dashboard_workbook
from .selectors import (
    COLUMN_LABELS,
    COUNTERS,
    DEFINITIONS,
    RATES,
    TOP_CATEGORIES,
    TOP_UNITS,
    chart_data,
    dashboard_figures,
    grassroots_panels,
    period_default,
    period_parse,
    period_presets,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous → login page; citizens → 403; anyone holding a role (or a superuser) passes."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_superuser or actor_for(request.user).is_staff_role):
            raise PermissionDenied()
        return view(request, *args, **kwargs)

    return wrapper


def _replica_lag() -> float | None:
    """Seconds the replica's figures are behind, None without a replica (or when it does not answer)."""
    try:
        return replica_lag_seconds()
    except Exception:  # the figures still come; only the lag line is left out
        return None


@require_GET
@staff_required
@reads_from_replica  # inside the login check: the session and the user come from the primary
def index(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "replica_lag": _replica_lag(),
        "presets": period_presets(),
        "definitions": DEFINITIONS,
        "counter_labels": [COLUMN_LABELS[c] for c in COUNTERS],
        "rate_labels": [COLUMN_LABELS[r] for r in RATES],
        "top_units": TOP_UNITS,
        "top_categories": TOP_CATEGORIES,
    }
    try:
        period = period_parse(request.GET.get("from"), request.GET.get("to"))
    except HuyingError as exc:
        # Keep the form on screen so the person can correct the month they typed.
        default = period_default()
        context.update(error=exc.message, period=None, form_from=request.GET.get("from", default.start_param))
        context["form_to"] = request.GET.get("to", default.end_param)
        return render(request, "dashboards/index.html", context, status=exc.status)
    figures = dashboard_figures(period)
    context["panels"] = grassroots_panels(actor_for(request.user))
    context.update(
        period=period,
        form_from=period.start_param,
        form_to=period.end_param,
        total=figures["total"],
        months=figures["month"],
        channels=figures["channel"],
        units=figures["unit"][:TOP_UNITS],
        categories=figures["category"][:TOP_CATEGORIES],
        unit_count=len(figures["unit"]),
        category_count=len(figures["category"]),
        charts=chart_data(figures),
    )
    return render(request, "dashboards/index.html", context)


@require_GET
@staff_required
@reads_from_replica
def export(request: HttpRequest) -> HttpResponse:
    """``?from=YYYY-MM&to=YYYY-MM``; a bad period is a 400 page with the reason (ProblemMiddleware)."""
    period = period_parse(request.GET.get("from"), request.GET.get("to"))
    content = dashboard_workbook(period, dashboard_figures(period))
    response = HttpResponse(content, content_type=XLSX)
    filename = f"huying-dashboard-{period.start_param}_{period.end_param}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
