"""Writes for e-licences: issue (versioned), revoke, expire, import, show tokens, verify, authorise.

Keyword-only arguments, one transaction each. Pages, the API, commands and other apps call these.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import actor_for
from huying.core.errors import (
    ConcurrentModification,
    HuyingError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from huying.core.registry import licence_hooks
from huying.core.services import audit_record
from huying.core.validators import normalize_id_number, normalize_uscc
from huying.organisations.models import OrgUnit

from . import keys, selectors, tokens
from . import types as licence_types
from .identifier import build_identifier
from .models import (
    Authorisation,
    HolderKind,
    Licence,
    LicenceSource,
    LicenceStatus,
    LicenceType,
    LicenceUse,
    UsedToken,
    UseVia,
)
from .states import TRANSITIONS, Action

_SERIAL_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


# --- types ------------------------------------------------------------------------------------


def licence_types_load() -> int:
    """Create the common licence types (huying.licences.types) that are missing; existing rows stay.

    The data migrations load them on migrate; this restores them where a table was emptied (a
    flushed test database) and is what the demo command calls. Returns how many were created.
    """
    kinds = {licence_types.PERSON: HolderKind.PERSON, licence_types.ENTERPRISE: HolderKind.ENTERPRISE}
    created = 0
    for spec in licence_types.COMMON_TYPES:
        _, made = LicenceType.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "holder_kind": kinds[spec.holder_kind],
                "definer": spec.definer,
                "valid_years": spec.valid_years,
            },
        )
        created += int(made)
    return created


# --- issue ------------------------------------------------------------------------------------


def normalize_holder_code(holder_kind: str, value: str, *, field: str = "holder_code") -> str:
    """公民身份号码 for a person's licence, 统一社会信用代码 for an enterprise's."""
    if holder_kind == HolderKind.PERSON:
        return normalize_id_number(value, field=field)
    return normalize_uscc(value, field=field)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _new_serial(day: dt.date) -> str:
    return day.strftime("%Y%m%d") + "".join(secrets.choice(_SERIAL_ALPHABET) for _ in range(10))


def _as_date(value: Any, field: str, errors: dict[str, str]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = _("日期格式不正确，应为YYYY-MM-DD。")
        return None


def _clean_issue(
    *,
    type_code: str,
    holder_code: str,
    holder_name: str,
    issuer_name: str,
    issuer_credit_code: str,
    number: str,
    data: Any,
    valid_from: Any,
    valid_until: Any,
    issued_on: Any = None,
) -> dict[str, Any]:
    """Validate one licence's fields; raise ValidationFailed with every field error at once."""
    errors: dict[str, str] = {}
    licence_type = LicenceType.objects.filter(code=(type_code or "").strip().upper()).first()
    if licence_type is None:
        errors["type_code"] = _("证照类型代码不存在：请使用证照目录中的类型代码。")
    elif not licence_type.active:
        errors["type_code"] = _("该证照类型已停用，不能签发。")
    code = ""
    if licence_type is not None:
        try:
            code = normalize_holder_code(licence_type.holder_kind, holder_code)
        except ValidationFailed:
            errors["holder_code"] = (
                _("持证主体代码无效：个人证照应为正确的18位公民身份号码。")
                if licence_type.holder_kind == HolderKind.PERSON
                else _("持证主体代码无效：企业证照应为正确的18位统一社会信用代码。")
            )
    holder_name = (holder_name or "").strip()
    if not holder_name:
        errors["holder_name"] = _("请填写持证主体名称。")
    elif len(holder_name) > 100:
        errors["holder_name"] = _("持证主体名称不能超过100字。")
    issuer_name = (issuer_name or "").strip()
    if not issuer_name:
        errors["issuer_name"] = _("请填写证照颁发机构。")
    elif len(issuer_name) > 100:
        errors["issuer_name"] = _("证照颁发机构名称不能超过100字。")
    issuer = ""
    try:
        issuer = normalize_uscc(issuer_credit_code, field="issuer_credit_code")
    except ValidationFailed:
        errors["issuer_credit_code"] = _("证照颁发机构代码无效：应为正确的18位统一社会信用代码。")
    number = (number or "").strip()
    if len(number) > 100:
        errors["number"] = _("证照编号不能超过100字。")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        errors["data"] = _("证照信息应为键值对。")
    today = timezone.localdate()
    issued = _as_date(issued_on, "issued_on", errors) or today
    start = _as_date(valid_from, "valid_from", errors) or issued
    end = _as_date(valid_until, "valid_until", errors)
    if end is None and "valid_until" not in errors and licence_type is not None and licence_type.valid_years:
        end = _add_years(start, licence_type.valid_years) - dt.timedelta(days=1)
    if end is not None and end < start:
        errors["valid_until"] = _("有效期截止日期不能早于起始日期。")
    if errors:
        raise ValidationFailed(data=errors)
    assert licence_type is not None
    return {
        "type": licence_type,
        "holder_code": code,
        "holder_name": holder_name,
        "issuer_name": issuer_name,
        "issuer_credit_code": issuer,
        "number": number,
        "data": data,
        "issued_on": issued,
        "valid_from": start,
        "valid_until": end,
    }


