"""DRF glue: every API error is application/problem+json with a stable ``code``.

The body always has ``type``, ``title``, ``status``, ``code`` and ``detail``. Input errors (HTTP 400
from a ValidationFailed or a DRF ValidationError) also carry ``errors``: field name -> list of
messages, with ``non_field_errors`` for what belongs to no single field. Other codes may carry
``data`` (for example the current version of a record that changed meanwhile).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from .db.fetch import get_row
from .errors import HuyingError, ValidationFailed, busy_database_error

PROBLEM_CONTENT_TYPE = "application/problem+json"
NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def validated(serializer_class: Any, data: Any, **kwargs: Any) -> dict[str, Any]:
    """The serializer's validated data; invalid input raises DRF's ValidationError (a 400 problem)."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def problem_responses(serializer: Any, descriptions: Mapping[int, Any], codes: tuple[int, ...]) -> dict[Any, Any]:
    """OpenAPI error responses for ``codes``: application/problem+json bodies of ``serializer``,
    each described by ``descriptions[code]`` (every app's API documents its own codes)."""
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(serializer, description=str(descriptions[code])) for code in codes
    }


class ShallowFieldsSerializer(serializers.Serializer):
    # A serializer whose plain fields are copied shallowly for each instance. (A comment, not a
    # docstring: drf-spectacular would publish a docstring as every subclass's schema description.)
    #
    # DRF deep-copies every declared field for every serializer instance (Field.__deepcopy__ re-runs
    # the field's __init__): on the intake path that was a tenth of the request. A declared field is
    # never bound, so a shallow copy is as good for a plain field; binding only assigns attributes on
    # the copy. Fields holding other fields (ListField.child, nested serializers) are still
    # deep-copied, since binding changes the inner field.

    def get_fields(self) -> dict[str, Any]:
        return {
            name: copy.deepcopy(field)
            if isinstance(field, serializers.BaseSerializer) or hasattr(field, "child")
            else copy.copy(field)
            for name, field in self._declared_fields.items()  # type: ignore[attr-defined]
        }


class RowRelatedField(serializers.PrimaryKeyRelatedField):
    """A PrimaryKeyRelatedField over ``model.objects.filter(**equals)`` whose lookup is one
    ``core.db.fetch.get_row`` (statement built once) instead of a queryset compiled per request.
    Same answers: the instance, ``does_not_exist`` or ``incorrect_type``."""

    def __init__(self, *, model: Any, equals: dict[str, Any], **kwargs: Any) -> None:
        self.row_model, self.row_equals = model, equals
        super().__init__(queryset=model.objects.filter(**equals), **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        try:
            if isinstance(data, bool):
                raise TypeError
            found = get_row(self.row_model, data, **self.row_equals)
        except (TypeError, ValueError, OverflowError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if found is None:
            self.fail("does_not_exist", pk_value=data)
        return found


class ProblemJSONRenderer(JSONRenderer):
    media_type = PROBLEM_CONTENT_TYPE


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _lazy("请求内容过大。")
    default_code = "payload_too_large"


class BadRequest(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _lazy("请求无法处理。")
    default_code = "bad_request"


def problem_response(
    *,
    status_code: int,
    code: str,
    title: str,
    detail: Any = None,
    data: Any = None,
    errors: Mapping[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": f"https://huying.example/problems/{code}",
        "title": title,
        "status": status_code,
        "code": code,
        "detail": detail if detail is not None else title,
    }
    if errors is not None:
        body["errors"] = dict(errors)
    elif data and code == ValidationFailed.code:
        body["errors"] = data
    if data and code != ValidationFailed.code:
        body["data"] = data
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


_DRF_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotFound: "not_found",
    exceptions.PermissionDenied: "forbidden",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.ParseError: "parse_error",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ValidationError: "validation_failed",
    PayloadTooLarge: "payload_too_large",
    BadRequest: "bad_request",
}


def _messages(value: Any) -> Any:
    """Messages of one field as a list of strings (nested serializers keep their structure)."""
    if isinstance(value, Mapping):
        return {str(k): _messages(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        if any(isinstance(v, Mapping) for v in value):
            return [_messages(v) for v in value]
        return [str(v) for v in value]
    return [str(value)]


def validation_errors(exc: ValidationFailed) -> dict[str, Any]:
    """Field errors of a ValidationFailed.

    A plain ``validation_failed`` carries ``{field: message}`` in its data; the validators of
    identifiers (``invalid_phone``...) name the field as ``data["field"]``; anything else is a
    non-field error.
    """
    data = exc.data or {}
    if exc.code == ValidationFailed.code and data:
        return {str(k): _messages(v) for k, v in data.items()}
    field = data.get("field")
    return {str(field) if field else NON_FIELD: [str(exc.message)]}


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = busy_database_error(exc) or exc
    if isinstance(exc, HuyingError):
        message = str(exc.message)
        errors = validation_errors(exc) if isinstance(exc, ValidationFailed) else None
        problem = problem_response(
            status_code=exc.status, code=exc.code, title=message, detail=message, data=exc.data, errors=errors
        )
        for header, value in exc.headers().items():
            problem[header] = value
        return problem
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("记录不存在或您无权查看。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        # Django refuses an oversized request body while DRF parses it (DATA_UPLOAD_MAX_* settings).
        exc = PayloadTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        exc = BadRequest()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages})
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), "error")
    if isinstance(exc, exceptions.ValidationError):
        title = _("输入有误，请检查后重试。")
        data = response.data
        errors = _messages(data) if isinstance(data, Mapping) else {NON_FIELD: _messages(data)}
        return problem_response(status_code=status.HTTP_400_BAD_REQUEST, code=code, title=title, errors=errors)
    detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
    problem = problem_response(status_code=response.status_code, code=code, title=str(detail), detail=str(detail))
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem[header] = response[header]
    return problem
