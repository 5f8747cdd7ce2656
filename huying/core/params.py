"""Query parameters, checked before they reach a query: a clear 400, never a 500.

Pages and APIs read every query parameter through these helpers (or a form / serializer built from
:func:`id_field`, :func:`date_field`, :func:`month_field`), so a huge number, a date in year 1 or 9999,
a 10,000-character string or a NUL byte is answered with ``ValidationFailed`` (400; problem+json on the
API, the message on a page through ``ProblemMiddleware``) instead of an overflow in the database or in
date arithmetic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from .errors import ValidationFailed

# Every id and count fits a signed 32-bit integer on every supported database.
MAX_INT = 2**31 - 1
# Dates anyone may ask about: records, calendars and figures live well inside these years, and date
# arithmetic of a few years either side stays valid.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)
MAX_TEXT = 200
MAX_IDS = 100
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _fail(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, data={name: message})


def _raw(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def text_param(value: Any, *, name: str, max_length: int = MAX_TEXT, default: str = "") -> str:
    """Free text: no NUL bytes, at most ``max_length`` characters."""
    text = _raw(value)
    if text is None:
        return default
    if "\x00" in text:
        raise _fail(name, _("参数 %(name)s 含有不允许的字符。") % {"name": name})
    if len(text) > max_length:
        raise _fail(name, _("参数 %(name)s 过长（最多 %(n)d 个字符）。") % {"name": name, "n": max_length})
    return text


def int_param(
    value: Any, *, name: str, minimum: int = 1, maximum: int = MAX_INT, default: int | None = None
) -> int | None:
    """An integer in [minimum, maximum], or ``default`` when absent."""
    text = _raw(value)
    if text is None:
        return default
    if not re.fullmatch(r"[+-]?\d+", text):
        raise _fail(name, _("参数 %(name)s 应为整数。") % {"name": name})
    number = int(text) if len(text) <= 12 else None
    if number is None or not minimum <= number <= maximum:
        raise _fail(
            name,
            _("参数 %(name)s 应在 %(min)d 到 %(max)d 之间。") % {"name": name, "min": minimum, "max": maximum},
        )
    return number


def date_param(value: Any, *, name: str, default: dt.date | None = None) -> dt.date | None:
    """A date written 2026-03-01, between EARLIEST_DATE and LATEST_DATE."""
    text = _raw(value)
    if text is None:
        return default
    try:
        day = dt.date.fromisoformat(text[:10]) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise _fail(name, _("参数 %(name)s 应为日期，如 2026-03-01。") % {"name": name})
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise _fail(name, _("参数 %(name)s 超出可查询的日期范围。") % {"name": name})
    return day


def month_param(value: Any, *, name: str, default: dt.date | None = None) -> dt.date | None:
    """A month written 2026-03, as its first day, inside the date range."""
    text = _raw(value)
    if text is None:
        return default
    match = _MONTH.match(text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise _fail(name, _("参数 %(name)s 应为月份，如 2026-03。") % {"name": name})
    first = dt.date(int(match.group(1)) or 1, int(match.group(2)), 1)
    if not EARLIEST_DATE <= first <= LATEST_DATE.replace(day=1):
        raise _fail(name, _("参数 %(name)s 超出可查询的日期范围。") % {"name": name})
    return first


def choice_param(value: Any, *, name: str, choices: Iterable[str], default: str = "") -> str:
    text = _raw(value)
    if text is None:
        return default
    allowed = [str(c) for c in choices]
    if text not in allowed:
        raise _fail(name, _("参数 %(name)s 的取值无效。") % {"name": name})
    return text


def id_list_param(values: Iterable[Any], *, name: str, most: int = MAX_IDS) -> list[int]:
    """Repeated ids (``?appeal=1&appeal=2``), each a positive id; at most ``most`` of them."""
    ids = [int_param(v, name=name) for v in values if _raw(v) is not None]
    if len(ids) > most:
        raise _fail(name, _("参数 %(name)s 最多 %(n)d 个。") % {"name": name, "n": most})
    return [i for i in ids if i is not None]


def page_param(params: Mapping[str, Any], name: str = "page") -> int:
    """A page number for ``Paginator.get_page``: anything not a sane number is page 1."""
    text = _raw(params.get(name))
    if text is None or not text.isdigit() or len(text) > 6:
        return 1
    return max(1, int(text))


# --- the same bounds for DRF serializers and Django forms --------------------------------------------


def id_field(**kwargs: Any) -> serializers.IntegerField:
    """A DRF integer id: 1 … MAX_INT."""
    return serializers.IntegerField(min_value=1, max_value=MAX_INT, **kwargs)


def date_field(**kwargs: Any) -> serializers.DateField:
    """A DRF date inside EARLIEST_DATE … LATEST_DATE."""
    validators = [
        MinValueValidator(EARLIEST_DATE, message=gettext_lazy("日期超出可查询的范围。")),
        MaxValueValidator(LATEST_DATE, message=gettext_lazy("日期超出可查询的范围。")),
    ]
    return serializers.DateField(validators=validators, **kwargs)


def date_validators() -> list[Any]:
    """For a Django form's DateField: the same range."""
    return [
        MinValueValidator(EARLIEST_DATE, message=gettext_lazy("日期超出可查询的范围。")),
        MaxValueValidator(LATEST_DATE, message=gettext_lazy("日期超出可查询的范围。")),
    ]


def _month_in_range(value: str) -> None:
    try:
        month_param(value, name="month")
    except ValidationFailed as exc:
        raise serializers.ValidationError(str(exc.message)) from None


def month_field(**kwargs: Any) -> serializers.RegexField:
    """A DRF month written 2026-03 (kept as text), inside EARLIEST_DATE … LATEST_DATE."""
    return serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$", validators=[_month_in_range], **kwargs)
