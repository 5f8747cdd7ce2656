"""The auditor's page: who viewed whose personal data (审计员查阅个人信息访问记录), with export.

Every reveal of a full ID number or phone writes an ``AuditLog`` row of kind ``personal_data_view``
(huying.core.personal_data): who, when, from which address, which record, which fields and the purpose
given. An auditor filters them by period and by the person who looked, and exports the rows as CSV. The
rows are kept at least six months (``HUYING_AUDIT_RETENTION_DAYS``, never under 183; the sweep removes
only older ones).
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.core.models import AuditLog
from huying.core.services import audit_retention_days

from .access import role_required

PAGE_SIZE = 100


def _day(value: str, default: dt.date) -> tuple[dt.date, str | None]:
    if not value:
        return default, None
    try:
        return dt.date.fromisoformat(value), None
    except ValueError:
        return default, _("日期格式应为 YYYY-MM-DD。")


def _filtered(request: HttpRequest) -> tuple[QuerySet[AuditLog], dict[str, Any]]:
    today = timezone.localdate()
    start, bad_start = _day(request.GET.get("from", ""), today - dt.timedelta(days=30))
    end, bad_end = _day(request.GET.get("to", ""), today)
    who = request.GET.get("who", "").strip()[:150]
    zone = timezone.get_current_timezone()
    rows = AuditLog.objects.filter(
        kind=AuditLog.Kind.PERSONAL_DATA_VIEW,
        created_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        created_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    ).select_related("actor")
    if who:
        rows = rows.filter(actor__username__icontains=who) | rows.filter(actor__display_name__icontains=who)
    form = {"from": start.isoformat(), "to": end.isoformat(), "who": who, "error": bad_start or bad_end}
    return rows.order_by("-created_at", "-pk"), form


def _row(entry: AuditLog) -> list[str]:
    data = entry.data or {}
    return [
        timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        entry.actor.username if entry.actor else "",
        (entry.actor.display_name if entry.actor else "") or "",
        entry.object_type,
        entry.object_id,
        entry.summary,
        "、".join(data.get("fields", [])) if isinstance(data.get("fields"), list) else "",
        str(data.get("purpose", "")),
        entry.ip_address or "",
    ]


@require_GET
@role_required(Role.AUDITOR)
def access_log(request: HttpRequest, actor: Actor) -> HttpResponse:
    rows, form = _filtered(request)
    header = [
        _("时间"),
        _("查看人账号"),
        _("查看人"),
        _("对象类型"),
        _("对象"),
        _("摘要"),
        _("字段"),
        _("用途"),
        _("地址"),
    ]
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # Excel opens UTF-8 CSV with a BOM as Chinese text
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerows(_row(e) for e in rows.iterator(chunk_size=2000))
        response["Content-Disposition"] = f'attachment; filename="personal-data-views-{form["from"]}_{form["to"]}.csv"'
        return response
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "header": header,
        "page": page,
        "rows": [_row(e) for e in page.object_list],
        "retention_days": audit_retention_days(),
    }
    return render(request, "accounts/access_log.html", context, status=400 if form["error"] else 200)
