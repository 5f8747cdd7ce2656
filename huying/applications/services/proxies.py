"""帮办代办 and 适老化 services: 授权委托书 for agents, the log of assisted services, and projects
(工程建设项目) with their 项目管家."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import actor_for
from huying.core.errors import NotFound, PermissionDenied, ValidationFailed
from huying.core.validators import normalize_phone, normalize_uscc

from ..models import Application, AssistedService, Project, ProxyAuthorisation
from ..states import AssistKind, Channel
from .common import ActorArg, _clean_date, _resolve
from .intake import clean_applicant

_ASSISTING = (Role.AGENT, Role.CLERK, Role.HALL_MANAGER)
# Who may act as an agent under a 授权委托书: a hall's 帮办代办员, or a village centre's 代办员.
_AGENTS = (Role.AGENT, Role.VILLAGE_CLERK)


def _clean_principal(
    kind: str, name: str, code: str, phone: str, problems: dict[str, str]
) -> tuple[dict[str, str], str]:
    """The principal as an applicant, and their phone (optional); errors go into ``problems``."""
    try:
        who = clean_applicant(kind=kind, name=name, code=code, phone=phone or "13000000000")
    except ValidationFailed as exc:
        who = {}
        problems.update(
            {k.replace("applicant_", "principal_"): v for k, v in exc.data.items() if k != "applicant_phone"}
        )
    clean_phone = ""
    if phone:
        try:
            clean_phone = normalize_phone(phone, field="principal_phone")
        except ValidationFailed as exc:
            problems["principal_phone"] = str(exc.message)
    return who, clean_phone


def _clean_until(valid_until: Any, today: dt.date, problems: dict[str, str]) -> dt.date | None:
    try:
        until = _clean_date(valid_until, "valid_until")
    except ValidationFailed as exc:
        problems.update(exc.data)
        return None
    if until < today:
        problems["valid_until"] = _("有效期不能早于今天。")
    elif until > today + dt.timedelta(days=366):
        problems["valid_until"] = _("有效期不能超过一年。")
    return until


def proxy_authorise(
    *,
    actor: ActorArg,
    agent: User | AnonymousUser | None,
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
    if resolved is None or not any(resolved.has_role(r) for r in (Role.CLERK, *_AGENTS)):
        raise PermissionDenied(_("只有窗口受理人员或帮办代办员可以登记授权委托。"))
    if not isinstance(agent, User) or not any(actor_for(agent).has_role(r) for r in _AGENTS):
        raise ValidationFailed(data={"agent": _("受托人须为帮办代办员。")})
    if not resolved.has_role(Role.CLERK) and agent.pk != resolved.user.pk:
        raise PermissionDenied(_("帮办代办员只能登记委托给本人的授权。"))
    problems: dict[str, str] = {}
    who, phone = _clean_principal(principal_kind, principal_name, principal_code, principal_phone, problems)
    scope = (scope or "").strip()
    if not scope:
        problems["scope"] = _("请填写委托事项。")
    elif len(scope) > 300:
        problems["scope"] = _("委托事项不能超过300字。")
    until = _clean_until(valid_until, timezone.localdate(now), problems)
    if problems:
        raise ValidationFailed(data=problems)
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


def proxy_revoke(*, actor: ActorArg, proxy: ProxyAuthorisation, now: dt.datetime | None = None) -> ProxyAuthorisation:
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
    actor: ActorArg,
    kind: str,
    person_name: str,
    person_phone: str = "",
    served_on: Any,
    note: str = "",
    application: Application | None = None,
    now: dt.datetime | None = None,
) -> AssistedService:
    """Log one 适老化 帮办 service (accompany, home visit, proxy...); a grid worker logs the 网格代办
    of an application they filed on the grid channel, a village clerk the 村级全程代办 they filed at the centre."""
    now = now or timezone.now()
    resolved = _resolve(actor)
    grid_agent = (
        resolved is not None
        and application is not None
        and application.channel in (Channel.GRID, Channel.VILLAGE)
        and application.agent_id == resolved.user.pk
    )
    if resolved is None or not (grid_agent or any(resolved.has_role(r) for r in _ASSISTING)):
        raise PermissionDenied(_("只有帮办代办员、窗口或大厅管理人员可以登记帮办服务。"))
    problems: dict[str, str] = {}
    if kind not in AssistKind.values:
        problems["kind"] = _("请选择服务方式。")
    person_name = (person_name or "").strip()
    if not person_name:
        problems["person_name"] = _("请填写服务对象。")
    elif len(person_name) > 60:
        problems["person_name"] = _("服务对象不能超过60字。")
    phone = ""
    if person_phone:
        try:
            phone = normalize_phone(person_phone, field="person_phone")
        except ValidationFailed as exc:
            problems["person_phone"] = str(exc.message)
    day = None
    try:
        day = _clean_date(served_on, "served_on")
        if day > timezone.localdate(now):
            problems["served_on"] = _("服务日期不能晚于今天。")
    except ValidationFailed as exc:
        problems.update(exc.data)
    if len(note or "") > 500:
        problems["note"] = _("服务内容不能超过500字。")
    if problems:
        raise ValidationFailed(data=problems)
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
    actor: ActorArg,
    name: str,
    code: str,
    enterprise_name: str,
    enterprise_credit_code: str,
    butler: User | None = None,
    now: dt.datetime | None = None,
) -> Project:
    resolved = _resolve(actor)
    if resolved is None or not any(resolved.has_role(r) for r in _ASSISTING):
        raise PermissionDenied()
    problems: dict[str, str] = {}
    name, code, enterprise_name = (name or "").strip(), (code or "").strip(), (enterprise_name or "").strip()
    if not name or len(name) > 200:
        problems["name"] = _("请填写项目名称（不超过200字）。")
    if not code or len(code) > 40:
        problems["code"] = _("请填写项目代码（不超过40字）。")
    elif Project.objects.filter(code=code).exists():
        problems["code"] = _("项目代码已存在。")
    if not enterprise_name or len(enterprise_name) > 200:
        problems["enterprise_name"] = _("请填写建设单位（不超过200字）。")
    credit = ""
    try:
        credit = normalize_uscc(enterprise_credit_code, field="enterprise_credit_code")
    except ValidationFailed as exc:
        problems["enterprise_credit_code"] = str(exc.message)
    if problems:
        raise ValidationFailed(data=problems)
    return Project.objects.create(
        name=name,
        code=code,
        enterprise_name=enterprise_name,
        enterprise_credit_code=credit,
        butler=butler if butler is not None else resolved.user,
        created_at=now or timezone.now(),
    )