def _metadata(clean: dict[str, Any], licence_type: LicenceType) -> dict[str, Any]:
    """证照元数据 (GB/T 36903-2018 电子证照 元数据规范) kept with the licence, next to what the issuer supplied."""
    meta = {
        "证照名称": licence_type.name,
        "证照类型名称": licence_type.name,
        "证照类型代码": licence_type.code,
        "证照编号": clean["number"],
        "持证主体": clean["holder_name"],
        "持证主体代码": clean["holder_code"],
        "持证主体代码类型": licence_type.holder_code_type,
        "证照颁发机构": clean["issuer_name"],
        "证照颁发机构代码": clean["issuer_credit_code"],
        "证照颁发日期": clean["issued_on"].isoformat(),
        "有效期起始日期": clean["valid_from"].isoformat(),
        "有效期截止日期": clean["valid_until"].isoformat() if clean["valid_until"] else "长期",
        "证照定义机构名称": licence_type.definer,
        "证照定义机构代码": licence_type.code[:18],
    }
    return {**meta, **clean["data"]}


def _create_version(clean: dict[str, Any], *, issuer_unit: OrgUnit | None, source: str, source_ref: str) -> Licence:
    """Insert the licence; a re-issue of the same type + holder + number supersedes the latest version."""
    licence_type: LicenceType = clean["type"]
    previous = (
        Licence.objects.select_for_update(of=("self",))
        .filter(
            type=licence_type,
            holder_code=clean["holder_code"],
            number=clean["number"],
            next_version__isnull=True,
        )
        .order_by("-version", "-pk")
        .first()
    )
    if previous is not None:
        if previous.version >= 999:
            raise ValidationFailed(_("该证照版本号已达上限999，请更换证照编号后签发。"), code="version_exhausted")
        serial, version = previous.serial, previous.version + 1
        issuer_code = previous.issuer_credit_code
        # The identifier keeps the first issuer's code so the serial stays unique within it.
    else:
        serial, version, issuer_code = _new_serial(clean["issued_on"]), 1, clean["issuer_credit_code"]
    for _attempt in range(5):
        identifier = build_identifier(licence_type.code, issuer_code, serial, version)
        try:
            with transaction.atomic():
                licence = Licence.objects.create(
                    identifier=identifier,
                    type=licence_type,
                    issuer_name=clean["issuer_name"],
                    issuer_credit_code=clean["issuer_credit_code"],
                    issuer_unit=issuer_unit,
                    serial=serial,
                    version=version,
                    number=clean["number"],
                    holder_kind=licence_type.holder_kind,
                    holder_code=clean["holder_code"],
                    holder_name=clean["holder_name"],
                    data=_metadata(clean, licence_type),
                    issued_on=clean["issued_on"],
                    valid_from=clean["valid_from"],
                    valid_until=clean["valid_until"],
                    source=source,
                    source_ref=source_ref[:100],
                    previous=previous,
                )
        except IntegrityError:
            if previous is not None:
                raise ConcurrentModification(_("该证照刚刚已被换发，请刷新后重试。")) from None
            serial = _new_serial(clean["issued_on"])
            continue
        break
    else:  # pragma: no cover - 31^10 serials a day
        raise ConcurrentModification()
    if previous is not None and previous.status in (LicenceStatus.VALID, LicenceStatus.EXPIRED):
        Licence.objects.filter(pk=previous.pk).update(status=LicenceStatus.SUPERSEDED, row_version=F("row_version") + 1)
    return licence


