"""Helpers the 办件 pages share: posted form values and materials, errors as field messages."""

from __future__ import annotations

from typing import Any

from huying.catalogue.models import Bundle, ServiceItem
from huying.catalogue.selectors import applicant_field_values
from huying.core.errors import HuyingError, ValidationFailed

from ...states import (
    MaterialStatus,
)


def field_errors(exc: HuyingError) -> dict[str, Any]:
    data = exc.data if isinstance(exc, ValidationFailed) else {}
    out: dict[str, Any] = {}
    for key, value in (data or {}).items():
        if key == "field":
            continue
        out[str(key)] = value
    if data.get("field"):
        out[str(data["field"])] = str(exc.message)
    return out


def form_data(post: Any) -> dict[str, str]:
    """The application form's answers; the applicant's name, code and phone come from the applicant block."""
    data = {k[2:]: v for k, v in post.items() if k.startswith("f_")}
    given = applicant_field_values(
        kind=post.get("applicant_kind", ""),
        name=post.get("applicant_name", ""),
        code=post.get("applicant_code", ""),
        phone=post.get("applicant_phone", ""),
    )
    for key, value in given.items():
        if not data.get(key):
            data[key] = value
    return data


def posted_materials(post: Any, keys: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in keys:
        status = post.get(f"m_{key}")
        if not status:
            continue
        if status == MaterialStatus.E_LICENCE:
            continue  # marked by verification only
        out[key] = {"status": status, "promised_by": post.get(f"p_{key}") or None}
    return out


def posted_reasons(post: Any, keys: list[str]) -> dict[str, str]:
    return {k: post.get(f"r_{k}", "").strip() for k in keys if post.get(f"r_{k}", "").strip()}


def target_of(params: Any) -> tuple[ServiceItem | None, Bundle | None]:
    item = bundle = None
    if params.get("item"):
        item = ServiceItem.objects.filter(code=params["item"], is_active=True).first()
    elif params.get("bundle"):
        bundle = Bundle.objects.filter(code=params["bundle"], is_active=True).first()
    return item, bundle


def error_text(exc: HuyingError) -> str:
    errors = field_errors(exc)
    parts = [str(exc.message)]
    for value in errors.values():
        if isinstance(value, dict):
            parts.extend(str(v) for v in value.values())
        elif str(value) != str(exc.message):
            parts.append(str(value))
    return " ".join(dict.fromkeys(parts))


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
