"""收件: the applicant's details and form checked, the application recorded with its materials checklist
(at the window by a clerk; online by the applicant, or by an agent under a recorded 授权委托书)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.catalogue.models import Bundle, FormField, ServiceItem
from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.validators import normalize_id_number, normalize_phone, normalize_uscc
from huying.core.workdays import WorkCalendar

from .. import errors
from ..models import Application, ApplicationMaterial, Project, ProxyAuthorisation
from ..states import ApplicantKind, Channel, Status
from .common import ActorArg, Plan, _event, _resolve, notice_workdays, plan_for
from .materials import _apply_material_changes, _mark_held_licences, clean_material_changes


def id_number(value: str, *, field: str) -> str:
    """normalize_id_number, also for numbers whose region code python-stdnum cannot place (it raises
    KeyError there instead of a validation error)."""
    try:
        return normalize_id_number(value, field=field)
    except (KeyError, ValueError, IndexError):
        raise ValidationFailed(
            _("身份证号码无效：请核对18位号码及最后一位校验码。"),
            code=errors.INVALID_ID_NUMBER,
            data={"field": field},
        ) from None


def _clean_field(f: FormField, value: str) -> str:
    """One form value normalised for its kind, or ValidationFailed with the reason."""
    if f.kind == FormField.Kind.ID_NUMBER:
        return id_number(value, field=f.key)
    if f.kind == FormField.Kind.CREDIT_CODE:
        return normalize_uscc(value, field=f.key)
    if f.kind == FormField.Kind.PHONE:
        return normalize_phone(value, field=f.key)
    if f.kind == FormField.Kind.DATE:
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValidationFailed(_("%(label)s应为日期（如 2026-03-01）。") % {"label": f.label}) from None
    if f.kind == FormField.Kind.NUMBER:
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
    return value


def clean_form_data(fields: tuple[FormField, ...] | list[FormField], data: dict[str, Any] | None) -> dict[str, Any]:
    """Validate the merged form; raise ValidationFailed with an error per field key."""
    data = data or {}
    if not isinstance(data, dict):
        raise ValidationFailed(_("申请表格式不正确。"), data={"form_data": _("申请表格式不正确。")})
    cleaned: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for f in fields:
        raw = data.get(f.key)
        value = "" if raw is None else str(raw).strip()
        if not value:
            if f.required:
                problems[f.key] = _("请填写%(label)s。") % {"label": f.label}
            continue
        if len(value) > 500:
            problems[f.key] = _("%(label)s不能超过500字。") % {"label": f.label}
            continue
        try:
            cleaned[f.key] = _clean_field(f, value)
        except ValidationFailed as exc:
            problems[f.key] = str(exc.message)
    if problems:
        raise ValidationFailed(_("申请表有误，请检查后重试。"), data={"form_data": problems})
    return cleaned


def clean_applicant(*, kind: str, name: str, code: str, phone: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    name = (name or "").strip()
    if kind not in ApplicantKind.values:
        problems["applicant_kind"] = _("请选择申请人类型。")
    if not name:
        problems["applicant_name"] = _("请填写申请人名称。")
    elif len(name) > 100:
        problems["applicant_name"] = _("申请人名称不能超过100字。")
    clean_code = ""
    try:
        if kind == ApplicantKind.ENTERPRISE:
            clean_code = normalize_uscc(code, field="applicant_code")
        else:
            clean_code = id_number(code, field="applicant_code")
    except ValidationFailed as exc:
        problems["applicant_code"] = str(exc.message)
    clean_phone = ""
    try:
        clean_phone = normalize_phone(phone, field="applicant_phone")
    except ValidationFailed as exc:
        problems["applicant_phone"] = str(exc.message)
    if problems:
        raise ValidationFailed(data=problems)
    return {
        "applicant_kind": kind,
        "applicant_name": name,
        "applicant_code": clean_code,
        "applicant_phone": clean_phone,
    }


def _check_proxy(
    proxy: ProxyAuthorisation | None, agent: User | None, applicant: dict[str, str], today: dt.date
) -> None:
    if proxy is None:
        raise ValidationFailed(
            _("代办须先登记授权委托书。"), data={"proxy": _("代办须先登记授权委托书。")}, code=errors.PROXY_REQUIRED
        )
    if proxy.agent_id != getattr(agent, "pk", None) or not proxy.is_active(today):
        raise ValidationFailed(_("授权委托无效或已过期、已撤销。"), data={"proxy": _("授权委托无效或已过期、已撤销。")})
    if proxy.principal_code != applicant["applicant_code"]:
        raise ValidationFailed(
            _("申请人与授权委托书的委托人不一致。"), data={"applicant_code": _("申请人与授权委托书的委托人不一致。")}
        )


def _account_of(applicant: dict[str, str]) -> User | None:
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


def _clean_request(
    *, channel: str, item: ServiceItem | None, bundle: Bundle | None, form_data: dict[str, Any] | None, **who: str
) -> tuple[Plan, dict[str, str], dict[str, Any]]:
    """The plan, the cleaned applicant and the cleaned form, or every error at once."""
    if channel not in Channel.values:
        raise ValidationFailed(data={"channel": _("申请渠道无效。")})
    for obj, label in ((item, _("事项")), (bundle, _("一件事"))):
        if obj is not None and not obj.is_active:
            raise ValidationFailed(data={"item": _("%(label)s已停用。") % {"label": label}})
    plan = plan_for(item=item, bundle=bundle)
    problems: dict[str, Any] = {}
    applicant: dict[str, str] = {}
    cleaned_form: dict[str, Any] = {}
    try:
        applicant = clean_applicant(**who)
    except ValidationFailed as exc:
        problems.update(exc.data)
    try:
        cleaned_form = clean_form_data(plan.fields, form_data)
    except ValidationFailed as exc:
        problems.update(exc.data)
    if problems:
        raise ValidationFailed(data=problems)
    return plan, applicant, cleaned_form


def _parties(
    actor: Actor,
    *,
    channel: str,
    proxy: ProxyAuthorisation | None,
    applicant: dict[str, str],
    today: dt.date,
    checked: bool = False,
) -> tuple[User | None, User | None]:
    """``(agent, applicant account)`` for who files: a clerk at the window (for anyone, possibly with an
    agent's proxy), an agent online under a proxy, a grid worker for a resident of their grid (网格代办)
    or a village clerk at their centre under the resident's proxy (村级全程代办) — the calling app having
    checked the post (``checked``) — or the applicant themself online."""
    user = actor.user
    if channel == Channel.GRID:
        if not checked:
            raise PermissionDenied(_("网格代办只能由本网格的网格员从走访发现提交。"))
        return user, None
    if channel == Channel.VILLAGE:
        # 村级全程代办: the village app has checked the clerk's post at the centre; the clerk is the agent.
        if not checked:
            raise PermissionDenied(_("村级代办只能由服务站代办员在本服务站提交。"))
        _check_proxy(proxy, user, applicant, today)
        return user, None
    if channel == Channel.WINDOW:
        if not actor.has_role(Role.CLERK):
            raise PermissionDenied(_("只有综合窗口受理人员可以窗口收件。"))
        agent = proxy.agent if proxy is not None else None
        if proxy is not None:
            _check_proxy(proxy, agent, applicant, today)
        return agent, None
    if actor.has_role(Role.AGENT) and proxy is not None:
        _check_proxy(proxy, user, applicant, today)
        return user, None
    if proxy is not None:
        raise PermissionDenied(_("只有帮办代办员可以代为申请。"))
    own_number = getattr(user, "id_number", "")
    if applicant["applicant_kind"] == ApplicantKind.PERSON and own_number and own_number != applicant["applicant_code"]:
        raise ValidationFailed(
            _("网上申请只能以本人名义提交；代他人申请请通过帮办代办。"),
            data={"applicant_code": _("与您实名认证的身份证号码不一致。")},
        )
    return None, user


def _create(plan: Plan, *, now: dt.datetime, **fields: Any) -> Application:
    """The application row (numbered), its materials checklist from the plan."""
    application = Application.objects.create(
        title=plan.title,
        unit=plan.unit,
        status=Status.RECEIVED,
        received_at=now,
        notice_due_at=WorkCalendar().deadline_in_workdays(now, notice_workdays()),
        promised_days=plan.promised_days,
        created_at=now,
        **fields,
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
    return application


def application_receive(
    *,
    actor: ActorArg,
    item: ServiceItem | None = None,
    bundle: Bundle | None = None,
    applicant_kind: str,
    applicant_name: str,
    applicant_code: str,
    applicant_phone: str,
    form_data: dict[str, Any] | None = None,
    channel: str = Channel.WINDOW,
    materials: dict[str, Any] | None = None,
    applicant_user: User | None = None,
    proxy: ProxyAuthorisation | None = None,
    project: Project | None = None,
    ticket_number: str = "",
    grid_post_checked: bool = False,
    village_checked: bool = False,
    now: dt.datetime | None = None,
) -> Application:
    """收件: record an application for an item or a bundle (exactly one).

    At the window (``channel="window"``) the actor is a clerk; online the actor is the applicant
    (a person applying for themself, or anyone for an enterprise) or an agent (帮办代办员) under a
    recorded, active ``proxy`` whose principal is the applicant. Materials the applicant holds as
    valid e-licences are marked ``e_licence`` at once (免提交); ``materials`` sets the clerk's
    checklist (``{key: status}``). ``channel="grid"`` (网格代办) is for the grid app only, after it
    has checked that the actor serves the applicant's grid (``grid_post_checked``); ``channel="village"``
    (村级全程代办) likewise, the clerk's post checked (``village_checked``), under a ``proxy`` to the clerk.
    """
    now = now or timezone.now()
    resolved = _resolve(actor)
    if resolved is None or not resolved.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    plan, applicant, cleaned_form = _clean_request(
        channel=channel,
        item=item,
        bundle=bundle,
        form_data=form_data,
        kind=applicant_kind,
        name=applicant_name,
        code=applicant_code,
        phone=applicant_phone,
    )
    today = timezone.localdate(now)
    checked = {str(Channel.GRID): grid_post_checked, str(Channel.VILLAGE): village_checked}.get(channel, False)
    agent, own_account = _parties(
        resolved, channel=channel, proxy=proxy, applicant=applicant, today=today, checked=checked
    )
    applicant_user = own_account or applicant_user or _account_of(applicant)
    ticket_number = (ticket_number or "").strip()[:16]
    with transaction.atomic():
        application = _create(
            plan,
            now=now,
            item=item,
            bundle=bundle,
            applicant_user=applicant_user,
            agent=agent,
            proxy=proxy,
            project=project,
            channel=channel,
            ticket_number=ticket_number,
            form_data=cleaned_form,
            received_by=resolved.user if channel == Channel.WINDOW else None,
            **applicant,
        )
        marked = _mark_held_licences(application)
        _apply_material_changes(application, clean_material_changes(application, materials, today=today))
        _event(
            application,
            action="receive",
            from_status="",
            actor=resolved.user,
            now=now,
            data={"channel": channel, "e_licence": marked, "ticket": ticket_number},
        )
        return application
