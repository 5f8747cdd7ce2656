"""What a licence looks like on a page: masked for verifiers (个人信息保护法 Arts. 6, 51), full when allowed."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from huying.core.masking import mask_id_number, mask_name

from ..models import HolderKind, Licence

# Metadata already shown as a field of its own (GB/T 36903-2018 metadata names).
_SHOWN = {
    "证照名称",
    "证照类型名称",
    "证照类型代码",
    "证照编号",
    "持证主体",
    "持证主体代码",
    "持证主体代码类型",
    "证照颁发机构",
    "证照颁发机构代码",
    "证照颁发日期",
    "有效期起始日期",
    "有效期截止日期",
    "证照定义机构名称",
    "证照定义机构代码",
}


def validity(licence: Licence) -> str:
    end = licence.valid_until.isoformat() if licence.valid_until else _("长期")
    return f"{licence.valid_from.isoformat()} 至 {end}"


def licence_fields(licence: Licence, *, full: bool) -> list[tuple[str, Any]]:
    person = licence.holder_kind == HolderKind.PERSON
    name = licence.holder_name if (full or not person) else mask_name(licence.holder_name)
    code = licence.holder_code if (full or not person) else mask_id_number(licence.holder_code)
    rows: list[tuple[str, Any]] = [
        (_("证照名称"), licence.type.name),
        (_("持证主体"), name),
        (_("持证主体代码"), code),
        (_("证照编号"), licence.number or "—"),
        (_("证照颁发机构"), licence.issuer_name),
        (_("颁发日期"), licence.issued_on.isoformat()),
        (_("有效期"), validity(licence)),
        (_("状态"), licence.get_status_display()),
        (_("版本"), f"{licence.version:03d}"),
        (_("电子证照标识"), licence.identifier),
    ]
    if full:
        rows += [(str(k), str(v)) for k, v in licence.data.items() if k not in _SHOWN]
    return rows
