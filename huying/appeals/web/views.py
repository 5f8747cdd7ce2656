"""Pages of the appeal loop: citizen intake and tracking, the hotline workbench, the unit inbox,
the order detail with its actions, and the supervisor board.

Views parse a form, call a service or a selector and render; they never save a model. A
HuyingError from a service is shown on the page with the service's message and the HTTP status
the error names (400/403/404/409); one that escapes is rendered by core's ProblemMiddleware.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError, NotFound, PermissionDenied, ValidationFailed
from huying.core.registry import appeal_hooks
from huying.core.services import client_ip
from huying.core.uploads import private_file_response
from huying.core.workdays import provisional_years
from huying.organisations.models import Division

from .. import deadlines, selectors, services
from ..models import Appeal, Category
from ..permissions import allowed_transitions
from ..states import OPEN_STATUSES, Action, Channel, Status, Urgency
from . import forms as f
from . import presenters as p

# Session key: ids of appeals this browser proved it may track (number + phone + SMS code).
TRACKED_KEY = "appeals_tracked"
LAST_SUBMISSION_KEY = "appeals_last_submission"
LAST_CALL_KEY = "appeals_last_call"
PAGE_SIZE = 50
BOARD_ROWS = 30

View = Callable[..., HttpResponse]


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- citizen: submit ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    citizen = request.user if actor.is_citizen else None
    if request.method == "GET":
        initial = {}
        if citizen is not None:
            initial = {
                "requester_name": getattr(citizen, "display_name", ""),
                "requester_phone": getattr(citizen, "phone", ""),
            }
        return render(request, "appeals/submit.html", {"form": f.SubmitForm(initial=initial)})
    form = f.SubmitForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.appeal_submit(
                actor=request.user,
                citizen=citizen,
                channel=Channel.WEB,
                appeal_type=data["appeal_type"],
                category=data["category"],
                title=data["title"],
                content=data["content"],
                address=data["address"],
                requester_name=data["requester_name"],
                requester_phone=data["requester_phone"],
                requester_id_number=data["requester_id_number"],
                is_anonymous=data["is_anonymous"],
                attachments=data["attachments"],
            )
        except HuyingError as exc:
            f.apply_errors(form, exc)
            return render(request, "appeals/submit.html", {"form": form}, status=exc.status)
        request.session[LAST_SUBMISSION_KEY] = _submission_summary(result)
        return redirect("appeals:submitted")
    return render(request, "appeals/submit.html", {"form": form}, status=400)


def _submission_summary(result: services.IntakeResult) -> dict[str, Any]:
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


@require_GET
def submitted(request: HttpRequest) -> HttpResponse:
    summary = request.session.get(LAST_SUBMISSION_KEY)
    if not summary:
        return redirect("appeals:new")
    return render(request, "appeals/submitted.html", {"summary": summary})


# --- citizen: tracking ------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"show_dev_hint": settings.DEBUG}
    step = request.POST.get("step", "send")
    if request.method == "GET":
        context["send_form"] = f.TrackSendForm(initial={"number": request.GET.get("number", "")})
        return render(request, "appeals/track.html", context)
    if step == "verify":
        verify_form = f.TrackVerifyForm(request.POST)
        context["verify_form"] = verify_form
        if not verify_form.is_valid():
            return render(request, "appeals/track.html", context, status=400)
        try:
            appeal = services.tracking_code_verify(
                number=verify_form.cleaned_data["number"], code=verify_form.cleaned_data["code"]
            )
        except HuyingError as exc:
            f.apply_errors(verify_form, exc)
            return render(request, "appeals/track.html", context, status=exc.status)
        tracked = [i for i in request.session.get(TRACKED_KEY, []) if i != appeal.pk][-9:]
        request.session[TRACKED_KEY] = [*tracked, appeal.pk]
        # A new privilege in this session: a new session key, so a planted one is worth nothing.
        request.session.cycle_key()
        return redirect("appeals:public_detail", pk=appeal.pk)
    send_form = f.TrackSendForm(request.POST)
    context["send_form"] = send_form
    if not send_form.is_valid():
        return render(request, "appeals/track.html", context, status=400)
    try:
        services.tracking_code_send(number=send_form.cleaned_data["number"], phone=send_form.cleaned_data["phone"])
    except HuyingError as exc:
        f.apply_errors(send_form, exc)
        return render(request, "appeals/track.html", context, status=exc.status)
    context["sent"] = True
    context["verify_form"] = f.TrackVerifyForm(initial={"number": send_form.cleaned_data["number"]})
    return render(request, "appeals/track.html", context)


def _tracked_ids(request: HttpRequest) -> list[int]:
    return [int(i) for i in request.session.get(TRACKED_KEY, [])]


def _public_appeal(request: HttpRequest, pk: int) -> tuple[Appeal, bool]:
    """The appeal for the progress page and whether this visitor is its requester.

    Visible to a signed-in user who may see it (its citizen, or staff previewing), or to a
    browser session that verified the SMS code for it. Anything else is the same NotFound.
    """
    if request.user.is_authenticated:
        try:
            appeal = selectors.appeal_get_for(actor=request.user, appeal_id=pk)
        except NotFound:
            pass
        else:
            return appeal, appeal.citizen_id == request.user.pk
    if pk in _tracked_ids(request):
        # The session proved number + phone + code for exactly this id; no account to scope by.
        tracked = (
            Appeal.objects.select_related("lead_unit", "category__parent", "merged_into", "citizen")
            .filter(pk=pk)
            .first()
        )
        if tracked is not None:
            return tracked, True
    raise NotFound()


@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated and pk not in _tracked_ids(request):
        messages.info(request, _("请输入工单编号和电话，验证后查看办理进度。"))
        return redirect("appeals:track")
    appeal, is_requester = _public_appeal(request, pk)
    return _render_public(request, appeal, is_requester, f.FollowUpForm())


def _follow_up_actor(request: HttpRequest, appeal: Appeal, is_requester: bool) -> Any:
    """Who rates the answer online: the signed-in citizen, or for a verified tracker the account
    the appeal belongs to. An appeal without an account is followed up by the hotline's call."""
    if not is_requester or appeal.status != Status.REPLIED:
        return None
    if request.user.is_authenticated and appeal.citizen_id == request.user.pk:
        return request.user
    if pk_tracked(request, appeal.pk) and appeal.citizen is not None:
        return appeal.citizen
    return None


