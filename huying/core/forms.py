"""A service's refusal put back on the page's form. Services raise ``ValidationFailed`` with the
fields they refuse (``data={"field_name": message}``, or ``data={"field": name}`` for one field under
the error's own message); the page shows each message under its field, anything else above the form,
and the error's own message once, unless it would only repeat the generic "check your input"."""

from __future__ import annotations

from django import forms

from .errors import HuyingError, ValidationFailed

# Keys of error data that describe the record, not a field the person typed in.
NOT_FIELDS = frozenset({"action", "status", "current_version", "field"})


def error_fields(exc: HuyingError) -> dict[str, str]:
    """The field → message pairs a service error carries (only ValidationFailed names fields)."""
    if not isinstance(exc, ValidationFailed):
        return {}
    data = exc.data or {}
    if isinstance(data.get("field"), str):
        return {data["field"]: str(exc.message)}
    return {str(k): str(v) for k, v in data.items() if k not in NOT_FIELDS}


def apply_errors(form: forms.Form, exc: HuyingError, fields: dict[str, str] | None = None) -> None:
    """Put ``exc`` on ``form``: each message under the field it names (a hidden or unknown field's
    message above the form), then the error's own message unless already shown."""
    placed: set[str] = set()
    for name, message in (error_fields(exc) if fields is None else fields).items():
        if message in placed:
            continue
        visible = name in form.fields and not form.fields[name].widget.is_hidden
        form.add_error(name if visible else None, message)
        placed.add(message)
    message = str(exc.message)
    generic = isinstance(exc, ValidationFailed) and exc.code == ValidationFailed.code
    if message not in placed and not (generic and placed):
        form.add_error(None, message)
