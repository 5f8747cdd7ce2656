"""Citizen pages of the appeal loop: intake, tracking by number and SMS code, follow-up and rating, own appeals, attachments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huying.accounts.models import User
from huying.accounts.selectors import actor_for
from huying.core.errors import HuyingError, NotFound, PermissionDenied
from huying.core.ratelimit import limit, with_headers
from huying.core.uploads import private_file_response

from ... import selectors, services
from ...models import Appeal
from ...services.personal_data import TRACKING_CODE_SENT
from ...states import Action, Channel, Status
from .. import forms as f
from .. import presenters as p
from .common import LAST_SUBMISSION_KEY, TRACKED_KEY, int_or_none, page_of, submission_summary

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
            if not actor.is_staff_role:
                limit(request, "appeal_submit", phone=data["requester_phone"])
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
            return with_headers(render(request, "appeals/submit.html", {"form": form}, status=exc.status), exc)
        request.session[LAST_SUBMISSION_KEY] = submission_summary(result)
        return redirect("appeals:submitted")
    return render(request, "appeals/submit.html", {"form": form}, status=400)


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
    """Tracking by number and SMS code: the same limits and the same answers as the API."""
    context: dict[str, Any] = {"show_dev_hint": settings.DEBUG}
    if request.method == "GET":
        context["send_form"] = f.TrackSendForm(initial={"number": request.GET.get("number", "")})
        return render(request, "appeals/track.html", context)
    if request.POST.get("step", "send") == "verify":
        return _track_verify(request, context)
    send_form = f.TrackSendForm(request.POST)
    context["send_form"] = send_form
    if not send_form.is_valid():
        return render(request, "appeals/track.html", context, status=400)
    try:
        limit(request, "track_send", phone=send_form.cleaned_data["phone"])
        services.tracking_code_send(number=send_form.cleaned_data["number"], phone=send_form.cleaned_data["phone"])
    except HuyingError as exc:
        f.apply_errors(send_form, exc)
        return with_headers(render(request, "appeals/track.html", context, status=exc.status), exc)
    context["sent"] = True
    context["sent_message"] = TRACKING_CODE_SENT
    context["verify_form"] = f.TrackVerifyForm(initial={"number": send_form.cleaned_data["number"]})
    return render(request, "appeals/track.html", context)


def _track_verify(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    verify_form = f.TrackVerifyForm(request.POST)
    context["verify_form"] = verify_form
    try:
        limit(request, "track_verify")
    except HuyingError as exc:
        verify_form.is_valid()
        f.apply_errors(verify_form, exc)
        return with_headers(render(request, "appeals/track.html", context, status=exc.status), exc)
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


def _follow_up_actor(request: HttpRequest, appeal: Appeal, is_requester: bool) -> User | None:
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
            expected_version=int_or_none(request.POST.get("version")),
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


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    appeals = selectors.appeal_list_for(request.user).filter(citizen=request.user).order_by("-submitted_at", "-pk")
    return render(request, "appeals/mine.html", {"page": page_of(request, appeals)})


# --- attachments ------------------------------------------------------------------------------


@require_GET
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    appeal, _is_requester = _public_appeal(request, pk)
    item = appeal.attachments.filter(pk=attachment_id).first()
    if item is None:
        raise NotFound()
    return private_file_response(item.file, content_type=item.content_type, name=item.original_name)