def pk_tracked(request: HttpRequest, pk: int) -> bool:
    return pk in _tracked_ids(request)


def _render_public(
    request: HttpRequest, appeal: Appeal, is_requester: bool, follow_up_form: f.FollowUpForm, status: int = 200
) -> HttpResponse:
    # A repeat merged into an open order gets that order's reply and follow-up result (并单).
    lead = appeal.merged_into if appeal.status == Status.MERGED else None
    context = {
        "appeal": appeal,
        "lead": lead,
        "timeline": p.timeline_rows(appeal, public_only=True),
        "show_reply": bool(appeal.reply_text),
        "can_follow_up": _follow_up_actor(request, appeal, is_requester) is not None,
        "awaiting_call": appeal.status == Status.REPLIED and appeal.citizen_id is None,
        "follow_up_form": follow_up_form,
        "attachments": list(appeal.attachments.order_by("created_at", "pk")),
        "lead_unit": p.unit_label(appeal.lead_unit),
    }
    return render(request, "appeals/public_detail.html", context, status=status)


@require_POST
def public_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    appeal, is_requester = _public_appeal(request, pk)
    form = f.FollowUpForm(request.POST)
    follow_actor = _follow_up_actor(request, appeal, is_requester)
    if follow_actor is None:
        raise PermissionDenied(_("该工单当前不能在线评价，热线工作人员将电话回访。"))
    if not form.is_valid():
        return _render_public(request, appeal, is_requester, form, status=400)
    try:
        services.appeal_transition(
            actor=follow_actor,
            appeal=appeal.pk,
            action=Action.FOLLOW_UP,
            note=form.cleaned_data["note"],
            expected_version=_int(request.POST.get("version")),
            resolution=form.cleaned_data["resolution"],
            satisfaction=form.cleaned_data["satisfaction"],
        )
    except NotFound:
        raise
    except HuyingError as exc:
        f.apply_errors(form, exc)
        appeal, is_requester = _public_appeal(request, pk)
        return _render_public(request, appeal, is_requester, form, status=exc.status)
    messages.success(request, _("感谢您的评价，我们已收到。"))
    return redirect("appeals:public_detail", pk=pk)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    appeals = selectors.appeal_list_for(request.user).filter(citizen=request.user).order_by("-submitted_at", "-pk")
    return render(request, "appeals/mine.html", {"page": _page(request, appeals)})


