"""Pages of 好差评: rate an act (phone-friendly), thanks, the unit's rectification inbox and case
page, the supervisors' complaint review, and the public figures.

Views parse a form, call a service or selector and render; a HuyingError from a service is
shown on the page with its message and status; one that escapes is rendered by core's
ProblemMiddleware (never a 500 for bad input).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.core import params
from huying.core.errors import HuyingError, PermissionDenied, ValidationFailed
from huying.core.forms import apply_errors
from huying.core.masking import mask_phone
from huying.core.personal_data import may_reveal
from huying.core.registry import RatedAct
from huying.core.services import client_ip

from .. import errors, selectors, services
from ..models import RectificationCase
from ..permissions import allowed_actions, is_supervisor
from ..states import (
    STAFF_CHANNEL_ROLES,
    UNIT_STAFF_ROLES,
    CaseAction,
    CaseStatus,
    Channel,
    Kind,
    Level,
    Source,
    case_action_label,
    case_status_label,
    kind_label,
)
from . import forms as f

LAST_RATING_KEY = "ratings_last"
PAGE_SIZE = 50
# Unit staff, supervisors and administrators (and superusers) use the rectification pages.
STAFF_ROLES = (*sorted(UNIT_STAFF_ROLES), Role.SUPERVISOR, Role.ADMIN)


# --- rate -------------------------------------------------------------------------------------


def _rate_context(act: RatedAct, mode: str, form: f.RateForm, **extra: Any) -> dict[str, Any]:
    return {
        "act": act,
        "kind_label": kind_label(act.kind),
        "mode": mode,
        "form": form,
        "levels": [(level.value, level.label, range(level.value)) for level in sorted(Level, reverse=True)],
        "closes_at": services.rating_window_closes_at(act),
        "window_days": services.window_workdays(),
        **extra,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest) -> HttpResponse:
    """``/ratings/rate/?kind=&ref=[&channel=]``: the one rating of an act."""
    source = request.POST if request.method == "POST" else request.GET
    kind, ref = (source.get("kind") or "").strip(), (source.get("ref") or "").strip()
    if not kind or not ref:
        error = ValidationFailed(_("缺少评价事项：请从办件结果短信、办事记录或窗口评价链接进入评价页面。"))
        return render(request, "ratings/rate.html", {"error": error}, status=400)
    if not request.user.is_authenticated:
        # The served person rates without an account: on the window's device or by the SMS link.
        login_url = f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}"
        return render(request, "ratings/rate.html", {"how_to": True, "login_url": login_url})
    act = services.rated_act_resolve(kind=kind, ref=ref)
    try:
        mode = services.rating_entry_mode(act=act, user=request.user)
    except PermissionDenied as exc:
        return render(request, "ratings/rate.html", {"error": exc, "act": act, "refused": True}, status=exc.status)
    existing = selectors.rating_for_act(kind=kind, ref=ref)
    channels = services.staff_channels(request.user) if mode == "staff" else None
    requested = source.get("channel") or ""
    if mode == "staff":
        channel = requested if channels and requested in channels else (channels or [Channel.DEVICE])[0]
    else:
        channel = requested if requested in Channel.values and requested not in STAFF_CHANNEL_ROLES else Channel.WEB
    if request.method == "GET" or existing is not None:
        form = f.RateForm(channel=channel, staff_channels=channels)
        context = _rate_context(act, mode, form, existing=existing)
        if existing is not None and request.method == "POST":
            context["error"] = ValidationFailed(_(services.ALREADY_RATED), code=errors.ALREADY_RATED)
        if existing is None and timezone.now() > context["closes_at"]:
            context["window_closed"] = True
        return render(request, "ratings/rate.html", context, status=200 if request.method == "GET" else 400)
    form = f.RateForm(request.POST, channel=channel, staff_channels=channels)
    if not form.is_valid():
        return render(request, "ratings/rate.html", _rate_context(act, mode, form), status=400)
    chosen = form.cleaned_data.get("channel") or channel
    try:
        rating = services.rating_submit(
            kind=kind,
            ref=ref,
            level=form.cleaned_data["level"],
            channel=chosen,
            user=request.user if mode == "rater" else None,
            staff=request.user if mode == "staff" else None,
            comment=form.cleaned_data["comment"],
            dimensions=form.dimensions(),
        )
    except HuyingError as exc:
        apply_errors(form, exc)
        return render(request, "ratings/rate.html", _rate_context(act, mode, form), status=exc.status)
    request.session[LAST_RATING_KEY] = rating.pk
    return redirect("ratings:thanks")


def link_form_context(act: RatedAct, token: str, *, source: str) -> dict[str, Any]:
    """What ``ratings/_rate_form.html`` needs to rate ``act`` through a link (the window's rating
    device embeds it)."""
    channel = Channel.SMS if source == Source.SMS else Channel.DEVICE
    form = f.RateForm(channel=channel)
    return _rate_context(
        act, "link", form, form_action=reverse("ratings:link", args=[token]), source_label=Source(source).label
    )


@never_cache
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, token: str) -> HttpResponse:
    """``/ratings/r/<token>/``: the served person rates by the SMS link or on the window's rating
    device, without an account; the token names the act and expires, and the act rates once."""
    try:
        found = services.rating_link_read(token)
        act = services.rated_act_resolve(kind=found.kind, ref=found.ref)
        services.refuse_own_act(act, request.user)
    except HuyingError as exc:
        return render(request, "ratings/rate.html", {"error": exc}, status=exc.status)
    channel = Channel.SMS if found.source == Source.SMS else Channel.DEVICE
    existing = selectors.rating_for_act(kind=act.kind, ref=act.ref)
    extra = {"form_action": request.path, "source_label": Source(found.source).label, "back": found.back}
    if request.method == "GET" or existing is not None:
        context = _rate_context(act, "link", f.RateForm(channel=channel), existing=existing, **extra)
        if existing is not None and request.method == "POST":
            context["error"] = ValidationFailed(_(services.ALREADY_RATED), code=errors.ALREADY_RATED)
        if existing is None and timezone.now() > context["closes_at"]:
            context["window_closed"] = True
        return render(request, "ratings/rate.html", context, status=200 if request.method == "GET" else 400)
    form = f.RateForm(request.POST, channel=channel)
    if form.is_valid():
        try:
            services.rating_submit_by_link(
                token=token,
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
                dimensions=form.dimensions(),
                user=request.user,
            )
        except HuyingError as exc:
            apply_errors(form, exc)
            return render(request, "ratings/rate.html", _rate_context(act, "link", form, **extra), status=exc.status)
        messages.success(request, _("感谢您的评价！差评将由承办单位核实整改，并按您留的手机号反馈。"))
        return redirect(found.back or request.path)
    return render(request, "ratings/rate.html", _rate_context(act, "link", form, **extra), status=400)


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    rating_id = request.session.get(LAST_RATING_KEY)
    if not rating_id:
        return redirect("home")
    rating = selectors.rating_get_for_rater(user=request.user, rating_id=int(rating_id))
    context = {
        "rating": rating,
        "kind_label": kind_label(rating.kind),
        "is_bad": rating.is_bad,
        "rectify_days": services.rectify_workdays(),
    }
    return render(request, "ratings/thanks.html", context)


# --- unit inbox and case page -----------------------------------------------------------------

INBOX_TABS = [
    ("open", gettext_lazy("待整改反馈")),
    ("followup", gettext_lazy("待回访/办结")),
    ("closed", gettext_lazy("已办结")),
    ("all", gettext_lazy("全部")),
]


@role_required(*STAFF_ROLES)
@require_GET
def cases(request: HttpRequest, actor: Actor) -> HttpResponse:
    tab = request.GET.get("status", "open")
    if tab not in dict(INBOX_TABS):
        tab = "open"
    page = Paginator(selectors.case_list_for(actor, status=tab), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = []
    for case in page.object_list:
        rows.append({"case": case, "deadline": selectors.case_deadline(case, now)})
    context = {"page": page, "rows": rows, "tabs": INBOX_TABS, "tab": tab}
    return render(request, "ratings/cases.html", context)


ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    CaseAction.VERIFY: ("contact_person",),
    CaseAction.EXPLAIN: ("resolution", "ledger_entry", "rectify_by"),
    CaseAction.REVISIT: ("revisit_view",),
}
NOTE_LABELS: dict[str, Any] = {
    CaseAction.VERIFY: gettext_lazy("核实情况"),
    CaseAction.RECTIFY: gettext_lazy("已采取的整改措施"),
    CaseAction.EXPLAIN: gettext_lazy("理由或解释说明"),
    CaseAction.ANSWER: gettext_lazy("反馈给评价人的内容（将以短信发送）"),
    CaseAction.REVISIT: gettext_lazy("回访记录"),
    CaseAction.REDO: gettext_lazy("评价人仍不满意之处和重新整改要求"),
    CaseAction.CLOSE: gettext_lazy("办结说明"),
}


def _action_forms(actor: Actor, case: RectificationCase, failed: tuple[str, f.CaseActionForm] | None) -> list[Any]:
    out = []
    for action in allowed_actions(actor, case):
        form = (
            failed[1]
            if failed is not None and failed[0] == action
            else f.CaseActionForm(initial={"action": action, "version": case.version}, auto_id=f"id_{action}_%s")
        )
        out.append(
            {
                "action": action,
                "label": case_action_label(action),
                "fields": [form[name] for name in ACTION_FIELDS.get(action, ())],
                "note_label": NOTE_LABELS.get(action, gettext_lazy("说明")),
                "needs_note": action != CaseAction.CLOSE,
                "form": form,
            }
        )
    return out


def _render_case(
    request: HttpRequest,
    actor: Actor,
    pk: int,
    *,
    error: HuyingError | None = None,
    failed: tuple[str, f.CaseActionForm] | None = None,
    complaint_form: f.ComplaintForm | None = None,
    status: int = 200,
    revealed: dict[str, str] | None = None,
    reveal_error: str = "",
) -> HttpResponse:
    case = selectors.case_get_for(actor=actor, case_id=pk)
    complaint = getattr(case.rating, "complaint", None)
    events = [
        {"event": e, "label": case_action_label(e.action), "status": case_status_label(e.to_status)}
        for e in selectors.case_events(case)
    ]
    context = {
        "case": case,
        "rating": case.rating,
        "kind_label": kind_label(case.rating.kind),
        "rater_phone": revealed["rater_phone"] if revealed else mask_phone(case.rating.rater_phone),
        "revealed": revealed is not None,
        "can_reveal": revealed is None and may_reveal(actor, case),
        "reveal_error": reveal_error,
        "deadline": selectors.case_deadline(case),
        "events": events,
        "actions": _action_forms(actor, case, failed),
        "complaint": complaint,
        "can_complain": selectors.can_complain(actor, case),
        "complaint_form": complaint_form or f.ComplaintForm(auto_id="id_complaint_%s"),
        "error": error,
    }
    return render(request, "ratings/case.html", context, status=status)


@role_required(*STAFF_ROLES)
@require_GET
def case_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    return _render_case(request, actor, pk)


@never_cache
@role_required(*STAFF_ROLES)
@require_POST
def case_reveal(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """The rater's full phone, shown once with a purpose; the service audits the view."""
    case = selectors.case_get_for(actor=actor, case_id=pk)
    try:
        revealed = services.case_reveal_rater_phone(
            actor=actor, case=case, purpose=request.POST.get("purpose", ""), ip_address=client_ip(request)
        )
    except HuyingError as exc:
        return _render_case(request, actor, pk, status=exc.status, reveal_error=str(exc.message))
    return _render_case(request, actor, pk, revealed=revealed)


