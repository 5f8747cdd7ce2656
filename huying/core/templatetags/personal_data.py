"""``{% load personal_data %}``: ``{{ value|mask_id }}``, ``{{ value|mask_phone }}``, ``{{ value|mask_personal }}``.

Pages show personal data masked (see ``huying.core.personal_data``); a full value reaches a page only
through a reveal, which is audited.
"""

from __future__ import annotations

from typing import Any

from django import template

from huying.core import personal_data
from huying.core.masking import mask_id_number
from huying.core.masking import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_id(value: Any) -> str:
    """An ID number shown 6+4; anything that is not an ID number (统一社会信用代码) unchanged."""
    text = str(value or "")
    return mask_id_number(text) if personal_data.looks_like_id_number(text) else text


@register.filter
def mask_phone(value: Any) -> str:
    return _mask_phone(str(value or ""))


@register.filter
def mask_personal(value: Any) -> Any:
    """Free text or a form answer with every ID number and mobile number in it masked."""
    return personal_data.mask_text(value) if isinstance(value, str) else value