# --- attachments ------------------------------------------------------------------------------


@require_GET
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    appeal, _is_requester = _public_appeal(request, pk)
    item = appeal.attachments.filter(pk=attachment_id).first()
    if item is None:
        raise NotFound()
    return private_file_response(item.file, content_type=item.content_type, name=item.original_name)


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
    summary = _submission_summary(result)
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
        category = _category(form.data.get("category"))
        division = _division(form.data.get("division"))
        urgency = form.data.get("urgency") or Urgency.GENERAL
    context = {
        "form": form,
        "suggestion": _suggestion(category, division, urgency),
        "waiting": waiting[:BOARD_ROWS],
        "waiting_count": waiting.count(),
        "last_call": request.session.pop(LAST_CALL_KEY, None) if not form.is_bound else None,
    }
    return render(request, "appeals/workbench.html", context, status=status)


def _category(value: Any) -> Category | None:
    pk = _int(value)
    return selectors.category_choices().filter(pk=pk).first() if pk else None


def _division(value: Any) -> Division | None:
    pk = _int(value)
    return Division.objects.filter(pk=pk, valid_to__isnull=True).first() if pk else None


@role_required(Role.OPERATOR, Role.SUPERVISOR)
@require_GET
def suggest_unit(request: HttpRequest, actor: Actor) -> HttpResponse:
    """htmx: the lead-unit field with the 派单目录's suggestion selected, and the time limit."""
    category = _category(request.GET.get("category"))
    division = _division(request.GET.get("division"))
    suggestion = _suggestion(category, division, request.GET.get("urgency", Urgency.GENERAL))
    initial = {"lead_unit": suggestion["unit"].pk} if suggestion["unit"] else {}
    form = f.RecordCallForm(initial=initial)
    return render(request, "appeals/_lead_unit.html", {"form": form, "suggestion": suggestion})


@role_required(Role.OPERATOR, Role.SUPERVISOR)
@require_POST
def suggest_category(request: HttpRequest, actor: Actor) -> HttpResponse:
    """htmx: smart dispatch's category suggestion for the text typed so far (empty without the app)."""
    text = (request.POST.get("content") or "")[:5000]
    division = _division(request.POST.get("division"))
    suggestion = appeal_hooks.call("suggest", text, division) if len(text.strip()) >= 6 else None
    return render(request, "appeals/_category_suggestion.html", {"suggestion": suggestion})


# --- department inbox -------------------------------------------------------------------------


@role_required(Role.HANDLER)
@require_GET
def inbox(request: HttpRequest, actor: Actor) -> HttpResponse:
    page = _page(request, selectors.unit_inbox_for(actor))
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


# --- staff detail and actions -----------------------------------------------------------------

