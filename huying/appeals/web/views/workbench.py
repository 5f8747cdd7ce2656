"""Staff pages of the appeal loop: the hotline workbench (with unit and category suggestions), the unit inbox and the supervisor board."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError
from huying.core.registry import appeal_hooks
from huying.core.workdays import provisional_years
from huying.organisations.models import Division

from ... import deadlines, selectors, services
from ...models import Category
from ...states import Urgency
from .. import forms as f
from .. import presenters as p
from .common import LAST_CALL_KEY, category_or_none, division_or_none, page_of, submission_summary

BOARD_ROWS = 30


# --- operator workbench -----------------------------------------------------------------------


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def workbench(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "GET":
        return _render_workbench(request, actor, f.RecordCallForm())
    form = f.RecordCallForm(request.POST)
    mode = request.POST.get("mode", "dispatch")
    if not form.is_valid():
        return _render_workbench(request, actor, form, status=400)
    data = form.cleaned_data
    lead_unit = data["lead_unit"] if mode == "dispatch" else None
    if mode == "dispatch" and lead_unit is None:
        form.add_error("lead_unit", _("请选择主办单位；暂不派单请点击「仅受理」。"))
        return _render_workbench(request, actor, form, status=400)
    try:
        result = services.appeal_record_call(
            actor=request.user,
            lead_unit=lead_unit,
            assist_units=list(data["assist_units"]) if lead_unit else [],
            note=data["note"],
            channel=data["channel"],
            appeal_type=data["appeal_type"],
            urgency=data["urgency"],
            title=data["title"],
            content=data["content"],
            category=data["category"],
            division=data["division"],
            address=data["address"],
            requester_name=data["requester_name"],
            requester_phone=data["requester_phone"],
            requester_id_number=data["requester_id_number"],
            is_anonymous=data["is_anonymous"],
            is_confidential=data["is_confidential"],
        )
    except HuyingError as exc:
        f.apply_errors(form, exc)
        return _render_workbench(request, actor, form, status=exc.status)
    summary = submission_summary(result)
    summary.update(status_label=result.appeal.get_status_display(), unit=p.unit_label(result.appeal.lead_unit))
    request.session[LAST_CALL_KEY] = summary
    return redirect("appeals:workbench")


def _suggestion(category: Category | None, division: Division | None, urgency: str) -> dict[str, Any]:
    unit = selectors.suggest_unit(category, division) if category is not None else None
    amount, time_unit = deadlines.time_limit_for(category, urgency if urgency in Urgency.values else Urgency.GENERAL)
    return {"unit": unit, "time_limit": p.time_limit_text(amount, time_unit), "has_category": category is not None}


def _render_workbench(request: HttpRequest, actor: Actor, form: f.RecordCallForm, status: int = 200) -> HttpResponse:
    waiting = selectors.supervisor_board_for(actor)["to_dispatch"]
    category = division = None
    urgency = Urgency.GENERAL
    if form.is_bound:
        category = category_or_none(form.data.get("category"))
        division = division_or_none(form.data.get("division"))
        urgency = form.data.get("urgency") or Urgency.GENERAL
    context = {
        "form": form,
        "suggestion": _suggestion(category, division, urgency),
        "waiting": waiting[:BOARD_ROWS],
        "waiting_count": waiting.count(),
        "last_call": request.session.pop(LAST_CALL_KEY, None) if not form.is_bound else None,
    }
    return render(request, "appeals/workbench.html", context, status=status)


@role_required(Role.OPERATOR, Role.SUPERVISOR)
@require_GET
def suggest_unit(request: HttpRequest, actor: Actor) -> HttpResponse:
    """htmx: the lead-unit field with the 派单目录's suggestion selected, and the time limit."""
    category = category_or_none(request.GET.get("category"))
    division = division_or_none(request.GET.get("division"))
    suggestion = _suggestion(category, division, request.GET.get("urgency", Urgency.GENERAL))
    initial = {"lead_unit": suggestion["unit"].pk} if suggestion["unit"] else {}
    form = f.RecordCallForm(initial=initial)
    return render(request, "appeals/_lead_unit.html", {"form": form, "suggestion": suggestion})


@role_required(Role.OPERATOR, Role.SUPERVISOR)
@require_POST
def suggest_category(request: HttpRequest, actor: Actor) -> HttpResponse:
    """htmx: smart dispatch's category suggestion for the text typed so far (empty without the app)."""
    text = (request.POST.get("content") or "")[:5000]
    title = (request.POST.get("title") or "")[:200] or None
    division = division_or_none(request.POST.get("division"))
    suggestion = appeal_hooks.call("suggest", text, division, title=title) if len(text.strip()) >= 2 else None
    return render(request, "appeals/_category_suggestion.html", {"suggestion": suggestion})


# --- department inbox -------------------------------------------------------------------------


@role_required(Role.HANDLER)
@require_GET
def inbox(request: HttpRequest, actor: Actor) -> HttpResponse:
    page = page_of(request, selectors.unit_inbox_for(actor))
    rows = p.appeal_rows(page.object_list, actor=actor, now=timezone.now())
    return render(request, "appeals/inbox.html", {"page": page, "rows": rows})


# --- supervisor board -------------------------------------------------------------------------

BOARD_SECTIONS = [
    ("overdue", gettext_lazy("超期工单")),
    ("returns", gettext_lazy("退单待审核")),
    ("extensions", gettext_lazy("延期待审核")),
    ("unsatisfied", gettext_lazy("回访不满意")),
    ("to_dispatch", gettext_lazy("待派单")),
    ("to_follow_up", gettext_lazy("待回访")),
]


@role_required(Role.SUPERVISOR, Role.OPERATOR)
@require_GET
def board(request: HttpRequest, actor: Actor) -> HttpResponse:
    now = timezone.now()
    queues = selectors.supervisor_board_for(actor)
    sections = []
    for key, title in BOARD_SECTIONS:
        qs = queues[key]
        sections.append(
            {
                "key": key,
                "title": title,
                "count": qs.count(),
                "rows": p.appeal_rows(qs[:BOARD_ROWS], now=now),
            }
        )
    year = timezone.localdate().year
    context = {
        "sections": sections,
        "extra_sections": appeal_hooks.call("board_sections", actor) or [],
        "provisional": provisional_years([year, year + 1]),
        "limit": BOARD_ROWS,
    }
    return render(request, "appeals/board.html", context)
