"""Staff detail of an appeal: its timeline, the actions the actor may take, revealing personal data."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.core.errors import HuyingError, ValidationFailed
from huying.core.registry import appeal_hooks
from huying.core.services import client_ip

from ... import deadlines, selectors, services
from ...models import Appeal
from ...permissions import allowed_transitions
from ...states import OPEN_STATUSES, Action, Status
from ...system_notes import reply_warning_text
from .. import forms as f
from .. import presenters as p
from .common import category_or_none

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
                    category = category_or_none((suggested or {}).get("category"))
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
    actions = _action_forms(actor, appeal, timeline, failed)
    can_assist = appeal.status in OPEN_STATUSES and p.is_assisting(actor, assignments)
    # A mistake in what was typed is shown on the form it belongs to, not repeated in a banner above
    # the page; a refusal of the whole action (changed meanwhile, not allowed) is the banner's alone.
    on_form = isinstance(error, ValidationFailed) and (
        (failed is not None and any(a["action"] == failed[0] for a in actions))
        or (assist_form is not None and can_assist)
    )
    context = {
        "appeal": appeal,
        "error": None if on_form and reveal_form is None else error,
        "timeline": timeline,
        "assignments": assignments,
        "requester": p.requester_for(actor, appeal, revealed),
        "reveal_form": reveal_form or f.RevealForm(),
        "actions": actions,
        "can_assist": can_assist,
        "follow_up_earlier": p.follow_up_is_earlier(timeline),
        "reply_sent_back": p.reply_was_sent_back(timeline),
        "rehandle_limit": _rehandle_limit(appeal, actions),
        "assist_form": assist_form or f.ActionForm(initial={"action": "assist_report"}, auto_id="id_assist_%s"),
        "attachments": list(appeal.attachments.order_by("created_at", "pk")),
        "deadline": selectors.appeal_deadline(appeal),
        "time_limit": time_limit,
        "reply_warnings": [{"code": w.get("code", ""), "text": reply_warning_text(w)} for w in reply_warnings or []],
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
        if isinstance(exc, ValidationFailed):
            f.apply_errors(form, _worded_for(action, form, exc))
        return _render_detail(request, actor, pk, error=exc, status=exc.status, **failed_kwargs)
    messages.success(request, _("已完成「%(action)s」。") % {"action": label})
    return redirect("appeals:detail", pk=pk)


def _worded_for(action: str, form: f.ActionForm, exc: HuyingError) -> HuyingError:
    """A missing note named by what it is for this action ("请填写重办意见。"), said once."""
    if isinstance(exc, ValidationFailed) and "note" in (exc.data or {}) and not form.cleaned_data["note"].strip():
        message = _("请填写%(what)s。") % {"what": NOTE_LABELS.get(action, gettext_lazy("说明"))}
        return ValidationFailed(message, code=exc.code, data={"note": message})
    return exc


def _rehandle_limit(appeal: Appeal, actions: list[dict[str, Any]]) -> dict[str, Any] | None:
    """What 退回重办 would give the unit, stated on the form before the operator sends it back."""
    if not any(a["action"] == Action.REOPEN for a in actions):
        return None
    amount, unit, due_at = deadlines.rehandle_deadline(appeal)
    return {"limit": p.time_limit_text(amount, unit), "due_at": due_at}


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
