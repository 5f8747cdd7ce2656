"""Writes for applications (办件). Keyword-only, one transaction each, history in the same
transaction. Pages, the API, the sweep and the demo all call these.

Clock rules (行政许可法 Arts. 32, 42, 45; 滨州市工程建设项目并联审批管理规定 Arts. 10, 11, 19): the 承诺时限 runs in working days from 受理 (补正 time before it does
not count); a 补正 notice is due within HUYING_CORRECTION_NOTICE_WORKDAYS working days of receipt or
the application is deemed accepted from receipt; 特别程序 time is not counted; 容缺 materials not
provided by the promised date end in 不予审批.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.catalogue.models import Bundle, FormField, Material, ReviewStep, ServiceItem
from huying.catalogue.selectors import bundle_plan, item_review_stages
from huying.core.errors import (
    ConcurrentModification,
    HuyingError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from huying.core.models import AuditLog
from huying.core.notify import send_sms
from huying.core.services import audit_record
from huying.core.statemachine import ClockEffect, Transition
from huying.core.uploads import check_upload, rename_for_storage
from huying.core.validators import normalize_id_number, normalize_phone, normalize_uscc
from huying.core.workdays import WorkCalendar
from huying.organisations.models import OrgUnit

from . import integrations
from .models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    AssistedService,
    CorrectionNotice,
    MaterialFile,
    Project,
    ProxyAuthorisation,
    ReviewTask,
    SpecialProcedure,
)
from .permissions import UPLOADERS, roles_for, visible_applications_q
from .states import (
    APPLICANT,
    BUNDLE_EXTENSION_WORKDAYS,
    CLOCK_STATUSES,
    EXTENSION_WORKDAYS,
    REMEDY_TEXT,
    TRANSITIONS,
    Action,
    ApplicantKind,
    AssistKind,
    Channel,
    IssueMethod,
    MaterialStatus,
    SpecialKind,
    Status,
    TaskStatus,
)

MAX_TEXT = 2000
ISSUE_WORKDAYS = 10  # 行政许可法 Art. 44: certificates issued within 10 (working) days of the decision


def notice_workdays() -> int:
    return int(getattr(settings, "HUYING_CORRECTION_NOTICE_WORKDAYS", 2))


# --- what an application asks for ---------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What applying for an item or a bundle asks for: fields and materials (bundle: merged by key),
    review stages and the promised working days."""

    title: str
    unit: OrgUnit
    items: tuple[ServiceItem, ...]
    fields: tuple[FormField, ...]
    materials: tuple[Material, ...]
    review_stages: tuple[tuple[ReviewStep, ...], ...]
    promised_days: int


def plan_for(*, item: ServiceItem | None = None, bundle: Bundle | None = None) -> Plan:
    if (item is None) == (bundle is None):
        raise ValidationFailed(_("请选择一个事项或一件事。"), data={"item": _("请选择一个事项或一件事。")})
    if bundle is not None:
        bp = bundle_plan(bundle)
        if not bp.items:
            raise ValidationFailed(_("该一件事暂无可办理的事项。"), data={"bundle": _("该一件事暂无可办理的事项。")})
        return Plan(
            title=bundle.name,
            unit=bundle.lead_unit,
            items=bp.items,
            fields=bp.fields,
            materials=bp.materials,
            review_stages=bp.review_stages,
            promised_days=bp.promised_days,
        )
    assert item is not None
    return Plan(
        title=item.name,
        unit=item.unit,
        items=(item,),
        fields=tuple(item.form_fields.all()),
        materials=tuple(item.materials.all()),
        review_stages=tuple(tuple(stage) for stage in item_review_stages(item)),
        promised_days=item.promised_days,
    )


def application_plan(application: Application) -> Plan:
    return plan_for(item=application.item, bundle=application.bundle)


def id_number(value: str, *, field: str) -> str:
    """normalize_id_number, also for numbers whose region code python-stdnum cannot place (it raises
    KeyError there instead of a validation error)."""
    try:
        return normalize_id_number(value, field=field)
    except (KeyError, ValueError, IndexError):
        raise ValidationFailed(
            _("身份证号码无效：请核对18位号码及最后一位校验码。"), code="invalid_id_number", data={"field": field}
        ) from None


def clean_form_data(fields: tuple[FormField, ...] | list[FormField], data: dict[str, Any] | None) -> dict[str, Any]:
    """Validate the merged form; raise ValidationFailed with an error per field key."""
    data = data or {}
    if not isinstance(data, dict):
        raise ValidationFailed(_("申请表格式不正确。"), data={"form_data": _("申请表格式不正确。")})
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in fields:
        raw = data.get(f.key)
        value = "" if raw is None else str(raw).strip()
        if not value:
            if f.required:
                errors[f.key] = _("请填写%(label)s。") % {"label": f.label}
            continue
        if len(value) > 500:
            errors[f.key] = _("%(label)s不能超过500字。") % {"label": f.label}
            continue
        try:
            if f.kind == FormField.Kind.ID_NUMBER:
                value = id_number(value, field=f.key)
            elif f.kind == FormField.Kind.CREDIT_CODE:
                value = normalize_uscc(value, field=f.key)
            elif f.kind == FormField.Kind.PHONE:
                value = normalize_phone(value, field=f.key)
            elif f.kind == FormField.Kind.DATE:
                try:
                    value = dt.date.fromisoformat(value).isoformat()
                except ValueError:
                    raise ValidationFailed(_("%(label)s应为日期（如 2026-03-01）。") % {"label": f.label}) from None
            elif f.kind == FormField.Kind.NUMBER:
                try:
                    number = float(value)
                except ValueError:
                    raise ValidationFailed(_("%(label)s应为数字。") % {"label": f.label}) from None
                if number != number or number in (float("inf"), float("-inf")):
                    raise ValidationFailed(_("%(label)s应为数字。") % {"label": f.label})
            elif f.kind == FormField.Kind.CHOICE:
                options = [c.strip() for c in f.choices.split("|") if c.strip()]
                if options and value not in options:
                    raise ValidationFailed(_("%(label)s请从给定选项中选择。") % {"label": f.label})
        except ValidationFailed as exc:
            errors[f.key] = str(exc.message)
            continue
        cleaned[f.key] = value
    if errors:
        raise ValidationFailed(_("申请表有误，请检查后重试。"), data={"form_data": errors})
    return cleaned


