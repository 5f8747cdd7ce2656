"""Pages: this week's hot issues, the key-problem list (重点问题清单) and one key problem."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.appeals.models import Appeal
from huying.appeals.permissions import visible_appeals_q
from huying.appeals.web.forms import apply_errors
from huying.core import params
from huying.core.errors import HuyingError
from huying.organisations.forms import UnitChoiceField, UnitMultipleChoiceField
from huying.organisations.selectors import handling_units

from .. import performance, selectors, services


class KeyProblemForm(forms.Form):
    title = forms.CharField(label=_("问题名称"), max_length=120, required=False)
    description = forms.CharField(label=_("问题描述"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = UnitChoiceField(
        label=_("牵头单位"), queryset=handling_units().order_by("path"), required=False, empty_label=_("（请选择）")
    )
    joint_units = UnitMultipleChoiceField(
        label=_("联办单位"),
        queryset=handling_units().order_by("path"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("会议日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.CharField(label=_("参会单位和人员"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    findings = forms.CharField(label=_("查明情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.CharField(label=_("议定事项"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class JointReplyForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reply = forms.CharField(label=_("统一答复"), required=False, widget=forms.Textarea(attrs={"rows": 5}))


def _ids(values: list[str]) -> list[int]:
    return params.id_list_param(values, name="appeal", most=len(values) or 1)


@role_required(Role.SUPERVISOR, Role.OPERATOR)
@require_GET
def hot_issues(request: HttpRequest, actor: Actor) -> HttpResponse:
    days = 7 if request.GET.get("days") not in ("14", "30") else int(request.GET["days"])
    report = selectors.hot_issue_report(actor, days=days)
    context = {
        "issues": report.issues,
        "report": report,
        "days": days,
        "can_create": actor.has_role(Role.SUPERVISOR),
        "carry_limit": selectors.KEY_PROBLEM_MAX_APPEALS,
    }
    return render(request, "dispatch/hot_issues.html", context)


@role_required(Role.SUPERVISOR)
@require_GET
def key_problems(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "dispatch/key_problems.html", {"rows": selectors.key_problem_rows(actor)})


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def key_problem_new(request: HttpRequest, actor: Actor) -> HttpResponse:
    """From a hot-issue cluster (its appeal ids, posted with ``prefill`` from the hot-issues page, or
    ?appeal=…&appeal=…) or a repeat caller's orders (?phone=…). At most KEY_PROBLEM_MAX_APPEALS."""
    source = request.POST if request.method == "POST" else request.GET
    prefill = request.method == "GET" or "prefill" in request.POST
    phone = (source.get("phone") or "").strip()
    ids = _ids(source.getlist("appeal"))[: selectors.KEY_PROBLEM_MAX_APPEALS]
    visible = Appeal.objects.filter(visible_appeals_q(actor))
    candidates = list(selectors.repeat_caller_appeals(actor, phone)[:50]) if phone else []
    seen = {a.pk for a in candidates}
    candidates += [a for a in visible.filter(pk__in=ids).order_by("-submitted_at") if a.pk not in seen]
    if prefill:
        first = candidates[0] if candidates else None
        initial: dict[str, Any] = {"title": (source.get("title") or (first.title if first else ""))[:120]}
        lead = _usual_lead_unit(candidates)
        if lead is not None:
            initial["lead_unit"] = lead
        form = KeyProblemForm(initial=initial)
        taken = selectors.in_open_key_problems([a.pk for a in candidates])
        selected = {a.pk for a in candidates} - taken
        return _render_new(request, form, candidates, selected, phone)
    form = KeyProblemForm(request.POST)
    selected = set(ids)
    if form.is_valid():
        data = form.cleaned_data
        try:
            problem = services.key_problem_create(
                actor=actor,
                title=data["title"],
                description=data["description"],
                lead_unit=data["lead_unit"],
                joint_units=list(data["joint_units"]),
                appeal_ids=sorted(selected),
            )
        except HuyingError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已列入重点问题清单。"))
            return redirect("dispatch:key_problem", pk=problem.pk)
    return _render_new(request, form, candidates, selected, phone, status=400)


def _usual_lead_unit(appeals: list[Appeal]) -> int | None:
    """The unit that leads most of the appeals (the one that handled them all, where one did); None
    when none was dispatched yet or two units lead as many."""
    counts = Counter(a.lead_unit_id for a in appeals if a.lead_unit_id)
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    unit_id = ranked[0][0]
    return unit_id if handling_units().filter(pk=unit_id).exists() else None


def _render_new(
    request: HttpRequest,
    form: KeyProblemForm,
    candidates: list[Appeal],
    selected: set[int],
    phone: str,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "candidates": candidates,
        "selected": selected,
        "taken": selectors.in_open_key_problems([a.pk for a in candidates]),
        "phone": phone,
    }
    return render(request, "dispatch/key_problem_new.html", context, status=status)


@role_required(Role.SUPERVISOR)
@require_GET
def key_problem(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    problem = selectors.key_problem_get(actor, pk)
    return _render_detail(request, actor, problem, MeetingForm(), JointReplyForm(initial={"version": problem.version}))


def _render_detail(
    request: HttpRequest,
    actor: Actor,
    problem: Any,
    meeting_form: MeetingForm,
    reply_form: JointReplyForm,
    status: int = 200,
) -> HttpResponse:
    appeals = problem.appeals.filter(visible_appeals_q(actor)).select_related("lead_unit").order_by("submitted_at")
    context = {
        "problem": problem,
        "appeals": appeals,
        "meetings": problem.meetings.all(),
        "joint_units": problem.joint_units.all(),
        "meeting_form": meeting_form,
        "reply_form": reply_form,
    }
    return render(request, "dispatch/key_problem.html", context, status=status)


@role_required(Role.SUPERVISOR)
@require_POST
def key_problem_meeting(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    problem = selectors.key_problem_get(actor, pk)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            services.key_problem_add_meeting(actor=actor, key_problem=problem, **form.cleaned_data)
        except HuyingError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("联席会议已记录。"))
            return redirect("dispatch:key_problem", pk=pk)
    reply_form = JointReplyForm(initial={"version": problem.version})
    return _render_detail(request, actor, problem, form, reply_form, status=400)


@role_required(Role.SUPERVISOR)
@require_POST
def key_problem_reply(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    problem = selectors.key_problem_get(actor, pk)
    form = JointReplyForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            result = services.key_problem_reply(
                actor=actor,
                key_problem=problem,
                reply=form.cleaned_data["reply"],
                expected_version=form.cleaned_data["version"],
            )
        except HuyingError as exc:
            apply_errors(form, exc)
            status = exc.status
        else:
            messages.success(request, _("已统一答复，%(n)d件关联工单已办结。") % {"n": len(result.closed)})
            return redirect("dispatch:key_problem", pk=pk)
    problem = selectors.key_problem_get(actor, pk)
    return _render_detail(request, actor, problem, MeetingForm(), form, status=status)


@role_required(Role.SUPERVISOR)
@require_GET
def model_performance(request: HttpRequest, actor: Actor) -> HttpResponse:
    """派单模型表现: accuracy on the appeals operators decided, by class, drift, and 请标注."""
    days = 90 if request.GET.get("days") == "90" else 30
    context = {
        "report": performance.model_performance(actor, days=days),
        "active": performance.active_version(),
        "requests": performance.label_requests(actor),
        "periods": performance.PERIODS,
        "days": days,
        "drift_drop": round(performance.DRIFT_DROP * 100),
        "min_decided": performance.MIN_DECIDED,
    }
    return render(request, "dispatch/model.html", context)
