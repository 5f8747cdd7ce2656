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
