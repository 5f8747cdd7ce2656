"""Reads for the data dashboard.

Figures come from the "appeals" provider in ``huying.core.registry`` (monthly counters kept exact
by the appeal services), never from scanning appeals, and never by importing ``huying.appeals``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from huying.core.errors import ValidationFailed
from huying.core.registry import DashboardPanel, dashboard_panels, dashboard_providers

COUNTERS = (
    "received",
    "accepted",
    "dispatched",
    "signed_on_time",
    "replied",
    "replied_on_time",
    "closed",
    "followed_up",
    "resolved",
    "satisfied",
    "overdue",
)
RATES = ("closure_rate", "reply_rate", "response_rate", "resolution_rate", "satisfaction_rate", "on_time_rate")
DIMENSIONS = ("all", "month", "channel", "unit", "category")
TOP_UNITS = 20
TOP_CATEGORIES = 15
MAX_MONTHS = 120  # ten years in one view is plenty; longer spans are a typo more often than not
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")

# Column labels shared by the page tables and the Excel export.
COLUMN_LABELS: dict[str, Any] = {
    "received": gettext_lazy("受理量"),
    "accepted": gettext_lazy("有效受理"),
    "dispatched": gettext_lazy("派单量"),
    "signed_on_time": gettext_lazy("按时签收"),
    "replied": gettext_lazy("回复量"),
    "replied_on_time": gettext_lazy("按时回复"),
    "closed": gettext_lazy("办结量"),
    "followed_up": gettext_lazy("回访量"),
    "resolved": gettext_lazy("已解决"),
    "satisfied": gettext_lazy("满意量"),
    "overdue": gettext_lazy("超期数"),
    "closure_rate": gettext_lazy("办结率"),
    "reply_rate": gettext_lazy("回复率"),
    "response_rate": gettext_lazy("响应率"),
    "resolution_rate": gettext_lazy("解决率"),
    "satisfaction_rate": gettext_lazy("满意率"),
    "on_time_rate": gettext_lazy("按时办结率"),
}
# What each rate means (docs/glossary.md), shown in the 指标说明 section.
DEFINITIONS: list[tuple[Any, Any]] = [
    (gettext_lazy("受理量"), gettext_lazy("统计期间内收到的诉求件数（含重复来电），按受理月份统计。")),
    (gettext_lazy("办结率"), gettext_lazy("办结件数（已办结 + 直接答复办结）÷ 有效受理件数。")),
    (gettext_lazy("回复率"), gettext_lazy("承办单位已答复件数 ÷ 派单件数。")),
    (gettext_lazy("响应率"), gettext_lazy("派单后24小时内（且在办理期限内）签收的件数 ÷ 派单件数。")),
    (gettext_lazy("解决率"), gettext_lazy("回访为“已解决”的件数 ÷ 回访件数。")),
    (gettext_lazy("满意率"), gettext_lazy("回访为“满意”或“基本满意”的件数 ÷ 回访件数。")),
    (gettext_lazy("按时办结率"), gettext_lazy("在办理期限内答复的件数 ÷ 已答复件数。")),
    (gettext_lazy("超期数"), gettext_lazy("超过办理期限仍未答复、已标记超期的工单件数。")),
]


@dataclass(frozen=True)
class Period:
    """Whole months from ``start`` to ``end`` inclusive (both the first day of their month)."""

    start: dt.date
    end: dt.date

    @property
    def months(self) -> list[dt.date]:
        out, month = [], self.start
        while month <= self.end:
            out.append(month)
            month = _add_months(month, 1)
        return out

    @property
    def start_param(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def end_param(self) -> str:
        return f"{self.end:%Y-%m}"

    @property
    def label(self) -> str:
        if self.start == self.end:
            return _("%(year)d年%(month)d月") % {"year": self.start.year, "month": self.start.month}
        return _("%(y1)d年%(m1)d月至%(y2)d年%(m2)d月") % {
            "y1": self.start.year,
            "m1": self.start.month,
            "y2": self.end.year,
            "m2": self.end.month,
        }


def _add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + (month.month - 1) + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _this_month(today: dt.date | None) -> dt.date:
    return (today or timezone.localdate()).replace(day=1)


def period_default(today: dt.date | None = None) -> Period:
    """The last twelve months, the current one included."""
    end = _this_month(today)
    return Period(start=_add_months(end, -11), end=end)


def period_presets(today: dt.date | None = None) -> list[dict[str, str]]:
    """The quick buttons: 本月, 本季度, 本年, 近12个月."""
    month = _this_month(today)
    quarter_start = month.replace(month=(month.month - 1) // 3 * 3 + 1)
    presets = [
        (_("本月"), Period(month, month)),
        (_("本季度"), Period(quarter_start, month)),
        (_("本年"), Period(month.replace(month=1), month)),
        (_("近12个月"), period_default(today)),
    ]
    return [{"label": label, "from": p.start_param, "to": p.end_param} for label, p in presets]


def _parse_month(value: str, field: str) -> dt.date:
    match = _MONTH_RE.match(value.strip())
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return dt.date(year, month, 1)
    message = _("月份格式应为“年-月”，例如 2025-01；收到的是“%(value)s”。") % {"value": value[:20]}
    raise ValidationFailed(message, data={field: message})


def period_parse(start: str | None, end: str | None, *, today: dt.date | None = None) -> Period:
    """The period from ``?from=YYYY-MM&to=YYYY-MM``; missing values take the default's.

    Raises ValidationFailed (HTTP 400) with a message a person can act on.
    """
    default = period_default(today)
    first = _parse_month(start, "from") if start else default.start
    last = _parse_month(end, "to") if end else default.end
    if first > last:
        message = _("起始月份不能晚于结束月份。")
        raise ValidationFailed(message, data={"from": message})
    if len(Period(first, last).months) > MAX_MONTHS:
        message = _("统计期间不能超过%(n)d个月。") % {"n": MAX_MONTHS}
        raise ValidationFailed(message, data={"to": message})
    return Period(first, last)


def _empty_row(key: str, label: str) -> dict[str, Any]:
    return {"key": key, "label": label, **dict.fromkeys(COUNTERS, 0), **dict.fromkeys(RATES)}


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    """Only the fields we show, with None counters (SUM over nothing) as 0."""
    out: dict[str, Any] = {"key": str(row.get("key", "")), "label": str(row.get("label", row.get("key", "")))}
    out.update({c: int(row.get(c) or 0) for c in COUNTERS})
    out.update({r: row.get(r) for r in RATES})
    return out


def dashboard_figures(period: Period) -> dict[str, Any]:
    """Every figure of the dashboard for ``period``: one provider call (one query) for all dimensions.

    ``total`` is one row; ``month`` lists every month of the period (zeros where nothing was
    received); the other dimensions are sorted by 受理量, largest first, and complete (the page
    cuts them to the top N, the export does not).
    """
    provider = dashboard_providers.get("appeals")
    by_dimension = provider(start=period.start, end=period.end)
    out: dict[str, Any] = {d: [_clean(r) for r in by_dimension.get(d, [])] for d in DIMENSIONS}
    out["total"] = out.pop("all")[0] if out["all"] else _empty_row("", _("全部"))
    by_month = {r["key"]: r for r in out["month"]}
    out["month"] = [by_month.get(f"{m:%Y-%m}") or _empty_row(f"{m:%Y-%m}", f"{m:%Y-%m}") for m in period.months]
    return out


def chart_data(figures: dict[str, Any]) -> dict[str, Any]:
    """What the ECharts script draws, serialised with json_script (no strings built in JS)."""

    def series(rows: list[dict[str, Any]], *fields: str) -> dict[str, Any]:
        return {"labels": [r["label"] for r in rows], **{f: [r[f] for r in rows] for f in fields}}

    return {
        "names": {key: str(COLUMN_LABELS[key]) for key in ("received", "closure_rate", "satisfaction_rate")},
        "rate_axis": _("比率（%）"),
        "count_axis": _("件数"),
        "empty": _("统计期间内暂无数据"),
        "month": series(figures["month"], "received", "closure_rate", "satisfaction_rate"),
        "channel": series(figures["channel"], "received"),
        "unit": series(figures["unit"][:TOP_UNITS], "received", "closure_rate", "satisfaction_rate"),
        "category": series(figures["category"][:TOP_CATEGORIES], "received", "closure_rate", "satisfaction_rate"),
    }


PANEL_SECONDS = 60


def grassroots_panels(actor: Any) -> list[DashboardPanel]:
    """The grassroots loops' headline figures this actor may see (each loop decides), in their order.

    They are totals to date, so a minute's staleness is harmless: each person's panels are kept in the
    cache for PANEL_SECONDS, and reloading the dashboard costs only its own queries."""
    key = f"dashboard-panels:{actor.user.pk}:{get_language()}"
    panels = cache.get(key)
    if panels is None:
        panels = [panel for _key, make in dashboard_panels.items() if (panel := make(actor)) is not None]
        panels.sort(key=lambda p: p.order)
        cache.set(key, panels, PANEL_SECONDS)
    return list(panels)
