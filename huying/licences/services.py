"""Writes for e-licences: issue (versioned), revoke, expire, import, show tokens, verify, authorise.

Keyword-only arguments, one transaction each. Pages, the API, commands and other apps call these.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.errors import ConcurrentModification, InvalidTransition, NotFound, ValidationFailed
from huying.core.services import audit_record
from huying.core.validators import normalize_id_number, normalize_uscc
from huying.organisations.models import OrgUnit

from .identifier import build_identifier
from .models import HolderKind, Licence, LicenceSource, LicenceStatus, LicenceType

_SERIAL_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


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
    """证照元数据 (domain-rules §4.3) kept with the licence, next to what the issuer supplied."""
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
        Licence.objects.select_for_update()
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
    if current.status not in (LicenceStatus.VALID, LicenceStatus.EXPIRED):
        raise InvalidTransition(_("该证照已吊销或已换发，不能吊销。"))
    now = timezone.now()
    rows = Licence.objects.filter(pk=current.pk, row_version=current.row_version).update(
        status=LicenceStatus.REVOKED, revoked_reason=reason, revoked_at=now, row_version=F("row_version") + 1
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