def clean_applicant(*, kind: str, name: str, code: str, phone: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if kind not in ApplicantKind.values:
        errors["applicant_kind"] = _("请选择申请人类型。")
    if not name:
        errors["applicant_name"] = _("请填写申请人名称。")
    elif len(name) > 100:
        errors["applicant_name"] = _("申请人名称不能超过100字。")
    clean_code = ""
    try:
        if kind == ApplicantKind.ENTERPRISE:
            clean_code = normalize_uscc(code, field="applicant_code")
        else:
            clean_code = id_number(code, field="applicant_code")
    except ValidationFailed as exc:
        errors["applicant_code"] = str(exc.message)
    clean_phone = ""
    try:
        clean_phone = normalize_phone(phone, field="applicant_phone")
    except ValidationFailed as exc:
        errors["applicant_phone"] = str(exc.message)
    if errors:
        raise ValidationFailed(data=errors)
    return {
        "applicant_kind": kind,
        "applicant_name": name,
        "applicant_code": clean_code,
        "applicant_phone": clean_phone,
    }


def _clean_date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationFailed(
            _("请填写有效日期（如 2026-03-01）。"), data={field: _("请填写有效日期（如 2026-03-01）。")}
        ) from None


def clean_material_changes(application: Application, changes: Any, *, today: dt.date) -> dict[str, dict[str, Any]]:
    """``{key: status}`` or ``{key: {"status", "promised_by", "note"}}`` → validated changes."""
    if changes in (None, ""):
        return {}
    if not isinstance(changes, dict):
        raise ValidationFailed(_("材料清单格式不正确。"), data={"materials": _("材料清单格式不正确。")})
    known = {m.key: m for m in application.materials.all()}
    cleaned: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for key, raw in changes.items():
        spec = raw if isinstance(raw, dict) else {"status": raw}
        material = known.get(str(key))
        if material is None:
            errors[str(key)] = _("没有这项材料。")
            continue
        status = str(spec.get("status") or "")
        if status not in MaterialStatus.values:
            errors[str(key)] = _("材料收取情况无效。")
            continue
        if status == MaterialStatus.E_LICENCE and material.status != MaterialStatus.E_LICENCE:
            errors[str(key)] = _("电子证照须经核验（扫码或数据共享）后自动标记。")
            continue
        if status == MaterialStatus.UPLOADED and not material.files.exists():
            errors[str(key)] = _("这项材料没有上传的电子件。")
            continue
        entry: dict[str, Any] = {"status": status, "note": str(spec.get("note") or "").strip()[:300]}
        if status == MaterialStatus.PROMISED:
            if not spec.get("promised_by"):
                errors[str(key)] = _("容缺材料须填写承诺补齐日期。")
                continue
            try:
                day = _clean_date(spec.get("promised_by"), str(key))
            except ValidationFailed:
                errors[str(key)] = _("承诺补齐日期无效。")
                continue
            if day < today:
                errors[str(key)] = _("承诺补齐日期不能早于今天。")
                continue
            if day > today + dt.timedelta(days=90):
                errors[str(key)] = _("承诺补齐日期不能超过90天。")
                continue
            entry["promised_by"] = day
        cleaned[material.key] = entry
    if errors:
        raise ValidationFailed(_("材料清单有误，请检查后重试。"), data={"materials": errors})
    return cleaned


def _apply_material_changes(application: Application, changes: dict[str, dict[str, Any]]) -> list[str]:
    changed: list[str] = []
    for material in application.materials.all():
        spec = changes.get(material.key)
        if spec is None:
            continue
        promised_by = spec.get("promised_by") if spec["status"] == MaterialStatus.PROMISED else None
        if material.status == spec["status"] and material.promised_by == promised_by and not spec.get("note"):
            continue
        material.status = spec["status"]
        material.promised_by = promised_by
        if spec["status"] != MaterialStatus.E_LICENCE:
            material.licence_identifier = ""
        if spec.get("note"):
            material.note = spec["note"]
        material.save(update_fields=["status", "promised_by", "licence_identifier", "note"])
        changed.append(material.key)
    return changed


def _mark_held_licences(application: Application) -> list[str]:
    """免提交: every material the applicant holds as a valid e-licence is marked so (no paper)."""
    marked: list[str] = []
    for material in application.materials.all():
        if not material.licence_type_code or material.status == MaterialStatus.E_LICENCE:
            continue
        identifier = integrations.held_licence_identifier(application.applicant_code, material.licence_type_code)
        if identifier:
            material.status = MaterialStatus.E_LICENCE
            material.licence_identifier = identifier
            material.promised_by = None
            material.save(update_fields=["status", "licence_identifier", "promised_by"])
            marked.append(material.key)
    return marked


# --- events --------------------------------------------------------------------------------------


def _event(
    application: Application,
    *,
    action: str,
    from_status: str,
    actor: Any,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
    actor_unit: OrgUnit | None = None,
    is_public: bool = True,
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        action=action,
        from_status=from_status,
        to_status=application.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_unit=actor_unit,
        note=note,
        data=data or {},
        is_public=is_public,
        created_at=now,
    )


def _resolve(actor: Any) -> Actor | None:
    if actor is None:
        return None
    return actor if isinstance(actor, Actor) else actor_for(actor)


def _user(actor: Actor | None) -> Any:
    return actor.user if actor is not None else None


# --- receipt (收件) ---------------------------------------------------------------------------


def _check_proxy(proxy: ProxyAuthorisation | None, agent: Any, applicant: dict[str, str], today: dt.date) -> None:
    if proxy is None:
        raise ValidationFailed(
            _("代办须先登记授权委托书。"), data={"proxy": _("代办须先登记授权委托书。")}, code="proxy_required"
        )
    if proxy.agent_id != getattr(agent, "pk", None) or not proxy.is_active(today):
        raise ValidationFailed(_("授权委托无效或已过期、已撤销。"), data={"proxy": _("授权委托无效或已过期、已撤销。")})
    if proxy.principal_code != applicant["applicant_code"]:
        raise ValidationFailed(
            _("申请人与授权委托书的委托人不一致。"), data={"applicant_code": _("申请人与授权委托书的委托人不一致。")}
        )


def _account_of(applicant: dict[str, str]) -> Any:
    """The citizen account a window application belongs to, so that they can follow and rate it:
    the account verified with this ID number, else the one citizen account with this phone."""
    if applicant["applicant_kind"] == ApplicantKind.PERSON:
        user = User.objects.filter(id_number=applicant["applicant_code"]).order_by("pk").first()
        if user is not None:
            return user
    by_phone = list(
        User.objects.filter(phone=applicant["applicant_phone"], is_active=True, role_assignments__isnull=True)[:2]
    )
    return by_phone[0] if len(by_phone) == 1 else None


def application_receive(
    *,
    actor: Any,
    item: ServiceItem | None = None,
    bundle: Bundle | None = None,
    applicant_kind: str,
    applicant_name: str,
    applicant_code: str,
    applicant_phone: str,
    form_data: dict[str, Any] | None = None,
    channel: str = Channel.WINDOW,
    materials: dict[str, Any] | None = None,
    applicant_user: Any = None,
    proxy: ProxyAuthorisation | None = None,
    project: Project | None = None,
    ticket_number: str = "",
    now: dt.datetime | None = None,
) -> Application:
    """收件: record an application for an item or a bundle (exactly one).

    At the window (``channel="window"``) the actor is a clerk; online the actor is the applicant
    (a person applying for themself, or anyone for an enterprise) or an agent (帮办代办员) under a
    recorded, active ``proxy`` whose principal is the applicant. Materials the applicant holds as
    valid e-licences are marked ``e_licence`` at once (免提交); ``materials`` sets the clerk's
    checklist (``{key: status}``).
    """
    now = now or timezone.now()
    resolved = _resolve(actor)
    if resolved is None or not resolved.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    if channel not in Channel.values:
        raise ValidationFailed(data={"channel": _("申请渠道无效。")})
    for obj, label in ((item, _("事项")), (bundle, _("一件事"))):
        if obj is not None and not obj.is_active:
            raise ValidationFailed(data={"item": _("%(label)s已停用。") % {"label": label}})
    plan = plan_for(item=item, bundle=bundle)
    errors: dict[str, Any] = {}
    applicant: dict[str, str] = {}
    cleaned_form: dict[str, Any] = {}
    try:
        applicant = clean_applicant(
            kind=applicant_kind, name=applicant_name, code=applicant_code, phone=applicant_phone
        )
    except ValidationFailed as exc:
        errors.update(exc.data)
    try:
        cleaned_form = clean_form_data(plan.fields, form_data)
    except ValidationFailed as exc:
        errors.update(exc.data)
    if errors:
        raise ValidationFailed(data=errors)
    user = resolved.user
    agent = None
    today = timezone.localdate(now)
    if channel == Channel.WINDOW:
        if not resolved.has_role(Role.CLERK):
            raise PermissionDenied(_("只有综合窗口受理人员可以窗口收件。"))
        if proxy is not None:
            agent = proxy.agent
            _check_proxy(proxy, agent, applicant, today)
    elif resolved.has_role(Role.AGENT) and proxy is not None:
        agent = user
        _check_proxy(proxy, agent, applicant, today)
    else:
        if proxy is not None:
            raise PermissionDenied(_("只有帮办代办员可以代为申请。"))
        id_number = getattr(user, "id_number", "")
        if (
            applicant["applicant_kind"] == ApplicantKind.PERSON
            and id_number
            and id_number != applicant["applicant_code"]
        ):
            raise ValidationFailed(
                _("网上申请只能以本人名义提交；代他人申请请通过帮办代办。"),
                data={"applicant_code": _("与您实名认证的身份证号码不一致。")},
            )
        applicant_user = user
    if applicant_user is None:
        applicant_user = _account_of(applicant)
    ticket_number = (ticket_number or "").strip()[:16]
    calendar = WorkCalendar()
    with transaction.atomic():
        application = Application.objects.create(
            item=item,
            bundle=bundle,
            title=plan.title,
            unit=plan.unit,
            applicant_user=applicant_user,
            agent=agent,
            proxy=proxy,
            project=project,
            channel=channel,
            ticket_number=ticket_number,
            form_data=cleaned_form,
            status=Status.RECEIVED,
            received_by=user if channel == Channel.WINDOW else None,
            received_at=now,
            notice_due_at=calendar.deadline_in_workdays(now, notice_workdays()),
            promised_days=plan.promised_days,
            created_at=now,
            **applicant,
        )
        application.number = f"SQ{timezone.localtime(now):%Y%m%d}{application.pk:06d}"
        Application.objects.filter(pk=application.pk).update(number=application.number)
        ApplicationMaterial.objects.bulk_create(
            [
                ApplicationMaterial(
                    application=application,
                    key=m.key,
                    name=m.name,
                    required=m.required,
                    licence_type_code=m.licence_type_code,
                    sort=index,
                )
                for index, m in enumerate(plan.materials)
            ]
        )
        marked = _mark_held_licences(application)
        changes = clean_material_changes(application, materials, today=today)
        _apply_material_changes(application, changes)
        _event(
            application,
            action="receive",
            from_status="",
            actor=user,
            now=now,
            data={"channel": channel, "e_licence": marked, "ticket": ticket_number},
        )
        return application


# --- transitions ---------------------------------------------------------------------------------


def _load(actor: Actor | None, application: Application | int | str) -> Application:
    qs = Application.objects.select_related("unit", "item", "bundle", "proxy", "project")
    if actor is not None:
        qs = qs.filter(visible_applications_q(actor))
    if isinstance(application, Application):
        found = qs.filter(pk=application.pk).first()
    elif isinstance(application, int):
        found = qs.filter(pk=application).first()
    else:
        found = qs.filter(number=str(application)).first()
    if found is None:
        raise NotFound()
    if transaction.get_connection().in_atomic_block:
        Application.objects.select_for_update().filter(pk=found.pk).exists()
    return found


def _last_receipt(application: Application) -> dt.datetime:
    event = (
        ApplicationEvent.objects.filter(application=application, action__in=["receive", Action.RESUBMIT])
        .order_by("-created_at", "-pk")
        .first()
    )
    return event.created_at if event is not None else application.received_at


def application_transition(
    *,
    actor: Any,
    application: Application | int | str,
    action: str,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
    **payload: Any,
) -> Application:
    """Apply one action of the TRANSITIONS table (``actor=None`` is the system sweep).

    Preconditions: the actor can see the application (else NotFound), the action is allowed from
    the current status (else InvalidTransition) for one of the actor's roles on it (else
    PermissionDenied); a stale ``expected_version`` raises ConcurrentModification. ``approve`` and
    ``refuse`` decide the acting reviewer's active review task (see ``review_task_decide``).

    Payload by action: accept / accept_with_promise / request_correction / resubmit:
    ``materials`` ({key: status or {status, promised_by, note}}); request_correction: ``reasons``
    ({key: reason}); start_special: ``kind`` (SpecialKind) with the reason as ``note``;
    end_special: ``result``; extend: ``days`` and ``approved_by`` (the agency head) with the reason as
    ``note``; issue: ``method`` (window/post), ``tracking_number``, ``postal_address``.
    """
    now = now or timezone.now()
    resolved = _resolve(actor)
    if action not in Action.values:
        raise ValidationFailed(_("未知操作。"), code="unknown_action", data={"action": action})
    if action in (Action.APPROVE, Action.REFUSE):
        with transaction.atomic():
            current = _load(resolved, application)
            _check(resolved, current, action, expected_version, note)
            task = _reviewer_task(resolved, current, payload.get("task"))
            review_task_decide(actor=resolved, task=task, approve=action == Action.APPROVE, opinion=note, now=now)
            current.refresh_from_db()
            return current
    with transaction.atomic():
        current = _load(resolved, application)
        transition = _check(resolved, current, action, expected_version, note)
        return _perform(resolved, current, transition, note=(note or "").strip(), now=now, payload=payload)


def _check(
    actor: Actor | None, current: Application, action: str, expected_version: int | None, note: str
) -> Transition:
    if expected_version is not None and int(expected_version) != current.version:
        raise ConcurrentModification(data={"current_version": current.version, "status": current.status})
    transition = TRANSITIONS.get(current.status, action)
    if transition is None:
        raise InvalidTransition(
            _("办件当前状态为「%(status)s」，不能执行「%(action)s」。")
            % {"status": current.get_status_display(), "action": Action(action).label},
            data={"status": current.status, "action": action},
        )
    if not (transition.roles & roles_for(actor, current)):
        raise PermissionDenied()
    note = (note or "").strip()
    if transition.needs_note and not note:
        raise ValidationFailed(_("请填写理由或意见。"), data={"note": _("此操作需要填写理由或意见。")})
    if len(note) > MAX_TEXT:
        raise ValidationFailed(data={"note": _("说明不能超过2000字。")})
    return transition


def _reviewer_task(actor: Actor | None, application: Application, task_id: Any) -> ReviewTask:
    tasks = ReviewTask.objects.filter(application=application, status=TaskStatus.ACTIVE).select_related("unit")
    if task_id not in (None, ""):
        try:
            tasks = tasks.filter(pk=int(task_id))
        except (TypeError, ValueError):
            raise ValidationFailed(data={"task": _("审批环节无效。")}) from None
    for task in tasks:
        if actor is not None and _reviews(actor, task):
            return task
    raise PermissionDenied(_("您所在部门没有该办件待审查的环节。"))


def _reviews(actor: Actor, task: ReviewTask) -> bool:
    return any(task.unit.path.startswith(p) for p in actor.unit_paths(Role.REVIEWER))


def _write(application: Application, updates: dict[str, Any]) -> None:
    rows = Application.objects.filter(pk=application.pk, version=application.version).update(
        version=F("version") + 1, **updates
    )
    if rows != 1:
        raise ConcurrentModification()
    for key, value in updates.items():
        setattr(application, key, value)
    application.version += 1


def _perform(
    actor: Actor | None,
    application: Application,
    transition: Transition,
    *,
    note: str,
    now: dt.datetime,
    payload: dict[str, Any],
) -> Application:
    action = transition.action
    from_status = application.status
    calendar = WorkCalendar()
    today = timezone.localdate(now)
    updates: dict[str, Any] = {"status": transition.target}
    data: dict[str, Any] = {}
    user = _user(actor)

    if action in (Action.ACCEPT, Action.ACCEPT_WITH_PROMISE, Action.REQUEST_CORRECTION, Action.RESUBMIT):
        changes = clean_material_changes(application, payload.get("materials"), today=today)
        changed = _apply_material_changes(application, changes)
        if action != Action.REQUEST_CORRECTION:
            changed += _mark_held_licences(application)
        if changed:
            data["materials"] = changed
        materials = list(application.materials.all())
        required = [m for m in materials if m.required]
        missing = [m for m in required if m.status == MaterialStatus.MISSING]
        promised = [m for m in materials if m.status == MaterialStatus.PROMISED]
        if action == Action.ACCEPT and (missing or promised):
            names = "、".join(m.name for m in missing + promised)
            raise ValidationFailed(
                _("材料不齐全，不能受理：%(names)s。可一次性告知补正，或容缺受理。") % {"names": names},
                code="materials_incomplete",
                data={"materials": {m.key: _("未收取") for m in missing + promised}},
            )
        if action == Action.ACCEPT_WITH_PROMISE:
            if missing:
                names = "、".join(m.name for m in missing)
                raise ValidationFailed(
                    _("容缺受理时每项缺少的材料都须有承诺补齐日期：%(names)s。") % {"names": names},
                    code="materials_incomplete",
                    data={"materials": {m.key: _("请标记为容缺并填写承诺补齐日期。") for m in missing}},
                )
            if not promised:
                raise ValidationFailed(
                    _("没有容缺材料：材料齐全时请直接受理。"), data={"materials": _("没有容缺材料。")}
                )
            updates["promise_until"] = min(m.promised_by for m in promised if m.promised_by)
            data["promised"] = {m.key: m.promised_by.isoformat() for m in promised if m.promised_by}
        if action == Action.REQUEST_CORRECTION:
            reasons = payload.get("reasons") or {}
            if not isinstance(reasons, dict):
                raise ValidationFailed(data={"reasons": _("补正原因格式不正确。")})
            by_key = {m.key: m for m in materials}
            listed: list[dict[str, str]] = []
            for m in materials:
                reason = str(reasons.get(m.key) or "").strip()[:300]
                if m.status == MaterialStatus.MISSING and (m.required or reason):
                    listed.append({"key": m.key, "name": m.name, "reason": reason or _("未提交")})
                elif reason:
                    listed.append({"key": m.key, "name": m.name, "reason": reason})
                    m.status = MaterialStatus.MISSING
                    m.save(update_fields=["status"])
            unknown = [k for k in reasons if k not in by_key]
            if unknown:
                raise ValidationFailed(data={"reasons": _("没有这项材料：%(keys)s") % {"keys": "、".join(unknown)}})
            if not listed and not note:
                raise ValidationFailed(
                    _("一次性告知书须列明需要补正的全部内容。"), data={"materials": _("请标出缺少或有误的材料。")}
                )
            in_time = application.notice_due_at is None or now <= application.notice_due_at
            notice = CorrectionNotice.objects.create(
                application=application, items=listed, note=note, notified_at=now, notified_by=user, in_time=in_time
            )
            data.update(notice=notice.pk, items=[i["name"] for i in listed], in_time=in_time)
            updates["notice_due_at"] = None
        if action == Action.RESUBMIT:
            CorrectionNotice.objects.filter(application=application, resubmitted_at__isnull=True).update(
                resubmitted_at=now
            )
            updates["notice_due_at"] = calendar.deadline_in_workdays(now, notice_workdays())
    elif action == Action.REJECT:
        updates["closed_at"] = now
        updates["opinion"] = note
    elif action == Action.WITHDRAW:
        updates["closed_at"] = now
        updates["paused_at"] = None
        ReviewTask.objects.filter(application=application, status__in=[TaskStatus.ACTIVE, TaskStatus.WAITING]).update(
            status=TaskStatus.CANCELLED
        )
        SpecialProcedure.objects.filter(application=application, ended_at__isnull=True).update(ended_at=now)
    elif action == Action.START_REVIEW:
        _create_tasks(application, now=now, calendar=calendar)
        data["stages"] = ReviewTask.objects.filter(application=application).values("stage").distinct().count()
    elif action == Action.START_SPECIAL:
        kind = str(payload.get("kind") or "")
        if kind not in SpecialKind.values:
            raise ValidationFailed(data={"kind": _("请选择特别程序种类。")})
        _require_active_task(actor, application)
        SpecialProcedure.objects.create(
            application=application, kind=kind, reason=note, started_at=now, started_by=user
        )
        data["kind"] = kind
    elif action == Action.END_SPECIAL:
        result = str(payload.get("result") or "").strip()
        if not result:
            raise ValidationFailed(data={"result": _("请填写特别程序的结果。")})
        if len(result) > MAX_TEXT:
            raise ValidationFailed(data={"result": _("结果不能超过2000字。")})
        procedure = SpecialProcedure.objects.filter(application=application, ended_at__isnull=True).first()
        lost = 0
        if application.paused_at is not None:
            lost = calendar.workdays_between(
                timezone.localtime(application.paused_at).date(), timezone.localtime(now).date()
            )
        if procedure is not None:
            procedure.ended_at, procedure.result, procedure.workdays = now, result, lost
            procedure.ended_by = user
            procedure.save(update_fields=["ended_at", "result", "workdays", "ended_by"])
        data.update(result=result, workdays=lost)
    elif action == Action.EXTEND:
        _require_active_task(actor, application)
        days, approved_by = _clean_extension(application, payload, now=now)
        assert application.due_at is not None  # _clean_extension refuses an application without one
        due_at = calendar.deadline_in_workdays(application.due_at, days)
        updates.update(
            due_at=due_at,
            is_overdue=False,
            extension_days=days,
            extension_reason=note,
            extension_approved_by=approved_by,
        )
        data.update(days=days, approved_by=approved_by, due_at=due_at.isoformat())
        # The review steps still open get the same working days, so their inboxes agree with the limit.
        for task in ReviewTask.objects.filter(application=application, status=TaskStatus.ACTIVE):
            if task.due_at is not None:
                task.due_at = calendar.deadline_in_workdays(task.due_at, days)
                task.save(update_fields=["due_at"])
        _tell_applicant(
            application,
            _(
                "您的办件%(number)s（%(title)s）经负责人批准延长办理期限%(days)d个工作日，理由：%(reason)s。"
                "现承诺办结时间为%(due)s。"
            )
            % {
                "number": application.number,
                "title": application.title,
                "days": days,
                "reason": note.rstrip("。.；;，, "),
                "due": timezone.localtime(due_at).strftime("%Y-%m-%d"),
            },
        )
    elif action == Action.PROMISE_EXPIRED:
        late = [m.name for m in application.materials.all() if m.status == MaterialStatus.PROMISED]
        opinion = _("容缺受理的材料（%(names)s）未在承诺期限内补齐，依规作出不予审批的决定。") % {
            "names": "、".join(late)
        }
        updates.update(decision="refused", opinion=f"{opinion}\n{REMEDY_TEXT}")
        ReviewTask.objects.filter(application=application, status__in=[TaskStatus.ACTIVE, TaskStatus.WAITING]).update(
            status=TaskStatus.CANCELLED
        )
        data["late"] = late
        note = note or opinion
    elif action == Action.ISSUE:
        method = str(payload.get("method") or "")
        if method not in IssueMethod.values:
            raise ValidationFailed(data={"method": _("请选择出件方式。")})
        tracking = str(payload.get("tracking_number") or "").strip()
        address = str(payload.get("postal_address") or "").strip()
        if method == IssueMethod.POST:
            errors = {}
            if not tracking:
                errors["tracking_number"] = _("邮寄送达须填写快递单号。")
            elif len(tracking) > 40 or not tracking.replace("-", "").isalnum():
                errors["tracking_number"] = _("快递单号应为不超过40位的字母和数字。")
            if not address:
                errors["postal_address"] = _("邮寄送达须填写送达地址。")
            elif len(address) > 200:
                errors["postal_address"] = _("送达地址不能超过200字。")
            if errors:
                raise ValidationFailed(data=errors)
        else:
            tracking, address = "", ""
        updates.update(issue_method=method, tracking_number=tracking, postal_address=address, issued_at=now)
        data.update(method=method, tracking_number=tracking)
    elif action == Action.CLOSE:
        updates["closed_at"] = now

    # The clock
    if transition.clock == ClockEffect.START:
        start = _last_receipt(application) if action == Action.DEEM_ACCEPT else now
        due_at = calendar.deadline_in_workdays(start, application.promised_days)
        updates.update(accepted_at=start, accepted_by=user, due_at=due_at, is_overdue=due_at < now)
        updates["notice_due_at"] = None
        data["due_at"] = due_at.isoformat()
    elif transition.clock == ClockEffect.PAUSE:
        updates["paused_at"] = now
    elif transition.clock == ClockEffect.RESUME:
        if application.paused_at is not None and application.due_at is not None:
            updates["due_at"] = calendar.extend_by_workdays_elapsed(application.due_at, application.paused_at, now)
            updates["is_overdue"] = updates["due_at"] < now
            lost = data.get("workdays", 0)
            updates["paused_workdays"] = application.paused_workdays + lost
            for task in ReviewTask.objects.filter(application=application, status=TaskStatus.ACTIVE):
                if task.due_at is not None:
                    task.due_at = calendar.extend_by_workdays_elapsed(task.due_at, application.paused_at, now)
                    task.save(update_fields=["due_at"])
            data["due_at"] = updates["due_at"].isoformat()
        updates["paused_at"] = None
    elif transition.clock == ClockEffect.STOP:
        updates.update(_decision_clock(application, now, calendar))

    _write(application, updates)
    _event(application, action=action, from_status=from_status, actor=user, now=now, note=note, data=data)
    return application


def _require_active_task(actor: Actor | None, application: Application) -> None:
    """Only a reviewer of one of the application's active review tasks acts on its review clock."""
    tasks = ReviewTask.objects.filter(application=application, status=TaskStatus.ACTIVE).select_related("unit")
    if actor is None or not any(_reviews(actor, t) for t in tasks):
        raise PermissionDenied(_("您所在部门没有该办件待审查的环节。"))


def _clean_extension(application: Application, payload: dict[str, Any], *, now: dt.datetime) -> tuple[int, str]:
    """Art. 42's conditions: once, within the running limit, at most 10 (bundle: 15) working days, with
    the approving agency head named. Returns ``(days, approved_by)``."""
    if application.extension_days:
        raise InvalidTransition(
            _("本办件已于此前延长办理期限%(days)d个工作日，依法只能延长一次。") % {"days": application.extension_days},
            code="already_extended",
        )
    if application.due_at is None or application.paused_at is not None:
        raise InvalidTransition(_("办件当前不在计时中，不能延长办理期限。"), code="clock_not_running")
    if now > application.due_at:
        raise InvalidTransition(_("已超过承诺办结时间，不能再延长办理期限，请尽快作出决定。"), code="deadline_passed")
    most = BUNDLE_EXTENSION_WORKDAYS if application.bundle_id else EXTENSION_WORKDAYS
    errors: dict[str, Any] = {}
    raw = payload.get("days")
    try:
        days = int(str(raw).strip())
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= most:
        errors["days"] = _("延长的工作日数应为1至%(most)d。") % {"most": most}
    approved_by = str(payload.get("approved_by") or "").strip()
    if not approved_by:
        errors["approved_by"] = _("延长办理期限须经本机关负责人批准，请填写批准的负责人。")
    elif len(approved_by) > 50:
        errors["approved_by"] = _("负责人姓名不能超过50字。")
    if errors:
        raise ValidationFailed(data=errors)
    return days, approved_by


def _tell_applicant(application: Application, text: str) -> None:
    """An SMS to the applicant's phone once the transaction commits."""
    if application.applicant_phone:
        transaction.on_commit(functools.partial(send_sms, phone=application.applicant_phone, text=text))


def _decision_clock(application: Application, now: dt.datetime, calendar: WorkCalendar) -> dict[str, Any]:
    used = None
    if application.accepted_at is not None:
        elapsed = calendar.workdays_between(
            timezone.localtime(application.accepted_at).date(), timezone.localtime(now).date()
        )
        used = max(elapsed - application.paused_workdays, 0)
    on_time = application.due_at is None or now <= application.due_at
    return {
        "decided_at": now,
        "is_on_time": on_time,
        "is_overdue": not on_time,
        "workdays_used": used,
        "issue_due_at": calendar.deadline_in_workdays(now, ISSUE_WORKDAYS),
    }


def _create_tasks(application: Application, *, now: dt.datetime, calendar: WorkCalendar) -> None:
    plan = application_plan(application)
    tasks = []
    for index, stage in enumerate(plan.review_stages, start=1):
        for step in stage:
            tasks.append(
                ReviewTask(
                    application=application,
                    item=step.item,
                    stage=index,
                    name=step.name,
                    unit=step.unit,
                    days=max(step.days or 1, 1),
                )
            )
    if not tasks:  # defensive: an item always has at least its implementing unit's step
        tasks.append(ReviewTask(application=application, stage=1, name="审查决定", unit=application.unit, days=1))
    ReviewTask.objects.bulk_create(tasks)
    _open_stage(application, 1, now=now, calendar=calendar)


def _open_stage(application: Application, stage: int, *, now: dt.datetime, calendar: WorkCalendar) -> int:
    opened = 0
    for task in ReviewTask.objects.filter(application=application, stage=stage, status=TaskStatus.WAITING):
        task.status = TaskStatus.ACTIVE
        task.opened_at = now
        task.due_at = calendar.deadline_in_workdays(now, task.days)
        task.save(update_fields=["status", "opened_at", "due_at"])
        opened += 1
        _event(
            application,
            action="task_opened",
            from_status=application.status,
            actor=None,
            now=now,
            data={"task": task.pk, "name": task.name, "unit": task.unit.name, "stage": stage},
            actor_unit=task.unit,
        )
    return opened


# --- review tasks (后台审批, 并联审批) -----------------------------------------------------------


def review_task_decide(
    *,
    actor: Any,
    task: ReviewTask | int,
    approve: bool,
    opinion: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> ReviewTask:
    """A reviewer of the task's unit approves or refuses their step.

    When every task of a stage is approved the next stage opens; after the last stage the
    application is approved (准予), and the items' result e-licences are issued. A refusal
    ends the review: the other tasks are cancelled and the application is refused (不予许可,
    with reasons and the reconsideration/litigation text, Art. 38). Steps of one stage may be
    decided in any order. A stale ``expected_version`` (of the task) raises ConcurrentModification.
    """
    now = now or timezone.now()
    resolved = _resolve(actor)
    if resolved is None or not resolved.is_authenticated:
        raise NotFound()
    opinion = (opinion or "").strip()
    if len(opinion) > MAX_TEXT:
        raise ValidationFailed(data={"opinion": _("意见不能超过2000字。")})
    if not approve and not opinion:
        raise ValidationFailed(
            _("不同意须写明理由。"), data={"opinion": _("不予许可须说明理由（行政许可法第三十八条）。")}
        )
    task_id = task if isinstance(task, int) else task.pk
    with transaction.atomic():
        current = ReviewTask.objects.select_related("unit", "application").filter(pk=task_id).first()
        if current is None or not _reviews(resolved, current):
            raise NotFound()
        application = _load(resolved, current.application_id)
        if expected_version is not None and int(expected_version) != current.version:
            raise ConcurrentModification(data={"current_version": current.version, "status": current.status})
        if current.status != TaskStatus.ACTIVE:
            raise InvalidTransition(_("该审批环节已办理或尚未开始。"), data={"status": current.status})
        if application.status != Status.IN_REVIEW:
            raise InvalidTransition(
                _("办件当前状态为「%(status)s」，不能审批。") % {"status": application.get_status_display()},
                data={"status": application.status},
            )
        status = TaskStatus.APPROVED if approve else TaskStatus.REFUSED
        rows = ReviewTask.objects.filter(pk=current.pk, version=current.version, status=TaskStatus.ACTIVE).update(
            status=status, decided_at=now, reviewer=resolved.user, opinion=opinion, version=F("version") + 1
        )
        if rows != 1:
            raise ConcurrentModification()
        current.refresh_from_db()
        _event(
            application,
            action="task_approved" if approve else "task_refused",
            from_status=application.status,
            actor=resolved.user,
            now=now,
            note=opinion,
            data={"task": current.pk, "name": current.name, "unit": current.unit.name, "stage": current.stage},
            actor_unit=current.unit,
        )
        if not approve:
            ReviewTask.objects.filter(
                application=application, status__in=[TaskStatus.ACTIVE, TaskStatus.WAITING]
            ).update(status=TaskStatus.CANCELLED)
            reasons = f"{current.unit.name}（{current.name}）：{opinion}"
            _decide(resolved, application, Action.REFUSE, note=opinion, now=now, opinion=f"{reasons}\n{REMEDY_TEXT}")
            return current
        remaining = ReviewTask.objects.filter(
            application=application, stage=current.stage, status=TaskStatus.ACTIVE
        ).exists()
        if remaining:
            # Parallel review: the application changed (one more approval) even if its status did not.
            _write(application, {})
            return current
        calendar = WorkCalendar()
        next_stage = (
            ReviewTask.objects.filter(application=application, status=TaskStatus.WAITING)
            .order_by("stage")
            .values_list("stage", flat=True)
            .first()
        )
        if next_stage is not None:
            _open_stage(application, next_stage, now=now, calendar=calendar)
            _write(application, {})
            return current
        opinions = "；".join(
            f"{t.unit.name}（{t.name}）：{t.opinion or '同意'}"
            for t in ReviewTask.objects.filter(application=application, status=TaskStatus.APPROVED).select_related(
                "unit"
            )
        )
        _decide(resolved, application, Action.APPROVE, note=opinion, now=now, opinion=opinions)
        return current


def _decide(actor: Actor, application: Application, action: str, *, note: str, now: dt.datetime, opinion: str) -> None:
    transition = TRANSITIONS.get(application.status, action)
    if transition is None:
        raise InvalidTransition(data={"status": application.status})
    updates: dict[str, Any] = {"status": transition.target, "opinion": opinion}
    updates["decision"] = "approved" if action == Action.APPROVE else "refused"
    updates.update(_decision_clock(application, now, WorkCalendar()))
    from_status = application.status
    _write(application, updates)
    _event(application, action=action, from_status=from_status, actor=actor.user, now=now, note=note)
    if action == Action.APPROVE:
        _issue_result_licences(actor, application, now)


def _issue_result_licences(actor: Actor, application: Application, now: dt.datetime) -> None:
    items = [application.item] if application.item is not None else list(application_plan(application).items)
    issued: list[dict[str, str]] = []
    for item in items:
        if item is None or not item.result_licence_type_code:
            continue
        try:
            with transaction.atomic():
                identifier, type_name = integrations.issue_result_licence(
                    type_code=item.result_licence_type_code,
                    holder_code=application.applicant_code,
                    holder_name=application.applicant_name,
                    unit=item.unit,
                    source_ref=application.number or "",
                    actor=actor.user,
                )
        except HuyingError as exc:
            _event(
                application,
                action="licence_issue_failed",
                from_status=application.status,
                actor=actor.user,
                now=now,
                note=str(exc.message),
                data={"item": item.code},
                is_public=False,
            )
            continue
        issued.append(
            {"item": item.code, "type_code": item.result_licence_type_code, "name": type_name, "identifier": identifier}
        )
        _event(
            application,
            action="licence_issued",
            from_status=application.status,
            actor=actor.user,
            now=now,
            data={"identifier": identifier, "name": type_name},
        )
    if issued:
        Application.objects.filter(pk=application.pk).update(result_licences=issued)
        application.result_licences = issued


# --- materials after acceptance (容缺补齐) ----------------------------------------------------


def application_materials_update(
    *,
    actor: Any,
    application: Application | int | str,
    materials: dict[str, Any],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """The clerk updates the checklist: before 受理 any change; afterwards promised (容缺) materials
    received. When none is outstanding any more the 容缺 deadline is lifted."""
    now = now or timezone.now()
    resolved = _resolve(actor)
    with transaction.atomic():
        current = _load(resolved, application)
        if Role.CLERK not in roles_for(resolved, current):
            raise PermissionDenied()
        if expected_version is not None and int(expected_version) != current.version:
            raise ConcurrentModification(data={"current_version": current.version, "status": current.status})
        before_acceptance = current.status in (Status.RECEIVED, Status.CORRECTION_REQUESTED)
        after = current.status in (Status.ACCEPTED_WITH_PROMISE, Status.IN_REVIEW, Status.SPECIAL_PROCEDURE)
        if not (before_acceptance or after):
            raise InvalidTransition(_("办件当前状态不能修改材料。"), data={"status": current.status})
        changes = clean_material_changes(current, materials, today=timezone.localdate(now))
        if after:
            by_key = {m.key: m for m in current.materials.all()}
            for key, spec in changes.items():
                if by_key[key].status != MaterialStatus.PROMISED or spec["status"] != MaterialStatus.PROVIDED:
                    raise ValidationFailed(
                        _("受理后只能登记容缺材料已补齐。"),
                        data={"materials": {key: _("受理后只能登记容缺材料已补齐。")}},
                    )
        changed = _apply_material_changes(current, changes)
        _record_material_change(
            current, "materials_updated", accepted=after, actor=resolved, now=now, data={"materials": changed}
        )
        return current


# Electronic copies of materials: scans and photos only.
MATERIAL_FILE_TYPES = ("image/jpeg", "image/png", "application/pdf")
MAX_FILES_PER_MATERIAL = 5


def _record_material_change(
    application: Application,
    action: str,
    *,
    accepted: bool,
    actor: Actor | None,
    now: dt.datetime,
    data: dict[str, Any],
) -> None:
    """A new version and the event; after 受理, the 容缺 deadline is lifted once no material is owed."""
    updates: dict[str, Any] = {}
    if accepted and not application.materials.filter(status=MaterialStatus.PROMISED).exists():
        updates["promise_until"] = None
    _write(application, updates)
    _event(application, action=action, from_status=application.status, actor=_user(actor), now=now, data=data)


_BEFORE_ACCEPTANCE = (Status.RECEIVED, Status.CORRECTION_REQUESTED)


def upload_open(application: Application, material: ApplicationMaterial) -> bool:
    """Whether a scan of this material may be uploaded now: before 受理 any material not covered by
    an e-licence; afterwards (容缺受理, in review) only a 容缺 material still owed."""
    if material.status == MaterialStatus.E_LICENCE:
        return False
    if application.status in _BEFORE_ACCEPTANCE:
        return True
    return material.status == MaterialStatus.PROMISED and application.status in (
        Status.ACCEPTED_WITH_PROMISE,
        Status.IN_REVIEW,
        Status.SPECIAL_PROCEDURE,
    )


def material_file_upload(
    *,
    actor: Any,
    application: Application | int | str,
    key: str,
    upload: Any,
    now: dt.datetime | None = None,
) -> MaterialFile:
    """The applicant (or their agent) or a clerk uploads a scan of one material.

    Preconditions: the application is visible (else NotFound); the actor is its applicant or a
    clerk (else PermissionDenied); ``upload_open`` (else InvalidTransition); at most
    MAX_FILES_PER_MATERIAL files, each a JPG, PNG or PDF within the size limit (else
    ValidationFailed). Effects: the file, the material marked 已上传电子件 (a 容缺 material thereby
    supplied; the 容缺 deadline lifted when none is owed any more), a new version, a public event.
    """
    now = now or timezone.now()
    resolved = _resolve(actor)
    with transaction.atomic():
        current = _load(resolved, application)
        if not UPLOADERS & roles_for(resolved, current):
            raise PermissionDenied()
        material = current.materials.filter(key=str(key)).first()
        if material is None:
            raise ValidationFailed(data={"file": _("没有这项材料。")})
        if not upload_open(current, material):
            raise InvalidTransition(
                _("办件当前状态为「%(status)s」，不能再上传这项材料。") % {"status": current.get_status_display()},
                data={"status": current.status},
            )
        if material.files.count() >= MAX_FILES_PER_MATERIAL:
            raise ValidationFailed(data={"file": _("每项材料最多上传%(n)d个文件。") % {"n": MAX_FILES_PER_MATERIAL}})
        content_type = check_upload(upload, allowed=MATERIAL_FILE_TYPES, field="file")
        original_name = rename_for_storage(upload, prefix=f"{current.number}-{material.key}", content_type=content_type)
        material.status, material.promised_by = MaterialStatus.UPLOADED, None
        material.save(update_fields=["status", "promised_by"])
        # The version check comes before the file is written, so a caller who lost a race leaves no file.
        # After 受理, upload_open let only a 容缺 material through: the 容缺 deadline may now lift.
        _record_material_change(
            current,
            "material_uploaded",
            accepted=current.status not in _BEFORE_ACCEPTANCE,
            actor=resolved,
            now=now,
            data={"name": material.name, "file": original_name},
        )
        return MaterialFile.objects.create(
            material=material,
            file=upload,
            original_name=original_name,
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=_user(resolved),
            created_at=now,
        )


def material_file_open(*, actor: Any, application: Application | int | str, file_id: int) -> MaterialFile:
    """A material's file for someone who may see the application; a staff view is audit-logged
    (scans carry ID numbers and addresses), the applicant's own is not."""
    resolved = _resolve(actor)
    current = _load(resolved, application)
    stored = MaterialFile.objects.filter(material__application=current, pk=file_id).select_related("material").first()
    if stored is None:
        raise NotFound()
    if APPLICANT not in roles_for(resolved, current):
        audit_record(
            kind=AuditLog.Kind.PERSONAL_DATA_VIEW,
            actor=_user(resolved),
            summary=_("查看办件%(number)s的材料电子件：%(name)s")
            % {"number": current.number, "name": stored.material.name},
            obj=stored,
            data={"application": current.number, "material": stored.material.key},
        )
    return stored


def _looks_like_id_number(value: Any) -> bool:
    return isinstance(value, str) and len(value.strip()) == 18 and value.strip()[:17].isdigit()


def on_licence_verified(use: Any) -> None:
    """licence_hooks "verified": a licence verified at a window for an application marks the matching
    material as provided by e-licence (no paper)."""
    ref = getattr(use, "application_ref", "") or ""
    if not ref:
        return
    application = Application.objects.filter(number=ref).first()
    if application is None or application.status not in (
        Status.RECEIVED,
        Status.CORRECTION_REQUESTED,
        Status.ACCEPTED_WITH_PROMISE,
        Status.IN_REVIEW,
        Status.SPECIAL_PROCEDURE,
    ):
        return
    licence = use.licence
    # The licence must be the applicant's own: a person's licences for a person applicant; for an
    # enterprise, its own enterprise licences (a person's licence there is its representative's).
    holder_is_person = licence.holder_kind == ApplicantKind.PERSON
    if (application.applicant_kind == ApplicantKind.PERSON or not holder_is_person) and (
        licence.holder_code != application.applicant_code
    ):
        raise ValidationFailed(
            _("该证照的持证人不是本办件的申请人，不能作为本办件的材料。"), code="licence_holder_mismatch"
        )
    # When the enterprise's form names people by ID number (法定代表人, 经办人 ...), the person must be one of them.
    named = {str(v).strip().upper() for v in (application.form_data or {}).values() if _looks_like_id_number(v)}
    if (
        holder_is_person
        and application.applicant_kind != ApplicantKind.PERSON
        and named
        and (licence.holder_code.upper() not in named)
    ):
        raise ValidationFailed(
            _("该证照的持证人不是申请表中填写的法定代表人或经办人，不能作为本办件的材料。"),
            code="licence_holder_mismatch",
        )
    type_code = licence.type.code
    updated = []
    for material in application.materials.filter(licence_type_code=type_code).exclude(status=MaterialStatus.E_LICENCE):
        material.status = MaterialStatus.E_LICENCE
        material.licence_identifier = use.licence.identifier
        material.promised_by = None
        material.save(update_fields=["status", "licence_identifier", "promised_by"])
        updated.append(material.key)
    if updated:
        if not application.materials.filter(status=MaterialStatus.PROMISED).exists():
            Application.objects.filter(pk=application.pk).update(promise_until=None)
        _event(
            application,
            action="material_e_licence",
            from_status=application.status,
            actor=getattr(use, "verifier", None),
            now=timezone.now(),
            data={"materials": updated, "identifier": use.licence.identifier},
        )


# --- the sweep -----------------------------------------------------------------------------------


def applications_sweep(*, now: dt.datetime | None = None) -> str:
    """Idempotent periodic check: deemed acceptance (no 补正 notice in time), 容缺 expiry (不予审批)
    and the overdue flag. Safe to run any number of times."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    deemed = expired = overdue = 0
    for pk in Application.objects.filter(status=Status.RECEIVED, notice_due_at__lt=now).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                application_transition(
                    actor=None,
                    application=pk,
                    action=Action.DEEM_ACCEPT,
                    note=_("未在规定期限内一次性告知补正，自收到申请材料之日起即为受理。"),
                    now=now,
                )
                application_transition(actor=None, application=pk, action=Action.START_REVIEW, now=now)
            deemed += 1
        except (ConcurrentModification, InvalidTransition):
            continue
    for pk in Application.objects.filter(
        status__in=[Status.ACCEPTED_WITH_PROMISE, Status.IN_REVIEW], promise_until__lt=today
    ).values_list("pk", flat=True):
        try:
            application_transition(actor=None, application=pk, action=Action.PROMISE_EXPIRED, now=now)
            expired += 1
        except (ConcurrentModification, InvalidTransition):
            continue
    late = Application.objects.filter(status__in=CLOCK_STATUSES, due_at__lt=now, is_overdue=False)
    for application in late:
        Application.objects.filter(pk=application.pk).update(is_overdue=True)
        application.is_overdue = True
        _event(application, action="overdue", from_status=application.status, actor=None, now=now, is_public=False)
        overdue += 1
    return f"办件巡检：视为受理 {deemed} 件，容缺逾期不予审批 {expired} 件，新增超期 {overdue} 件。"


# --- proxies, assisted services, projects --------------------------------------------------------


def proxy_authorise(
    *,
    actor: Any,
    agent: Any,
    principal_kind: str,
    principal_name: str,
    principal_code: str,
    principal_phone: str = "",
    scope: str,
    valid_until: Any,
    now: dt.datetime | None = None,
) -> ProxyAuthorisation:
    """Record a 授权委托书 (by a clerk, or by the agent themself) before the agent files."""
    now = now or timezone.now()
    resolved = _resolve(actor)
    if resolved is None or not (resolved.has_role(Role.CLERK) or resolved.has_role(Role.AGENT)):
        raise PermissionDenied(_("只有窗口受理人员或帮办代办员可以登记授权委托。"))
    if agent is None or not actor_for(agent).has_role(Role.AGENT):
        raise ValidationFailed(data={"agent": _("受托人须为帮办代办员。")})
    if resolved.has_role(Role.AGENT) and not resolved.has_role(Role.CLERK) and agent.pk != resolved.user.pk:
        raise PermissionDenied(_("帮办代办员只能登记委托给本人的授权。"))
    errors: dict[str, str] = {}
    try:
        who = clean_applicant(
            kind=principal_kind, name=principal_name, code=principal_code, phone=principal_phone or "13000000000"
        )
    except ValidationFailed as exc:
        who = {}
        errors.update({k.replace("applicant_", "principal_"): v for k, v in exc.data.items() if k != "applicant_phone"})
    phone = ""
    if principal_phone:
        try:
            phone = normalize_phone(principal_phone, field="principal_phone")
        except ValidationFailed as exc:
            errors["principal_phone"] = str(exc.message)
    scope = (scope or "").strip()
    if not scope:
        errors["scope"] = _("请填写委托事项。")
    elif len(scope) > 300:
        errors["scope"] = _("委托事项不能超过300字。")
    until = None
    try:
        until = _clean_date(valid_until, "valid_until")
        if until < timezone.localdate(now):
            errors["valid_until"] = _("有效期不能早于今天。")
        elif until > timezone.localdate(now) + dt.timedelta(days=366):
            errors["valid_until"] = _("有效期不能超过一年。")
    except ValidationFailed as exc:
        errors.update(exc.data)
    if errors:
        raise ValidationFailed(data=errors)
    assert until is not None
    return ProxyAuthorisation.objects.create(
        principal_kind=who["applicant_kind"],
        principal_name=who["applicant_name"],
        principal_code=who["applicant_code"],
        principal_phone=phone,
        agent=agent,
        scope=scope,
        valid_until=until,
        created_by=resolved.user,
        created_at=now,
    )


def proxy_revoke(*, actor: Any, proxy: ProxyAuthorisation, now: dt.datetime | None = None) -> ProxyAuthorisation:
    now = now or timezone.now()
    resolved = _resolve(actor)
    if resolved is None or not (resolved.has_role(Role.CLERK) or proxy.agent_id == resolved.user.pk):
        raise NotFound()
    if proxy.revoked_at is None:
        proxy.revoked_at = now
        proxy.save(update_fields=["revoked_at"])
    return proxy


def assisted_service_record(
    *,
    actor: Any,
    kind: str,
    person_name: str,
    person_phone: str = "",
    served_on: Any,
    note: str = "",
    application: Application | None = None,
    now: dt.datetime | None = None,
) -> AssistedService:
    """Log one 适老化 帮办 service (accompany, home visit, proxy...)."""
    now = now or timezone.now()
    resolved = _resolve(actor)
    if resolved is None or not any(resolved.has_role(r) for r in (Role.AGENT, Role.CLERK, Role.HALL_MANAGER)):
        raise PermissionDenied(_("只有帮办代办员、窗口或大厅管理人员可以登记帮办服务。"))
    errors: dict[str, str] = {}
    if kind not in AssistKind.values:
        errors["kind"] = _("请选择服务方式。")
    person_name = (person_name or "").strip()
    if not person_name:
        errors["person_name"] = _("请填写服务对象。")
    elif len(person_name) > 60:
        errors["person_name"] = _("服务对象不能超过60字。")
    phone = ""
    if person_phone:
        try:
            phone = normalize_phone(person_phone, field="person_phone")
        except ValidationFailed as exc:
            errors["person_phone"] = str(exc.message)
    day = None
    try:
        day = _clean_date(served_on, "served_on")
        if day > timezone.localdate(now):
            errors["served_on"] = _("服务日期不能晚于今天。")
    except ValidationFailed as exc:
        errors.update(exc.data)
    if len(note or "") > 500:
        errors["note"] = _("服务内容不能超过500字。")
    if errors:
        raise ValidationFailed(data=errors)
    assert day is not None
    return AssistedService.objects.create(
        kind=kind,
        person_name=person_name,
        person_phone=phone,
        staff=resolved.user,
        served_on=day,
        note=(note or "").strip(),
        application=application,
        created_at=now,
    )


def project_create(
    *,
    actor: Any,
    name: str,
    code: str,
    enterprise_name: str,
    enterprise_credit_code: str,
    butler: Any = None,
    now: dt.datetime | None = None,
) -> Project:
    resolved = _resolve(actor)
    if resolved is None or not any(resolved.has_role(r) for r in (Role.AGENT, Role.CLERK, Role.HALL_MANAGER)):
        raise PermissionDenied()
    errors: dict[str, str] = {}
    name, code, enterprise_name = (name or "").strip(), (code or "").strip(), (enterprise_name or "").strip()
    if not name or len(name) > 200:
        errors["name"] = _("请填写项目名称（不超过200字）。")
    if not code or len(code) > 40:
        errors["code"] = _("请填写项目代码（不超过40字）。")
    elif Project.objects.filter(code=code).exists():
        errors["code"] = _("项目代码已存在。")
    if not enterprise_name or len(enterprise_name) > 200:
        errors["enterprise_name"] = _("请填写建设单位（不超过200字）。")
    credit = ""
    try:
        credit = normalize_uscc(enterprise_credit_code, field="enterprise_credit_code")
    except ValidationFailed as exc:
        errors["enterprise_credit_code"] = str(exc.message)
    if errors:
        raise ValidationFailed(data=errors)
    return Project.objects.create(
        name=name,
        code=code,
        enterprise_name=enterprise_name,
        enterprise_credit_code=credit,
        butler=butler if butler is not None else resolved.user,
        created_at=now or timezone.now(),
    )
