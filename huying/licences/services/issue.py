"""签发: an e-licence issued (versioned, with its GB/T 36904 identifier and 证照元数据), and the common
licence types loaded."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.core.errors import ConcurrentModification, ValidationFailed
from huying.core.services import audit_record
from huying.core.validators import normalize_id_number, normalize_uscc
from huying.organisations.models import OrgUnit

from .. import errors
from .. import types as licence_types
from ..identifier import build_identifier
from ..models import HolderKind, Licence, LicenceSource, LicenceType
from .lifecycle import _supersede

_SERIAL_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


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


def _clean_holder(
    licence_type: LicenceType | None, holder_code: str, holder_name: str, problems: dict[str, str]
) -> dict[str, str]:
    code = ""
    if licence_type is not None:
        try:
            code = normalize_holder_code(licence_type.holder_kind, holder_code)
        except ValidationFailed:
            problems["holder_code"] = (
                _("持证主体代码无效：个人证照应为正确的18位公民身份号码。")
                if licence_type.holder_kind == HolderKind.PERSON
                else _("持证主体代码无效：企业证照应为正确的18位统一社会信用代码。")
            )
    holder_name = (holder_name or "").strip()
    if not holder_name:
        problems["holder_name"] = _("请填写持证主体名称。")
    elif len(holder_name) > 100:
        problems["holder_name"] = _("持证主体名称不能超过100字。")
    return {"holder_code": code, "holder_name": holder_name}


def _clean_issuer(issuer_name: str, issuer_credit_code: str, problems: dict[str, str]) -> dict[str, str]:
    issuer_name = (issuer_name or "").strip()
    if not issuer_name:
        problems["issuer_name"] = _("请填写证照颁发机构。")
    elif len(issuer_name) > 100:
        problems["issuer_name"] = _("证照颁发机构名称不能超过100字。")
    issuer = ""
    try:
        issuer = normalize_uscc(issuer_credit_code, field="issuer_credit_code")
    except ValidationFailed:
        problems["issuer_credit_code"] = _("证照颁发机构代码无效：应为正确的18位统一社会信用代码。")
    return {"issuer_name": issuer_name, "issuer_credit_code": issuer}


def _clean_dates(
    licence_type: LicenceType | None, issued_on: Any, valid_from: Any, valid_until: Any, problems: dict[str, str]
) -> dict[str, dt.date | None]:
    """颁发日期 (today by default), 有效期 from it and, unless given, the type's years later."""
    issued = _as_date(issued_on, "issued_on", problems) or timezone.localdate()
    start = _as_date(valid_from, "valid_from", problems) or issued
    end = _as_date(valid_until, "valid_until", problems)
    if end is None and "valid_until" not in problems and licence_type is not None and licence_type.valid_years:
        end = _add_years(start, licence_type.valid_years) - dt.timedelta(days=1)
    if end is not None and end < start:
        problems["valid_until"] = _("有效期截止日期不能早于起始日期。")
    return {"issued_on": issued, "valid_from": start, "valid_until": end}


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
    problems: dict[str, str] = {}
    licence_type = LicenceType.objects.filter(code=(type_code or "").strip().upper()).first()
    if licence_type is None:
        problems["type_code"] = _("证照类型代码不存在：请使用证照目录中的类型代码。")
    elif not licence_type.active:
        problems["type_code"] = _("该证照类型已停用，不能签发。")
    holder = _clean_holder(licence_type, holder_code, holder_name, problems)
    issuer = _clean_issuer(issuer_name, issuer_credit_code, problems)
    number = (number or "").strip()
    if len(number) > 100:
        problems["number"] = _("证照编号不能超过100字。")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems["data"] = _("证照信息应为键值对。")
    dates = _clean_dates(licence_type, issued_on, valid_from, valid_until, problems)
    if problems:
        raise ValidationFailed(data=problems)
    assert licence_type is not None
    return {"type": licence_type, **holder, **issuer, "number": number, "data": data, **dates}


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
            raise ValidationFailed(_("该证照版本号已达上限999，请更换证照编号后签发。"), code=errors.VERSION_EXHAUSTED)
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
    if previous is not None:
        _supersede(previous)
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
    actor: User | AnonymousUser | None = None,
    issued_on: dt.date | None = None,
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
        issued_on=issued_on,
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