# Which extra inputs each action's form has (the note is on every form).
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    Action.DISPATCH: ("category", "lead_unit", "assist_units"),
    Action.APPROVE_RETURN: ("category", "lead_unit", "assist_units"),
    Action.REFER: ("refer_target",),
    Action.REQUEST_EXTENSION: ("extension_days",),
    Action.APPROVE_EXTENSION: ("extension_days",),
    Action.FOLLOW_UP: ("resolution", "satisfaction"),
    Action.MERGE: ("merge_into",),
}
# What the note means for each action (the label above its textarea).
NOTE_LABELS: dict[str, Any] = {
    Action.ANSWER: gettext_lazy("答复内容"),
    Action.REPLY: gettext_lazy("答复内容"),
    Action.REFER: gettext_lazy("转办说明"),
    Action.REFUSE: gettext_lazy("不予受理的理由"),
    Action.DISPATCH: gettext_lazy("派单意见"),
    Action.REQUEST_RETURN: gettext_lazy("退单理由"),
    Action.APPROVE_RETURN: gettext_lazy("审核意见"),
    Action.REJECT_RETURN: gettext_lazy("驳回理由"),
    Action.REQUEST_EXTENSION: gettext_lazy("延期理由"),
    Action.APPROVE_EXTENSION: gettext_lazy("审核意见"),
    Action.REJECT_EXTENSION: gettext_lazy("驳回理由"),
    Action.SUSPEND: gettext_lazy("中止理由"),
    Action.FOLLOW_UP: gettext_lazy("回访记录"),
    Action.REOPEN: gettext_lazy("重办意见"),
    Action.CLOSE: gettext_lazy("办结说明"),
    Action.SUPERVISE: gettext_lazy("督办意见"),
}
# Actions that end or push back work: drawn as secondary / warning buttons.
CAUTION_ACTIONS = {
    Action.REQUEST_RETURN,
    Action.REFUSE,
    Action.WITHDRAW,
    Action.REJECT_RETURN,
    Action.REJECT_EXTENSION,
    Action.SUSPEND,
    Action.SUPERVISE,
    Action.REOPEN,
}


def _action_forms(
    actor: Actor, appeal: Appeal, timeline: list[p.TimelineRow], failed: tuple[str, f.ActionForm] | None
) -> list[dict[str, Any]]:
    out = []
    for transition in allowed_transitions(actor, appeal):
        action = str(transition.action)
        if failed is not None and failed[0] == action:
            form = failed[1]
        else:
            initial: dict[str, Any] = {"action": action}
            if action == Action.DISPATCH:
                category = appeal.category
                if category is None:
                    # Unclassified (usually from the web): start from smart dispatch's suggestion.
                    suggested = appeal_hooks.call("suggest", f"{appeal.title}{appeal.content}", appeal.division)
                    category = _category((suggested or {}).get("category"))
                initial["category"] = category.pk if category else None
                unit = selectors.suggest_unit(category, appeal.division) if category else None
                initial["lead_unit"] = unit.pk if unit else None
            elif action == Action.APPROVE_EXTENSION:
                initial["extension_days"] = p.last_requested_extension(timeline)
            form = f.ActionForm(initial=initial, auto_id=f"id_{action}_%s")
        out.append(
            {
                "action": action,
                "label": str(Action(action).label),
                "needs_note": transition.needs_note,
                "note_label": NOTE_LABELS.get(action, gettext_lazy("说明")),
                "fields": ACTION_FIELDS.get(action, ()),
                "form": form,
                "caution": action in CAUTION_ACTIONS,
            }
        )
    return out


