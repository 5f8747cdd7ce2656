"""An application's page: its materials, tasks and history, uploads, actions and printable documents."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.core.deadlines import deadline_state
from huying.core.errors import HuyingError, NotFound, ValidationFailed
from huying.core.personal_data import may_reveal
from huying.core.services import client_ip
from huying.core.uploads import private_file_response

from ... import selectors, services
from ...models import Application
from ...permissions import UPLOADERS, allowed_actions, is_applicant_side, roles_for, sees_all
from ...states import (
    BUNDLE_EXTENSION_WORKDAYS,
    EXTENSION_WORKDAYS,
    Action,
    IssueMethod,
    MaterialStatus,
    SpecialKind,
    Status,
)
from .common import error_text, int_or_none, posted_materials, posted_reasons

# --- detail and actions ------------------------------------------------------------------------------


def _load(request: HttpRequest, number: str) -> tuple[Actor, Application]:
    if not request.user.is_authenticated:
        raise Http404()
    actor = actor_for(request.user)
    try:
        return actor, selectors.application_get(actor, number)
    except NotFound:
        raise Http404() from None


def _detail_context(
    request: HttpRequest, actor: Actor, app: Application, revealed: dict[str, str] | None = None
) -> dict[str, Any]:
    roles = roles_for(actor, app)
    staff = bool(roles - {"applicant"}) or sees_all(actor)
    own = is_applicant_side(actor, app)
    my_tasks = [
        t
        for t in app.tasks.filter(status="active").select_related("unit")
        if any(t.unit.path.startswith(p) for p in actor.unit_paths(Role.REVIEWER))
    ]
    materials = list(app.materials.prefetch_related("files"))
    may_upload = bool(UPLOADERS & roles)
    return {
        "app": app,
        "actions": allowed_actions(actor, app),
        "materials": materials,
        "uploadable": {m.key for m in materials if may_upload and services.upload_open(app, m)},
        "tasks": list(app.tasks.select_related("unit", "reviewer")),
        "my_tasks": my_tasks,
        "unopened": services.materials_not_opened(app, actor.user) if my_tasks else [],
        "notices": list(app.notices.all()),
        "procedures": list(app.special_procedures.all()),
        "timeline": selectors.timeline(app, staff=staff),
        "staff": staff,
        "own": own,
        **_personal_data(actor, app, own=own, revealed=revealed),
        "deadline": deadline_state(app.due_at, paused=app.status == Status.SPECIAL_PROCEDURE)
        if app.clock_running or app.status == Status.SPECIAL_PROCEDURE
        else "none",
        "special_kinds": SpecialKind.choices,
        "extension_most": BUNDLE_EXTENSION_WORKDAYS if app.bundle_id else EXTENSION_WORKDAYS,
        "issue_methods": IssueMethod.choices,
        "material_statuses": [(v, lbl) for v, lbl in MaterialStatus.choices if v != MaterialStatus.E_LICENCE],
        "rate_url": f"/ratings/rate/?kind=application&ref={app.number}"
        if own and app.status in (Status.ISSUED, Status.CLOSED)
        else "",
        "verify_url": "/licences/verify/?"
        + urlencode({"application": app.number, **({"item": app.item.code} if app.item else {})}),
        "is_clerk": actor.has_role(Role.CLERK),
    }


def _personal_data(actor: Actor, app: Application, *, own: bool, revealed: dict[str, str] | None) -> dict[str, Any]:
    """The applicant's ID number and phone and the form's answers: masked, or in full just after a reveal."""
    shown = services.masked_applicant(app, own=own)
    if revealed is not None:
        shown["applicant_code"] = revealed.get("applicant_code", shown["applicant_code"])
        shown["applicant_phone"] = revealed.get("applicant_phone", shown["applicant_phone"])
        for key in shown["form_data"]:
            shown["form_data"][key] = revealed.get(f"form.{key}", shown["form_data"][key])
    try:
        labels = {f.key: f.label for f in services.application_plan(app).fields}
    except HuyingError:
        labels = {}
    return {
        "code_shown": shown["applicant_code"],
        "phone_shown": shown["applicant_phone"],
        "form_rows": [(labels.get(key, key), value) for key, value in shown["form_data"].items()],
        "revealed": revealed is not None,
        "can_reveal": revealed is None and may_reveal(actor, app),
    }


def detail(request: HttpRequest, number: str) -> HttpResponse:
    actor, app = _load(request, number)
    return render(request, "applications/detail.html", _detail_context(request, actor, app))


@never_cache
@require_POST
def reveal(request: HttpRequest, number: str) -> HttpResponse:
    """The applicant's full ID number and phone, shown once with a purpose; the service audits the view."""
    actor, app = _load(request, number)
    try:
        revealed = services.application_reveal_personal_data(
            actor=actor, application=app, purpose=request.POST.get("purpose", ""), ip_address=client_ip(request)
        )
    except HuyingError as exc:
        context = _detail_context(request, actor, app)
        context["reveal_error"] = error_text(exc)
        return render(request, "applications/detail.html", context, status=exc.status)
    return render(request, "applications/detail.html", _detail_context(request, actor, app, revealed))


