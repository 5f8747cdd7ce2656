"""办件 pages: one-window acceptance, application detail and actions, reviewer inbox, unified
issuance, citizen apply/track, proxies and assisted services, project butler, figures.

Views parse the request, call a service or selector and render; every error is shown in Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.accounts.web.access import role_required
from huying.catalogue.models import Bundle, ServiceItem
from huying.catalogue.selectors import bundle_search, item_search
from huying.core.deadlines import deadline_state
from huying.core.errors import HuyingError, NotFound, ValidationFailed
from huying.core.masking import mask_id_number, mask_phone
from huying.core.uploads import private_file_response

from .. import selectors, services
from ..models import Application, ProxyAuthorisation, ReviewTask
from ..permissions import UPLOADERS, allowed_actions, is_applicant_side, roles_for, sees_all
from ..states import (
    BUNDLE_EXTENSION_WORKDAYS,
    EXTENSION_WORKDAYS,
    Action,
    ApplicantKind,
    AssistKind,
    Channel,
    IssueMethod,
    MaterialStatus,
    SpecialKind,
    Status,
)

View = Callable[..., HttpResponse]


def _errors(exc: HuyingError) -> dict[str, Any]:
    data = exc.data if isinstance(exc, ValidationFailed) else {}
    out: dict[str, Any] = {}
    for key, value in (data or {}).items():
        if key == "field":
            continue
        out[str(key)] = value
    if data.get("field"):
        out[str(data["field"])] = str(exc.message)
    return out


def _form_data(post: Any) -> dict[str, str]:
    return {k[2:]: v for k, v in post.items() if k.startswith("f_")}


def _materials(post: Any, keys: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in keys:
        status = post.get(f"m_{key}")
        if not status:
            continue
        if status == MaterialStatus.E_LICENCE:
            continue  # marked by verification only
        out[key] = {"status": status, "promised_by": post.get(f"p_{key}") or None}
    return out


def _reasons(post: Any, keys: list[str]) -> dict[str, str]:
    return {k: post.get(f"r_{k}", "").strip() for k in keys if post.get(f"r_{k}", "").strip()}


# --- 一窗受理 ---------------------------------------------------------------------------------------


def _target(params: Any) -> tuple[ServiceItem | None, Bundle | None]:
    item = bundle = None
    if params.get("item"):
        item = ServiceItem.objects.filter(code=params["item"], is_active=True).first()
    elif params.get("bundle"):
        bundle = Bundle.objects.filter(code=params["bundle"], is_active=True).first()
    return item, bundle


RECEIVE_ACTIONS = {
    "accept": Action.ACCEPT,
    "accept_with_promise": Action.ACCEPT_WITH_PROMISE,
    "request_correction": Action.REQUEST_CORRECTION,
    "reject": Action.REJECT,
    "receive": "",
}


@role_required(Role.CLERK)
def accept(request: HttpRequest, actor: Actor) -> HttpResponse:
    """一窗受理: search the catalogue, pick an item or a bundle, enter the applicant, the merged form
    and the materials checklist, then accept / 容缺 / 一次性告知补正 / 不予受理."""
    params = request.POST if request.method == "POST" else request.GET
    query = (request.GET.get("q") or "").strip()[:50]
    item, bundle = _target(params)
    plan = None
    if item is not None or bundle is not None:
        plan = services.plan_for(item=item, bundle=bundle)
    errors: dict[str, Any] = {}
    if request.method == "POST" and plan is not None:
        choice = request.POST.get("do", "")
        if choice not in RECEIVE_ACTIONS:
            messages.error(request, _("请选择受理操作。"))
        else:
            keys = [m.key for m in plan.materials]
            try:
                with transaction.atomic():
                    app = services.application_receive(
                        actor=actor,
                        item=item,
                        bundle=bundle,
                        applicant_kind=request.POST.get("applicant_kind", ""),
                        applicant_name=request.POST.get("applicant_name", ""),
                        applicant_code=request.POST.get("applicant_code", ""),
                        applicant_phone=request.POST.get("applicant_phone", ""),
                        form_data=_form_data(request.POST),
                        channel=Channel.WINDOW,
                        ticket_number=request.POST.get("ticket", ""),
                    )
                    action = RECEIVE_ACTIONS[choice]
                    if action:
                        app = services.application_transition(
                            actor=actor,
                            application=app,
                            action=action,
                            note=request.POST.get("note", ""),
                            materials=_materials(request.POST, keys),
                            reasons=_reasons(request.POST, keys),
                        )
                        if action in (Action.ACCEPT, Action.ACCEPT_WITH_PROMISE):
                            app = services.application_transition(
                                actor=actor, application=app, action=Action.START_REVIEW
                            )
                    elif _materials(request.POST, keys):
                        app = services.application_materials_update(
                            actor=actor, application=app, materials=_materials(request.POST, keys)
                        )
            except HuyingError as exc:
                messages.error(request, str(exc.message))
                errors = _errors(exc)
            else:
                messages.success(
                    request,
                    _("办件 %(number)s：%(status)s。") % {"number": app.number, "status": app.get_status_display()},
                )
                return redirect("applications:detail", number=app.number)
    context = {
        "query": query,
        "items": item_search(query)[:20] if query else [],
        "bundles": bundle_search(query)[:10] if query else [],
        "item": item,
        "bundle": bundle,
        "plan": plan,
        "post": request.POST if request.method == "POST" else {},
        "errors": errors,
        "form_errors": errors.get("form_data", {}) if isinstance(errors.get("form_data"), dict) else {},
        "material_errors": errors.get("materials", {}) if isinstance(errors.get("materials"), dict) else {},
        "ticket": params.get("ticket", ""),
        "kinds": ApplicantKind.choices,
        "material_statuses": [(v, lbl) for v, lbl in MaterialStatus.choices if v != MaterialStatus.E_LICENCE],
        "queue": selectors.clerk_queue()[:30],
    }
    return render(request, "applications/accept.html", context, status=400 if errors else 200)


# --- detail and actions ------------------------------------------------------------------------------


def _load(request: HttpRequest, number: str) -> tuple[Actor, Application]:
    if not request.user.is_authenticated:
        raise Http404()
    actor = actor_for(request.user)
    try:
        return actor, selectors.application_get(actor, number)
    except NotFound:
        raise Http404() from None


def _detail_context(request: HttpRequest, actor: Actor, app: Application) -> dict[str, Any]:
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
        "notices": list(app.notices.all()),
        "procedures": list(app.special_procedures.all()),
        "timeline": selectors.timeline(app, staff=staff),
        "staff": staff,
        "own": own,
        "code_shown": app.applicant_code
        if own
        else mask_id_number(app.applicant_code)
        if app.applicant_kind == ApplicantKind.PERSON
        else app.applicant_code,
        "phone_shown": app.applicant_phone if own else mask_phone(app.applicant_phone),
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
        "form_rows": _form_rows(app),
        "is_clerk": actor.has_role(Role.CLERK),
    }


def _form_rows(app: Application) -> list[tuple[str, Any]]:
    try:
        labels = {f.key: f.label for f in services.application_plan(app).fields}
    except HuyingError:
        labels = {}
    return [(labels.get(key, key), value) for key, value in (app.form_data or {}).items()]


def detail(request: HttpRequest, number: str) -> HttpResponse:
    actor, app = _load(request, number)
    return render(request, "applications/detail.html", _detail_context(request, actor, app))


@require_POST
def material_upload(request: HttpRequest, number: str, key: str) -> HttpResponse:
    actor, app = _load(request, number)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationFailed(_("请选择要上传的文件。"), data={"file": _("请选择要上传的文件。")})
        stored = services.material_file_upload(actor=actor, application=app, key=key, upload=upload)
    except HuyingError as exc:
        messages.error(request, _format_error(exc))
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
                materials=_materials(request.POST, keys),
                expected_version=_int(request.POST.get("version")),
            )
            messages.success(request, _("材料清单已更新。"))
            return redirect("applications:detail", number=app.number)
        with transaction.atomic():
            app = services.application_transition(
                actor=actor,
                application=app,
                action=action,
                note=request.POST.get("note", ""),
                expected_version=_int(request.POST.get("version")),
                materials=_materials(request.POST, keys),
                reasons=_reasons(request.POST, keys),
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
        messages.error(request, _format_error(exc))
        return redirect("applications:detail", number=app.number)
    if action == Action.EXTEND and app.due_at is not None:
        done = _("已延长办理期限，现承诺办结时间为 %(date)s，已短信告知申请人。") % {
            "date": timezone.localtime(app.due_at).strftime("%Y-%m-%d")
        }
    else:
        done = _("已办理：%(status)s。") % {"status": app.get_status_display()}
    messages.success(request, done)
    return redirect("applications:detail", number=app.number)


def _format_error(exc: HuyingError) -> str:
    errors = _errors(exc)
    parts = [str(exc.message)]
    for value in errors.values():
        if isinstance(value, dict):
            parts.extend(str(v) for v in value.values())
        elif str(value) != str(exc.message):
            parts.append(str(value))
    return " ".join(dict.fromkeys(parts))


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


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


# --- reviewer inbox, issue window ------------------------------------------------------------------


@role_required(Role.REVIEWER)
def review_inbox(request: HttpRequest, actor: Actor) -> HttpResponse:
    now = timezone.now()
    tasks = list(selectors.reviewer_tasks(actor)[:200])
    rows = [
        {
            "task": t,
            "deadline": deadline_state(t.due_at, now=now, paused=t.application.status == Status.SPECIAL_PROCEDURE),
        }
        for t in tasks
    ]
    return render(request, "applications/review_inbox.html", {"rows": rows})


@require_POST
@role_required(Role.REVIEWER)
def task_decide(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    decision = request.POST.get("decision", "")
    task = ReviewTask.objects.filter(pk=pk).select_related("application").first()
    if task is None:
        raise Http404()
    try:
        if decision not in ("approve", "refuse"):
            raise ValidationFailed(_("请选择同意或不同意。"))
        services.review_task_decide(
            actor=actor,
            task=task,
            approve=decision == "approve",
            opinion=request.POST.get("opinion", ""),
            expected_version=_int(request.POST.get("version")),
        )
    except NotFound:
        raise Http404() from None
    except HuyingError as exc:
        messages.error(request, _format_error(exc))
    else:
        messages.success(request, _("审查意见已提交（办件 %(number)s）。") % {"number": task.application.number})
    if request.POST.get("next") == "detail":
        return redirect("applications:detail", number=task.application.number)
    return redirect("applications:review")


@role_required(Role.CLERK)
def issue_window(request: HttpRequest, actor: Actor) -> HttpResponse:
    now = timezone.now()
    rows = [{"app": a, "deadline": deadline_state(a.issue_due_at, now=now)} for a in selectors.issue_queue()[:200]]
    return render(request, "applications/issue.html", {"rows": rows, "issue_methods": IssueMethod.choices})


# --- citizens ---------------------------------------------------------------------------------------


def _apply(request: HttpRequest, item: ServiceItem | None, bundle: Bundle | None) -> HttpResponse:
    actor = actor_for(request.user)
    plan = services.plan_for(item=item, bundle=bundle)
    proxies = (
        ProxyAuthorisation.objects.filter(
            agent=actor.user, revoked_at__isnull=True, valid_until__gte=timezone.localdate()
        )
        if actor.has_role(Role.AGENT)
        else ProxyAuthorisation.objects.none()
    )
    errors: dict[str, Any] = {}
    if request.method == "POST":
        proxy = None
        if request.POST.get("proxy"):
            proxy = proxies.filter(pk=_int(request.POST.get("proxy")) or 0).first()
            if proxy is None:
                errors["proxy"] = _("请选择有效的授权委托。")
        if not errors:
            try:
                app = services.application_receive(
                    actor=actor,
                    item=item,
                    bundle=bundle,
                    channel=Channel.ONLINE,
                    applicant_kind=request.POST.get("applicant_kind", ""),
                    applicant_name=request.POST.get("applicant_name", ""),
                    applicant_code=request.POST.get("applicant_code", ""),
                    applicant_phone=request.POST.get("applicant_phone", ""),
                    form_data=_form_data(request.POST),
                    proxy=proxy,
                )
            except HuyingError as exc:
                messages.error(request, str(exc.message))
                errors = _errors(exc)
            else:
                messages.success(request, _("申请已提交，办件编号 %(number)s。") % {"number": app.number})
                return redirect("applications:detail", number=app.number)
        else:
            messages.error(request, errors["proxy"])
    user = request.user
    initial = {
        "applicant_kind": "person",
        "applicant_name": getattr(user, "display_name", ""),
        "applicant_code": getattr(user, "id_number", ""),
        "applicant_phone": getattr(user, "phone", ""),
    }
    return render(
        request,
        "applications/apply.html",
        {
            "plan": plan,
            "item": item,
            "bundle": bundle,
            "post": request.POST if request.method == "POST" else initial,
            "errors": errors,
            "form_errors": errors.get("form_data", {}) if isinstance(errors.get("form_data"), dict) else {},
            "kinds": ApplicantKind.choices,
            "proxies": proxies,
        },
        status=400 if errors else 200,
    )


@login_required
def apply_item(request: HttpRequest, code: str) -> HttpResponse:
    item = ServiceItem.objects.filter(code=code, is_active=True, online=True).first()
    if item is None:
        raise Http404()
    return _apply(request, item, None)


@login_required
def apply_bundle(request: HttpRequest, code: str) -> HttpResponse:
    bundle = Bundle.objects.filter(code=code, is_active=True).first()
    if bundle is None:
        raise Http404()
    return _apply(request, None, bundle)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.applications_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "applications/mine.html", {"page": page, "rows": page.object_list})


# --- 帮办代办 -----------------------------------------------------------------------------------------


@role_required(Role.AGENT, Role.CLERK)
def proxies(request: HttpRequest, actor: Actor) -> HttpResponse:
    errors: dict[str, Any] = {}
    if request.method == "POST":
        if request.POST.get("revoke"):
            proxy = ProxyAuthorisation.objects.filter(pk=_int(request.POST.get("revoke")) or 0).first()
            if proxy is None:
                raise Http404()
            try:
                services.proxy_revoke(actor=actor, proxy=proxy)
            except NotFound:
                raise Http404() from None
            messages.success(request, _("授权委托已撤销。"))
            return redirect("applications:proxies")
        agent = request.user if actor.has_role(Role.AGENT) else None
        if request.POST.get("agent"):
            agent = User.objects.filter(username=request.POST.get("agent", "")[:150]).first()
        try:
            services.proxy_authorise(
                actor=actor,
                agent=agent,
                principal_kind=request.POST.get("principal_kind", ""),
                principal_name=request.POST.get("principal_name", ""),
                principal_code=request.POST.get("principal_code", ""),
                principal_phone=request.POST.get("principal_phone", ""),
                scope=request.POST.get("scope", ""),
                valid_until=request.POST.get("valid_until", ""),
            )
        except HuyingError as exc:
            messages.error(request, _format_error(exc))
            errors = _errors(exc)
        else:
            messages.success(request, _("授权委托已登记，可代为申请。"))
            return redirect("applications:proxies")
    rows = ProxyAuthorisation.objects.select_related("agent").order_by("-created_at")
    if not actor.has_role(Role.CLERK):
        rows = rows.filter(agent=actor.user)
    return render(
        request,
        "applications/proxies.html",
        {
            "rows": rows[:100],
            "errors": errors,
            "post": request.POST if request.method == "POST" else {},
            "kinds": ApplicantKind.choices,
            "is_clerk": actor.has_role(Role.CLERK),
            "today": timezone.localdate(),
        },
        status=400 if errors else 200,
    )


@role_required(Role.AGENT, Role.CLERK, Role.HALL_MANAGER)
def assists(request: HttpRequest, actor: Actor) -> HttpResponse:
    errors: dict[str, Any] = {}
    if request.method == "POST":
        application = None
        number = request.POST.get("application", "").strip()
        try:
            if number:
                try:
                    application = selectors.application_get(actor, number)
                except NotFound:
                    raise ValidationFailed(data={"application": _("办件编号不存在。")}) from None
            services.assisted_service_record(
                actor=actor,
                kind=request.POST.get("kind", ""),
                person_name=request.POST.get("person_name", ""),
                person_phone=request.POST.get("person_phone", ""),
                served_on=request.POST.get("served_on", ""),
                note=request.POST.get("note", ""),
                application=application,
            )
        except HuyingError as exc:
            messages.error(request, _format_error(exc))
            errors = _errors(exc)
        else:
            messages.success(request, _("帮办服务已登记。"))
            return redirect("applications:assists")
    from ..models import AssistedService

    rows = AssistedService.objects.select_related("staff", "application")
    if not (actor.has_role(Role.HALL_MANAGER) or actor.has_role(Role.CLERK)):
        rows = rows.filter(staff=actor.user)
    return render(
        request,
        "applications/assists.html",
        {
            "rows": rows[:100],
            "errors": errors,
            "post": request.POST if request.method == "POST" else {"served_on": timezone.localdate().isoformat()},
            "kinds": AssistKind.choices,
        },
        status=400 if errors else 200,
    )


@role_required(Role.AGENT, Role.CLERK, Role.HALL_MANAGER, Role.SUPERVISOR)
def projects(request: HttpRequest, actor: Actor) -> HttpResponse:
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            project = services.project_create(
                actor=actor,
                name=request.POST.get("name", ""),
                code=request.POST.get("code", ""),
                enterprise_name=request.POST.get("enterprise_name", ""),
                enterprise_credit_code=request.POST.get("enterprise_credit_code", ""),
            )
        except HuyingError as exc:
            messages.error(request, _format_error(exc))
            errors = _errors(exc)
        else:
            return redirect("applications:project", pk=project.pk)
    return render(
        request,
        "applications/projects.html",
        {"rows": selectors.projects_for(actor)[:100], "errors": errors, "post": request.POST},
        status=400 if errors else 200,
    )


@role_required(Role.AGENT, Role.CLERK, Role.HALL_MANAGER, Role.SUPERVISOR)
def project(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    try:
        found = selectors.project_get(actor, pk)
    except NotFound:
        raise Http404() from None
    apps = list(found.applications.select_related("unit").order_by("received_at"))
    rows = []
    for a in apps:
        tasks = list(a.tasks.select_related("unit"))
        done = sum(1 for t in tasks if t.status == "approved")
        rows.append({"app": a, "tasks": tasks, "done": done, "total": len(tasks)})
    return render(request, "applications/project.html", {"project": found, "rows": rows})


# --- figures --------------------------------------------------------------------------------------------


@role_required(*selectors.FIGURE_ROLES)
def figures(request: HttpRequest, actor: Actor) -> HttpResponse:
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=90), today
    error = ""
    try:
        if request.GET.get("start"):
            start = dt.date.fromisoformat(request.GET["start"])
        if request.GET.get("end"):
            end = dt.date.fromisoformat(request.GET["end"])
        if start > end:
            raise ValueError
        if (end - start).days > 366 * 3:
            raise ValueError
    except ValueError:
        error = _("日期范围无效：请输入起止日期（如 2026-01-01），起始不晚于截止，跨度不超过三年。")
        start, end = today - dt.timedelta(days=90), today
    data = selectors.figures(start=start, end=end)
    return render(request, "applications/figures.html", {"f": data, "error": error}, status=400 if error else 200)