@transaction.atomic
def licence_issue(
    *,
    type_code: str,
    holder_code: str,
    holder_name: str,
    issuer_name: str,
    issuer_credit_code: str,
    issuer_unit: OrgUnit | None = None,
    number: str = "",
    data: dict[str, Any] | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    source_ref: str = "",
    actor: Any = None,
) -> Licence:
    """Issue an e-licence (签发). Validates the holder code for the type's holder kind and the issuer's
    credit code; builds the GB/T 36904 identifier with a new serial. Re-issuing the same type + holder
    + number (换发) makes version + 1 with the same serial and supersedes the previous version."""
    clean = _clean_issue(
        type_code=type_code,
        holder_code=holder_code,
        holder_name=holder_name,
        issuer_name=issuer_name,
        issuer_credit_code=issuer_credit_code,
        number=number,
        data=data,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    licence = _create_version(clean, issuer_unit=issuer_unit, source=LicenceSource.ISSUED, source_ref=source_ref)
    if actor is not None:
        audit_record(
            kind="licence_issue",
            actor=actor,
            summary=f"签发电子证照 {licence.type.name} {licence.identifier}",
            obj=licence,
            data={"version": licence.version},
        )
    return licence


@transaction.atomic
def licence_revoke(*, licence: Licence, reason: str, actor: Any = None, expected_version: int | None = None) -> Licence:
    """吊销/注销: a valid (or expired) licence becomes revoked; its codes stop verifying at once."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(data={"reason": _("请填写吊销原因。")})
    if len(reason) > 200:
        raise ValidationFailed(data={"reason": _("吊销原因不能超过200字。")})
    try:
        current = Licence.objects.select_for_update().get(pk=licence.pk)
    except Licence.DoesNotExist:
        raise NotFound() from None
    if expected_version is not None and int(expected_version) != current.row_version:
        raise ConcurrentModification(data={"current_version": current.row_version, "status": current.status})
    step = TRANSITIONS.get(current.status, Action.REVOKE)
    if step is None:
        raise InvalidTransition(_("该证照已吊销或已换发，不能吊销。"))
    now = timezone.now()
    rows = Licence.objects.filter(pk=current.pk, row_version=current.row_version).update(
        status=step.target, revoked_reason=reason, revoked_at=now, row_version=F("row_version") + 1
    )
    if rows != 1:  # pragma: no cover - guarded by the row lock
        raise ConcurrentModification()
    current.refresh_from_db()
    audit_record(
        kind="licence_revoke",
        actor=actor,
        summary=f"吊销电子证照 {current.identifier}",
        obj=current,
        data={"reason": reason},
    )
    return current


# --- expiry -----------------------------------------------------------------------------------


def licences_expire(*, today: dt.date | None = None) -> int:
    """Mark valid licences past their 有效期截止日期 as expired (idempotent); return how many."""
    day = today or timezone.localdate()
    sources = [t.source for t in TRANSITIONS.transitions if t.action == Action.EXPIRE]
    return Licence.objects.filter(status__in=sources, valid_until__lt=day).update(
        status=LicenceStatus.EXPIRED, row_version=F("row_version") + 1
    )


def used_tokens_purge(*, now: dt.datetime | None = None) -> int:
    deleted, _rows = UsedToken.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted


# --- showing and verifying (亮证 / 用证) --------------------------------------------------------

SHOW_TTL_SECONDS = 60
_TOKEN_MESSAGES = {
    tokens.TokenForged: _lazy("二维码无效（签名不符）：可能被伪造或篡改，请持证人重新出示。"),
    tokens.TokenExpired: _lazy("二维码已过期，请持证人刷新后重新出示。"),
    tokens.TokenNotYetValid: _lazy("二维码尚未生效，请检查扫码设备的时间设置。"),
    tokens.TokenReplayed: _lazy("二维码已被使用，请持证人刷新后重新出示。"),
}


class _LicenceUnusable(tokens.LicenceRevoked):
    """Raised from the revocation callback with a message and code that say why."""

    def __init__(self, code: str, message: Any) -> None:
        super().__init__(code)
        self.code = code
        self.message = str(message)


def _unusable_reason(licence: Licence) -> tuple[str, Any] | None:
    if licence.status == LicenceStatus.REVOKED:
        return "licence_revoked", _lazy("证照已吊销，不能使用。")
    if licence.status == LicenceStatus.SUPERSEDED:
        return "licence_superseded", _lazy("证照已换发新版本，此版本不能使用，请出示最新证照。")
    today = timezone.localdate()
    if licence.status == LicenceStatus.EXPIRED or (licence.valid_until is not None and licence.valid_until < today):
        return "licence_expired", _lazy("证照已过期，不能使用。")
    if licence.valid_from > today:
        return "licence_not_yet_valid", _lazy("证照尚未生效，不能使用。")
    return None


class _DbNonceStore:
    """The replay store in the database: a unique nonce row per token, kept until it expires."""

    def use_once(self, nonce: bytes, expires_at: int, now: float) -> bool:
        until = dt.datetime.fromtimestamp(expires_at + tokens.DEFAULT_LEEWAY_SECONDS, tz=dt.UTC)
        try:
            with transaction.atomic():
                UsedToken.objects.create(jti=nonce.hex(), expires_at=until)
        except IntegrityError:
            return False
        return True


def show_token_issue(*, licence: Licence, user: Any) -> str:
    """A signed, single-use QR token (60 s) for the holder, or an active authorisation's grantee."""
    licence = Licence.objects.select_related("type").filter(pk=licence.pk).first() or licence  # current state
    if selectors.is_holder(user, licence):
        holder_ref = f"U{user.pk}"
    else:
        authorisation = selectors.active_authorisation_for(user, licence)
        if authorisation is None:
            raise NotFound()
        holder_ref = f"A{authorisation.pk}"
    reason = _unusable_reason(licence)
    if reason is not None:
        raise ValidationFailed(reason[1], code=reason[0])
    try:
        keyring = keys.load_keyring()
    except tokens.KeyRingError as exc:
        raise ServiceUnavailable(str(exc)) from None
    return tokens.issue_token(keyring, f"L{licence.pk}", holder_ref, ttl_seconds=SHOW_TTL_SECONDS)


class ServiceUnavailable(HuyingError):
    code = "licence_keys_missing"
    status = 503
    default_message = _lazy("电子证照签名密钥未配置，请联系系统管理员。")


def _verifier_unit(user: Any) -> OrgUnit | None:
    actor = actor_for(user)
    for role in (Role.CLERK, Role.REVIEWER, Role.HALL_MANAGER, Role.ADMIN):
        ids = sorted(actor.unit_ids(role))
        if ids:
            return OrgUnit.objects.filter(pk=ids[0]).first()
    return None


def _clean_use(place: str, purpose: str, item_code: str, application_ref: str, via: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = _("请填写用证事由。")
    elif len(purpose) > 200:
        errors["purpose"] = _("用证事由不能超过200字。")
    cleaned = {"purpose": purpose}
    for field, value, limit, label in (
        ("place", place, 100, _("用证地点")),
        ("item_code", item_code, 40, _("事项编码")),
        ("application_ref", application_ref, 40, _("办件编号")),
    ):
        value = (value or "").strip()
        if len(value) > limit:
            errors[field] = _("%(label)s不能超过%(limit)d字。") % {"label": label, "limit": limit}
        cleaned[field] = value
    if via not in UseVia.values:
        errors["via"] = _("核验方式无效。")
    cleaned["via"] = via
    if errors:
        raise ValidationFailed(data=errors)
    return cleaned


@transaction.atomic
def token_verify(
    *,
    token: str,
    verifier: Any,
    place: str,
    purpose: str,
    item_code: str = "",
    application_ref: str = "",
    via: str = "scan",
) -> LicenceUse:
    """Check a shown QR token (signature, expiry, licence state, single use) and record the use.

    Errors are ValidationFailed with the token error's code (token_forged, token_expired,
    token_replayed, licence_revoked, licence_expired, licence_superseded, authorisation_inactive).
    With an application reference, ``licence_hooks "verified"(use)`` lets the applications app
    mark the material as provided.
    """
    if not selectors.is_verifier(verifier):
        raise PermissionDenied(_("只有窗口受理、审批和大厅管理人员可以核验电子证照。"))
    cleaned = _clean_use(place, purpose, item_code, application_ref, via)
    token = (token or "").strip()
    if not token:
        raise ValidationFailed(data={"token": _("请扫描或输入二维码内容。")})
    found: dict[str, Any] = {}

    def check_licence(licence_ref: str) -> bool:
        licence = None
        if licence_ref.startswith("L") and licence_ref[1:].isdigit():
            licence = Licence.objects.select_related("type").filter(pk=int(licence_ref[1:])).first()
        if licence is None:
            raise _LicenceUnusable("licence_not_found", _lazy("证照不存在，二维码无效。"))
        reason = _unusable_reason(licence)
        if reason is not None:
            raise _LicenceUnusable(*reason)
        found["licence"] = licence
        return False

    try:
        verified = tokens.verify_token(keys.verification_keys(), token, seen=_DbNonceStore(), is_revoked=check_licence)
    except tokens.TokenError as exc:
        message = _TOKEN_MESSAGES.get(type(exc), exc.message)
        raise ValidationFailed(message, code=exc.code, data={"field": "token"}) from None
    licence: Licence = found["licence"]
    shown_by, authorisation = _shower(verified.holder_ref, licence)
    use = LicenceUse.objects.create(
        licence=licence,
        verifier=verifier,
        unit=_verifier_unit(verifier),
        authorisation=authorisation,
        shown_by=shown_by,
        token_jti=verified.nonce,
        **cleaned,
    )
    if use.application_ref:
        licence_hooks.call("verified", use)
    return use


def _shower(holder_ref: str, licence: Licence) -> tuple[Any, Authorisation | None]:
    """Who showed the code: the holder (U<pk>) or a grantee under an authorisation (A<pk>)."""
    kind, ident = holder_ref[:1], holder_ref[1:]
    if kind == "A" and ident.isdigit():
        authorisation = Authorisation.objects.select_related("grantee").filter(pk=int(ident), licence=licence).first()
        if authorisation is None or not authorisation.is_active():
            raise ValidationFailed(
                _("该证照的授权已撤销或已过期，二维码无效。"), code="authorisation_inactive", data={"field": "token"}
            )
        return authorisation.grantee, authorisation
    if kind == "U" and ident.isdigit():
        user = User.objects.filter(pk=int(ident)).first()
        if user is not None and selectors.is_holder(user, licence):
            return user, None
    raise ValidationFailed(_("亮证人与持证人不符，二维码无效。"), code="holder_mismatch", data={"field": "token"})


FULL_VIEW_MINUTES = 30


def licence_full_view(*, use: LicenceUse, user: Any, ip_address: str | None = None) -> Licence:
    """The unmasked licence behind a use, for the clerk who verified it (or an admin); logged."""
    if not selectors.may_view_full(user):
        raise PermissionDenied(_("只有综合窗口受理人员和系统管理员可以查看完整证照信息。"))
    is_admin = actor_for(user).has_role(Role.ADMIN) or user.is_superuser
    if use.created_at < timezone.now() - dt.timedelta(minutes=FULL_VIEW_MINUTES) and not is_admin:
        raise PermissionDenied(_("核验已超过%(minutes)d分钟，不能再查看完整信息。") % {"minutes": FULL_VIEW_MINUTES})
    audit_record(
        kind="licence_full_view",
        actor=user,
        summary=f"查看电子证照完整信息 {use.licence.identifier}",
        obj=use.licence,
        data={"use": use.pk, "purpose": use.purpose},
        ip_address=ip_address,
    )
    return use.licence


# --- authorisations (授权用证) -----------------------------------------------------------------

MAX_AUTHORISATION_DAYS = 365


@transaction.atomic
def authorisation_grant(
    *,
    licence: Licence,
    grantee: Any,
    purpose: str,
    valid_until: dt.datetime,
    actor: Any,
    valid_from: dt.datetime | None = None,
) -> Authorisation:
    """The holder lets ``grantee`` show the licence for ``purpose`` until ``valid_until``."""
    if not selectors.is_holder(actor, licence):
        raise NotFound()
    errors: dict[str, str] = {}
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = _("请填写授权事由。")
    elif len(purpose) > 200:
        errors["purpose"] = _("授权事由不能超过200字。")
    if grantee is None:
        errors["grantee"] = _("被授权人不存在：请输入其用户名或手机号。")
    elif grantee.pk == actor.pk:
        errors["grantee"] = _("不能授权给自己。")
    now = timezone.now()
    start = valid_from or now
    if valid_until is None or not isinstance(valid_until, dt.datetime):
        errors["valid_until"] = _("请填写授权截止时间。")
    elif valid_until <= max(now, start):
        errors["valid_until"] = _("授权截止时间应晚于现在和开始时间。")
    elif valid_until > start + dt.timedelta(days=MAX_AUTHORISATION_DAYS):
        errors["valid_until"] = _("授权期限不能超过%(days)d天。") % {"days": MAX_AUTHORISATION_DAYS}
    if errors:
        raise ValidationFailed(data=errors)
    reason = _unusable_reason(licence)
    if reason is not None:
        raise ValidationFailed(reason[1], code=reason[0])
    authorisation = Authorisation.objects.create(
        licence=licence, grantee=grantee, purpose=purpose, valid_from=start, valid_until=valid_until, created_by=actor
    )
    audit_record(
        kind="licence_authorise",
        actor=actor,
        summary=f"授权{grantee}使用电子证照 {licence.type.name}",
        obj=licence,
        data={"authorisation": authorisation.pk, "purpose": purpose},
    )
    return authorisation


@transaction.atomic
def authorisation_revoke(*, authorisation: Authorisation, actor: Any) -> Authorisation:
    """The holder withdraws an authorisation; codes the grantee already shows stop verifying."""
    try:
        current = Authorisation.objects.select_for_update().select_related("licence").get(pk=authorisation.pk)
    except Authorisation.DoesNotExist:
        raise NotFound() from None
    if not selectors.is_holder(actor, current.licence):
        raise NotFound()
    if current.revoked_at is not None:
        raise InvalidTransition(_("该授权已撤销。"))
    current.revoked_at = timezone.now()
    current.save(update_fields=["revoked_at"])
    audit_record(
        kind="licence_authorisation_revoke",
        actor=actor,
        summary=f"撤销证照授权 {current.licence.type.name}",
        obj=current.licence,
        data={"authorisation": current.pk},
    )
    return current


# --- import -----------------------------------------------------------------------------------

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 20000
IMPORT_COLUMNS = {
    "type_code": ("证照类型代码", "type_code"),
    "holder_code": ("持证主体代码", "holder_code"),
    "holder_name": ("持证主体", "持证主体名称", "holder_name"),
    "issuer_name": ("证照颁发机构", "issuer_name"),
    "issuer_credit_code": ("证照颁发机构代码", "issuer_credit_code"),
    "number": ("证照编号", "number"),
    "issued_on": ("证照颁发日期", "颁发日期", "issued_on"),
    "valid_from": ("有效期起始日期", "valid_from"),
    "valid_until": ("有效期截止日期", "valid_until"),
    "source_ref": ("来源编号", "source_ref"),
}
REQUIRED_COLUMNS = ("type_code", "holder_code", "holder_name", "issuer_name", "issuer_credit_code")


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based, header = row 1, as a spreadsheet numbers it
    field: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list[RowError] = dc_field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_rows(upload: Any) -> list[list[Any]]:
    name = (getattr(upload, "name", "") or "").lower()
    size = getattr(upload, "size", None)
    if size is not None and size > IMPORT_MAX_BYTES:
        raise ValidationFailed(data={"file": _("文件不能超过5MB。")})
    raw = upload.read()
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > IMPORT_MAX_BYTES:
        raise ValidationFailed(data={"file": _("文件不能超过5MB。")})
    if name.endswith(".xlsx") or raw[:2] == b"PK":
        try:
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            book.close()
            return rows
        except Exception:
            raise ValidationFailed(data={"file": _("无法读取Excel文件：请上传.xlsx格式的表格。")}) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationFailed(data={"file": _("无法识别文件编码：请以UTF-8编码的CSV或.xlsx上传。")})
    try:
        return [list(r) for r in csv.reader(io.StringIO(text))]
    except csv.Error:
        raise ValidationFailed(data={"file": _("CSV文件格式错误。")}) from None


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return str(value).strip()


def licence_import(file: Any, *, actor: Any) -> ImportReport:
    """Import licences from CSV or .xlsx (header row, Chinese or English column names).

    Every row is validated; errors are reported by row and field, and nothing is saved if any
    row fails. Imported licences are marked source=imported.
    """
    rows = [r for r in _read_rows(file) if any(_cell(c) != "" for c in r)]
    report = ImportReport()
    if not rows:
        raise ValidationFailed(data={"file": _("文件为空：第一行应为表头，之后每行一份证照。")})
    header = [str(_cell(c)) for c in rows[0]]
    positions: dict[str, int] = {}
    for field, names in IMPORT_COLUMNS.items():
        for index, title in enumerate(header):
            if title in names:
                positions[field] = index
                break
    missing = [IMPORT_COLUMNS[f][0] for f in REQUIRED_COLUMNS if f not in positions]
    if missing:
        raise ValidationFailed(data={"file": _("缺少必填列：%(columns)s。") % {"columns": "、".join(missing)}})
    body = rows[1:]
    if len(body) > IMPORT_MAX_ROWS:
        raise ValidationFailed(data={"file": _("一次最多导入%(n)d行。") % {"n": IMPORT_MAX_ROWS}})
    report.rows = len(body)
    cleaned_rows: list[tuple[dict[str, Any], str]] = []
    for number, row in enumerate(body, start=2):
        values = {f: (_cell(row[i]) if i < len(row) else "") for f, i in positions.items()}
        try:
            clean = _clean_issue(
                type_code=str(values.get("type_code", "")),
                holder_code=str(values.get("holder_code", "")),
                holder_name=str(values.get("holder_name", "")),
                issuer_name=str(values.get("issuer_name", "")),
                issuer_credit_code=str(values.get("issuer_credit_code", "")),
                number=str(values.get("number", "")),
                data={},
                valid_from=values.get("valid_from") or None,
                valid_until=values.get("valid_until") or None,
                issued_on=values.get("issued_on") or None,
            )
        except ValidationFailed as exc:
            for field, message in sorted((exc.data or {}).items()):
                report.errors.append(RowError(number, field, str(message)))
            continue
        source_ref = str(values.get("source_ref", ""))
        if len(source_ref) > 100:
            report.errors.append(RowError(number, "source_ref", _("来源编号不能超过100字。")))
            continue
        cleaned_rows.append((clean, source_ref))
    if report.errors:
        return report
    with transaction.atomic():
        for clean, source_ref in cleaned_rows:
            _create_version(clean, issuer_unit=None, source=LicenceSource.IMPORTED, source_ref=source_ref)
        report.created = len(cleaned_rows)
        audit_record(
            kind="licence_import",
            actor=actor,
            summary=f"导入电子证照 {report.created} 份",
            data={"file": str(getattr(file, "name", ""))[:100], "rows": report.rows},
        )
    return report