@require_POST
def material_upload(request: HttpRequest, number: str, key: str) -> HttpResponse:
    actor, app = _load(request, number)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationFailed(_("请选择要上传的文件。"), data={"file": _("请选择要上传的文件。")})
        stored = services.material_file_upload(actor=actor, application=app, key=key, upload=upload)
    except HuyingError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已上传「%(name)s」的电子件。") % {"name": stored.material.name})
    return redirect("applications:detail", number=app.number)


@require_GET
def material_file(request: HttpRequest, number: str, file_id: int) -> HttpResponseBase:
    actor, app = _load(request, number)
    try:
        stored = services.material_file_open(actor=actor, application=app, file_id=file_id)
    except NotFound:
        raise Http404() from None
    return private_file_response(stored.file, content_type=stored.content_type, name=stored.original_name)


@require_POST
def act(request: HttpRequest, number: str) -> HttpResponse:
    actor, app = _load(request, number)
    action = request.POST.get("action", "")
    keys = list(app.materials.values_list("key", flat=True))
    try:
        if action == "materials":
            services.application_materials_update(
                actor=actor,
                application=app,
                materials=posted_materials(request.POST, keys),
                expected_version=int_or_none(request.POST.get("version")),
            )
            messages.success(request, _("材料清单已更新。"))
            return redirect("applications:detail", number=app.number)
        with transaction.atomic():
            app = services.application_transition(
                actor=actor,
                application=app,
                action=action,
                note=request.POST.get("note", ""),
                expected_version=int_or_none(request.POST.get("version")),
                materials=posted_materials(request.POST, keys),
                reasons=posted_reasons(request.POST, keys),
                kind=request.POST.get("kind", ""),
                result=request.POST.get("result", ""),
                days=request.POST.get("days", ""),
                approved_by=request.POST.get("approved_by", ""),
                method=request.POST.get("method", ""),
                tracking_number=request.POST.get("tracking_number", ""),
                postal_address=request.POST.get("postal_address", ""),
                task=request.POST.get("task") or None,
            )
            if action in (Action.ACCEPT, Action.ACCEPT_WITH_PROMISE):
                app = services.application_transition(actor=actor, application=app, action=Action.START_REVIEW)
    except HuyingError as exc:
        messages.error(request, error_text(exc))
        return redirect("applications:detail", number=app.number)
    if action == Action.EXTEND and app.due_at is not None:
        done = _("已延长办理期限，现承诺办结时间为 %(date)s，已短信告知申请人。") % {
            "date": timezone.localtime(app.due_at).strftime("%Y-%m-%d")
        }
    else:
        done = _("已办理：%(status)s。") % {"status": app.get_status_display()}
    messages.success(request, done)
    return redirect("applications:detail", number=app.number)


def certificate(request: HttpRequest, number: str) -> HttpResponse:
    """Printable documents: 受理通知书, 容缺受理承诺单, 补正告知书 (一次性告知), 不予受理/决定书."""
    _actor, app = _load(request, number)
    return render(
        request,
        "applications/certificate.html",
        {
            "app": app,
            "notice": app.notices.first(),
            "materials": list(app.materials.all()),
            "today": timezone.localdate(),
        },
    )
