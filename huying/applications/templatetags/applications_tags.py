from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``{{ post|get:"f_name" }}``: a value from a dict or QueryDict, "" when absent."""
    if mapping is None:
        return ""
    try:
        value = mapping.get(str(key), "")
    except AttributeError:
        return ""
    return "" if value is None else value


@register.filter
def prefixed(value: Any, prefix: str) -> str:
    return f"{prefix}{value}"


@register.filter
def options(value: str) -> list[str]:
    return [c.strip() for c in (value or "").split("|") if c.strip()]


@register.filter
def asks_applicant(field: Any) -> bool:
    """A form field the applicant block answers (name, ID number or credit code, phone): not asked again."""
    from huying.catalogue.selectors import APPLICANT_FIELD_KEYS

    return getattr(field, "key", "") in APPLICANT_FIELD_KEYS


@register.filter
def field_hint(field: Any) -> str:
    """A hint that helps fill the field in (an example, the expected form), or "" where the label says it all."""
    from django.utils.translation import gettext as _

    hints = {
        "date": _("例：2027-01-10"),
        "number": _("只填数字，例：120"),
        "id_number": _("18 位，末位可为 X"),
        "credit_code": _("18 位，见营业执照"),
        "phone": _("手机号码或带区号的固定电话"),
    }
    return str(hints.get(getattr(field, "kind", ""), ""))


@register.simple_tag
def attachment_max_bytes() -> int:
    """The upload size limit, for the browser's check before uploading (static/js/limits.js)."""
    from django.conf import settings

    return int(settings.HUYING_ATTACHMENT_MAX_BYTES)