@role_required(*STAFF_ROLES)
@require_POST
def case_act(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    selectors.case_get_for(actor=actor, case_id=pk)  # invisible → the same 404 as missing
    action = (request.POST.get("action") or "")[:24]
    form = f.CaseActionForm(request.POST, auto_id=f"id_{action}_%s")
    if not form.is_valid():
        return _render_case(request, actor, pk, error=ValidationFailed(), failed=(action, form), status=400)
    try:
        services.case_transition(
            actor=actor,
            case=pk,
            action=action,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
            **form.payload(),
        )
    except HuyingError as exc:
        apply_errors(form, exc)
        return _render_case(request, actor, pk, error=exc, failed=(action, form), status=exc.status)
    messages.success(request, _("已完成“%(action)s”。") % {"action": case_action_label(action)})
    return redirect("ratings:case", pk=pk)


@role_required(*STAFF_ROLES)
@require_POST
def case_complain(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    selectors.case_get_for(actor=actor, case_id=pk)
    form = f.ComplaintForm(request.POST, auto_id="id_complaint_%s")
    form.is_valid()
    try:
        services.complaint_file(
            actor=actor,
            case=pk,
            reason=form.cleaned_data.get("reason") or "",
            statement=form.cleaned_data.get("statement") or "",
        )
    except HuyingError as exc:
        apply_errors(form, exc)
        return _render_case(request, actor, pk, error=exc, complaint_form=form, status=exc.status)
    messages.success(request, _("申诉已提交，等待督查部门复核；复核期间请继续办理整改。"))
    return redirect("ratings:case", pk=pk)


# --- complaints review ------------------------------------------------------------------------


def _render_complaints(
    request: HttpRequest,
    actor: Actor,
    *,
    failed: tuple[int, f.ReviewForm] | None = None,
    error: HuyingError | None = None,
    status: int = 200,
) -> HttpResponse:
    tab = request.GET.get("status", "pending")
    if tab not in ("pending", "all"):
        tab = "pending"
    rows = []
    for complaint in selectors.complaint_list_for(actor, status=tab)[:200]:
        form = (
            failed[1]
            if failed is not None and failed[0] == complaint.pk
            else f.ReviewForm(initial={"version": complaint.version}, auto_id=f"id_review{complaint.pk}_%s")
        )
        rows.append({"complaint": complaint, "form": form, "kind_label": kind_label(complaint.case.rating.kind)})
    return render(request, "ratings/complaints.html", {"rows": rows, "tab": tab, "error": error}, status=status)


@role_required(*STAFF_ROLES)
@require_GET
def complaints(request: HttpRequest, actor: Actor) -> HttpResponse:
    if not is_supervisor(actor):
        raise PermissionDenied(_("只有督查（督办）人员可以复核申诉。"))
    return _render_complaints(request, actor)


@role_required(*STAFF_ROLES)
@require_POST
def complaint_review(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    selectors.complaint_get_for(actor=actor, complaint_id=pk)
    form = f.ReviewForm(request.POST, auto_id=f"id_review{pk}_%s")
    form.is_valid()
    try:
        complaint = services.complaint_review(
            actor=actor,
            complaint=pk,
            decision=form.cleaned_data.get("decision") or "",
            note=form.cleaned_data.get("note") or "",
            expected_version=form.cleaned_data.get("version"),
        )
    except HuyingError as exc:
        apply_errors(form, exc)
        return _render_complaints(request, actor, failed=(pk, form), error=exc, status=exc.status)
    messages.success(request, _("已复核：%(result)s。") % {"result": complaint.get_status_display()})
    return redirect("ratings:complaints")


# --- public figures ---------------------------------------------------------------------------


def _month(value: str) -> dt.date | None:
    """The month asked for, or None when it is missing, malformed or out of range (the page says so)."""
    try:
        return params.month_param(value, name="month")
    except ValidationFailed:
        return None


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """评价结果向社会公开: no login, no personal data, the definitions on the page."""
    month_text = (request.GET.get("month") or "")[:7]
    month = _month(month_text)
    kind = request.GET.get("kind") or ""
    errors = []
    if month_text and month is None:
        errors.append(_("月份格式应为 2026-03，已显示全部月份。"))
    if kind and kind not in Kind.values:
        errors.append(_("评价对象无效，已显示全部。"))
        kind = ""
    qs = selectors.published_ratings(month=month, kind=kind)
    overall = selectors.figures(qs)
    groups = []
    for key, title in selectors.GROUPS.items():
        if key == "month" and month is not None:
            continue
        groups.append({"key": key, "title": title, "rows": selectors.figures_by(key, qs)})
    context = {
        "overall": overall,
        "levels": [(level.label, overall.by_level.get(level.value, 0)) for level in sorted(Level, reverse=True)],
        "groups": groups,
        "definitions": selectors.DEFINITIONS,
        "month": month_text if month else "",
        "kind": kind,
        "kinds": Kind.choices,
        "errors": errors,
        "status_labels": {s.value: s.label for s in CaseStatus},
    }
    return render(request, "ratings/figures.html", context, status=200)