def _render_detail(
    request: HttpRequest,
    actor: Actor,
    pk: int,
    *,
    error: HuyingError | None = None,
    failed: tuple[str, f.ActionForm] | None = None,
    revealed: dict[str, str] | None = None,
    reveal_form: f.RevealForm | None = None,
    assist_form: f.ActionForm | None = None,
    reply_warnings: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    appeal = selectors.appeal_get_for(actor=actor, appeal_id=pk)
    timeline = p.timeline_rows(appeal, public_only=False)
    assignments = p.active_assignments(appeal)
    time_limit = p.time_limit_text(appeal.time_limit_amount, appeal.time_limit_unit)
    context = {
        "appeal": appeal,
        "error": error,
        "timeline": timeline,
        "assignments": assignments,
        "requester": p.requester_for(actor, appeal, revealed),
        "reveal_form": reveal_form or f.RevealForm(),
        "actions": _action_forms(actor, appeal, timeline, failed),
        "can_assist": appeal.status in OPEN_STATUSES and p.is_assisting(actor, assignments),
        "assist_form": assist_form or f.ActionForm(initial={"action": "assist_report"}, auto_id="id_assist_%s"),
        "attachments": list(appeal.attachments.order_by("created_at", "pk")),
        "deadline": selectors.appeal_deadline(appeal),
        "time_limit": time_limit,
        "reply_warnings": reply_warnings or [],
        "similar": _similar(actor, appeal),
    }
    response = render(request, "appeals/detail.html", context, status=status)
    if revealed is not None:
        response["Cache-Control"] = "private, no-store"
    return response


def _similar(actor: Actor, appeal: Appeal) -> list[dict[str, Any]]:
    """Open orders that look like the same matter, offered for merging (并单) while this one is new."""
    if appeal.status not in (Status.SUBMITTED, Status.ACCEPTED):
        return []
    if not (actor.has_role(Role.OPERATOR) or actor.has_role(Role.SUPERVISOR)):
        return []
    return appeal_hooks.call("similar", actor, appeal) or []


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    actor = actor_for(request.user)
    if not actor.is_staff_role:
        return redirect("appeals:public_detail", pk=pk)
    return _render_detail(request, actor, pk)


@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """One endpoint for every action on the detail page, chosen by the ``action`` field."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    actor = actor_for(request.user)
    selectors.appeal_get_for(actor=actor, appeal_id=pk)  # invisible → the same 404 as missing
    action = request.POST.get("action", "")
    is_assist = action == "assist_report"
    form = f.ActionForm(request.POST, auto_id="id_assist_%s" if is_assist else f"id_{action[:24]}_%s")
    failed_kwargs: dict[str, Any] = {"assist_form": form} if is_assist else {"failed": (action, form)}
    if not form.is_valid():
        return _render_detail(request, actor, pk, error=ValidationFailed(), status=400, **failed_kwargs)
    if action == Action.REPLY and not form.cleaned_data["confirm"]:
        # A reply that may not answer the appeal is shown back with the reasons; the unit may still send it.
        appeal = selectors.appeal_get_for(actor=actor, appeal_id=pk)
        warnings = appeal_hooks.call("check_reply", appeal, form.cleaned_data["note"]) or []
        if warnings and form.cleaned_data["note"].strip():
            return _render_detail(request, actor, pk, failed=(action, form), reply_warnings=warnings, status=400)
    try:
        if is_assist:
            services.appeal_assist_report(actor=request.user, appeal_id=pk, note=form.cleaned_data["note"])
            label = _("协办意见")
        else:
            services.appeal_transition(
                actor=request.user,
                appeal=pk,
                action=action,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
                **form.payload(),
            )
            label = str(Action(action).label)
    except HuyingError as exc:
        f.apply_errors(form, exc)
        return _render_detail(request, actor, pk, error=exc, status=exc.status, **failed_kwargs)
    messages.success(request, _("已完成「%(action)s」。") % {"action": label})
    return redirect("appeals:detail", pk=pk)


@never_cache
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full phone and ID number once; the service writes the view to the audit log."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    actor = actor_for(request.user)
    appeal = selectors.appeal_get_for(actor=actor, appeal_id=pk)
    form = f.RevealForm(request.POST)
    form.is_valid()
    try:
        revealed = services.appeal_reveal_personal_data(
            actor=request.user,
            appeal=appeal,
            purpose=form.cleaned_data.get("purpose", ""),
            ip_address=client_ip(request),
        )
    except HuyingError as exc:
        f.apply_errors(form, exc)
        return _render_detail(request, actor, pk, error=exc, reveal_form=form, status=exc.status)
    return _render_detail(request, actor, pk, revealed=revealed)
