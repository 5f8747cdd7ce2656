"""Personal data on every page and API: masked by default, revealed with a purpose, every reveal audited.

One rule for every loop (个人信息保护法 Arts. 6, 28, 51; GB/T 35273-2020 信息安全技术 个人信息安全规范):

* ID numbers are shown 6+4 (``371602********1234``) and phones 3+4 (``138****5678``) to everyone,
  staff included. A person sees their own phone in full; their own ID number stays masked too.
* A full value is shown only through :func:`personal_data_reveal`: the app registers a
  :class:`RevealPolicy` for its model (who may see full values, which fields, how to name the record),
  the caller gives a purpose, and every reveal writes an ``AuditLog`` row of kind
  ``PERSONAL_DATA_VIEW``.

Serializers use :class:`MaskedIdNumberField` / :class:`MaskedPhoneField` (or :func:`mask_form_data` for
a form's answers); templates use the ``mask_id`` / ``mask_phone`` filters of ``{% load personal_data %}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers

from .errors import PermissionDenied, ValidationFailed
from .masking import mask_id_number, mask_phone
from .models import AuditLog
from .services import audit_record
from .validators import id_check_char

ID_NUMBER = "id_number"
PHONE = "phone"
PURPOSE_MAX_LENGTH = 200

_ID_SHAPE = re.compile(r"^\d{17}[\dXx]$")
_MOBILE_SHAPE = re.compile(r"^1[3-9]\d{9}$")
# Inside free text: an 18-character ID number or an 11-digit mobile not glued to other digits.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


class RevealingActor(Protocol):
    """What the kernel needs of an actor (``accounts.selectors.Actor``): the user to audit."""

    @property
    def user(self) -> Any: ...


def looks_like_id_number(value: object) -> bool:
    """An 18-character resident ID number whose check character is right."""
    text = str(value or "").strip()
    return bool(_ID_SHAPE.match(text)) and id_check_char(text[:17]) == text[17].upper()


def looks_like_mobile(value: object) -> bool:
    return bool(_MOBILE_SHAPE.match(str(value or "").strip()))


def mask_value(value: Any, kind: str = "") -> Any:
    """``kind`` id_number / phone masks as such; otherwise a value that looks like either is masked."""
    if not isinstance(value, str) or not value:
        return value
    if kind == ID_NUMBER or (not kind and looks_like_id_number(value)):
        return mask_id_number(value)
    if kind == PHONE or (not kind and looks_like_mobile(value)):
        return mask_phone(value)
    return value


def mask_text(text: str) -> str:
    """Free text with every ID number and mobile number in it masked."""
    if not text:
        return text

    def _id(match: re.Match[str]) -> str:
        return mask_id_number(match.group(0)) if looks_like_id_number(match.group(0)) else match.group(0)

    text = _ID_IN_TEXT.sub(_id, text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)


def mask_form_data(data: Mapping[str, Any] | None, kinds: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A form's answers with ID numbers and phones masked: by the field's kind where known, else by shape."""
    kinds = kinds or {}
    return {key: mask_value(value, kinds.get(key, "")) for key, value in (data or {}).items()}


# --- serializer fields -------------------------------------------------------------------------------


class MaskedIdNumberField(serializers.CharField):
    """A read-only ID number shown 6+4. ``only_if_id`` leaves other codes (统一社会信用代码) as they are."""

    def __init__(self, *, only_if_id: bool = False, **kwargs: Any) -> None:
        self.only_if_id = only_if_id
        kwargs.setdefault("help_text", _("身份证号码（脱敏显示）"))
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        text = str(value or "")
        if self.only_if_id and not looks_like_id_number(text):
            return text
        return mask_id_number(text)


class MaskedPhoneField(serializers.CharField):
    """A read-only phone shown 3+4."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("联系电话（脱敏显示）"))
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return mask_phone(str(value or ""))


class PurposeSerializer(serializers.Serializer):
    purpose = serializers.CharField(max_length=PURPOSE_MAX_LENGTH, help_text=_("查看事由（必填），记入审计日志"))


# --- reveal ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevealPolicy:
    """Who may see a record's full personal data, and what that data is.

    ``may_reveal(actor, record)`` says yes or no (never true for other citizens); ``values(record)``
    gives every revealable field in full; ``describe(record)`` names the record in the audit row.
    """

    may_reveal: Callable[[Any, Any], bool]
    values: Callable[[Any], dict[str, str]]
    describe: Callable[[Any], str]
    denied: object = ""  # the refusal message (a lazy translation)


_policies: dict[str, RevealPolicy] = {}


def register_reveal_policy(model: type[models.Model], policy: RevealPolicy) -> None:
    _policies[model._meta.label] = policy


def reveal_policy(record: models.Model) -> RevealPolicy:
    try:
        return _policies[record._meta.label]
    except KeyError:
        raise LookupError(f"No personal-data reveal policy registered for {record._meta.label}") from None


def may_reveal(actor: RevealingActor, record: models.Model) -> bool:
    return bool(reveal_policy(record).may_reveal(actor, record))


def clean_purpose(purpose: str | None) -> str:
    text = (purpose or "").strip()
    if not text:
        raise ValidationFailed(_("请填写查看事由。"), data={"purpose": _("请填写查看事由。")})
    return text[:PURPOSE_MAX_LENGTH]


def personal_data_reveal(
    *,
    actor: RevealingActor,
    record: models.Model,
    purpose: str | None,
    fields: Iterable[str] | None = None,
    ip_address: str | None = None,
) -> dict[str, str]:
    """The record's full personal data (all of it, or ``fields``) for an actor its policy allows.

    Refused (PermissionDenied) for anyone else; a purpose is required; the view is written to the audit
    log with the purpose and the fields shown.
    """
    policy = reveal_policy(record)
    if not policy.may_reveal(actor, record):
        raise PermissionDenied(str(policy.denied) if policy.denied else _("您的角色无权查看完整个人信息。"))
    cleaned = clean_purpose(purpose)
    values = policy.values(record)
    if fields is not None:
        wanted = set(fields)
        unknown = wanted - set(values)
        if unknown:
            raise ValidationFailed(
                _("没有这些个人信息字段：%(fields)s") % {"fields": "、".join(sorted(unknown))},
                data={"fields": sorted(unknown)},
            )
        values = {k: v for k, v in values.items() if k in wanted}
    audit_record(
        kind=AuditLog.Kind.PERSONAL_DATA_VIEW,
        actor=actor.user,
        obj=record,
        summary=policy.describe(record),
        data={"purpose": cleaned, **({"fields": sorted(values)} if fields is not None else {})},
        ip_address=ip_address,
    )
    return values
