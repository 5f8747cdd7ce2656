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
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from .db.fetch import get_row
from .errors import (
    CATALOGUES,
    HuyingError,
    NotFound,
    PermissionDenied,
    Throttled,
    ValidationFailed,
    busy_database_error,
)
from .errors import codes as core_codes

PROBLEM_CONTENT_TYPE = "application/problem+json"
NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def validated(serializer_class: Any, data: Any, **kwargs: Any) -> dict[str, Any]:
    """The serializer's validated data; invalid input raises DRF's ValidationError (a 400 problem)."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ProblemCodeField(serializers.CharField):
    """The problem body's ``code``: documented as the list of every app's error catalogue."""


def error_code_table() -> tuple[list[str], str]:
    """Every error code any app answers with (sorted, each once) and a Markdown table of what each
    means, per app, read from the error catalogues (each app's ``errors.py``, loaded here)."""
    autodiscover_modules("errors")
    codes: set[str] = set()
    rows = [
        _("稳定的错误代码（客户端据此分支）："),
        "",
        "| code | app | " + _("含义") + " |",
        "|---|---|---|",
    ]
    for app in sorted(CATALOGUES):
        for code, meaning in sorted(CATALOGUES[app].codes.items()):
            codes.add(code)
            rows.append(f"| `{code}` | {app} | {str(meaning).replace('|', '/')} |")
    return sorted(codes), "\n".join(rows)


class ProblemCodeFieldExtension(OpenApiSerializerFieldExtension):
    target_class = ProblemCodeField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        codes, table = error_code_table()
        return {"type": "string", "enum": codes, "description": table}


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "oneOf": [
                {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "object"}]}},
                {"type": "object"},
            ]
        },
    }
)
class ProblemErrorsField(serializers.DictField):
    """``errors``: field -> list of messages; a field holding a list or an object (attachments, form
    data) keeps that structure, its messages under the item's index or key."""


class ProblemSerializer(serializers.Serializer):
    """application/problem+json (RFC 9457) with a stable ``code``."""

    type = serializers.CharField(help_text=_lazy("问题类型的URI"))
    title = serializers.CharField(help_text=_lazy("可读的错误说明"))
    status = serializers.IntegerField(help_text=_lazy("HTTP状态码"))
    code = ProblemCodeField()
    detail = serializers.CharField()
    # Fields named like Serializer attributes (errors, data) are fine: DRF's metaclass moves
    # declared fields out of the class namespace. mypy only sees the attribute, hence the ignores.
    errors = ProblemErrorsField(  # type: ignore[assignment]
        required=False,
        help_text=_lazy(
            "输入错误：字段名 → 错误信息列表；不属于单个字段的错误在 non_field_errors 中。"
            "列表或对象类型的字段（如附件、表单数据）按序号或键名嵌套给出各自的错误信息列表"
        ),
    )
    data = serializers.DictField(  # type: ignore[assignment]
        required=False, help_text=_lazy("附加信息，例如记录的当前版本号")
    )


def problem_responses(descriptions: Mapping[int, Any], codes: tuple[int, ...]) -> dict[Any, Any]:
    """OpenAPI error responses for ``codes``: application/problem+json bodies (one ProblemSerializer
    for every app), each described by ``descriptions[code]`` (every app's API words its own)."""
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=str(descriptions[code]))
        for code in codes
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
    body = problem_body(status_code=status_code, code=code, title=title, detail=detail, data=data, errors=errors)
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def problem_body(
    *,
    status_code: int,
    code: str,
    title: str,
    detail: Any = None,
    data: Any = None,
    errors: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The application/problem+json body every API answer with an error has (the Problem schema)."""
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
    return body


def declare_refused_queries(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation may answer 400, because a query string with
    a NUL byte or an over-long value is refused before any view runs (core.middleware.QueryGuardMiddleware)."""
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses") if isinstance(operation, dict) else None
            if responses is not None and "400" not in responses:
                responses["400"] = {
                    "content": problem,
                    "description": str(_lazy("查询参数无效（含有不允许的字符或过长）")),
                }
    return result


# Codes of the errors DRF itself raises before a view runs (the kernel's catalogue lists them too).
_DRF_CODES = {
    exceptions.NotAuthenticated: core_codes.add("not_authenticated", _lazy("未登录，或未提供身份凭据。")),
    exceptions.AuthenticationFailed: core_codes.add("authentication_failed", _lazy("身份凭据无效或已过期。")),
    exceptions.NotFound: NotFound.code,
    exceptions.PermissionDenied: PermissionDenied.code,
    exceptions.MethodNotAllowed: core_codes.add("method_not_allowed", _lazy("该地址不支持此请求方法。")),
    exceptions.NotAcceptable: core_codes.add("not_acceptable", _lazy("无法按请求的格式返回内容。")),
    exceptions.ParseError: core_codes.add("parse_error", _lazy("请求内容无法解析（例如不是有效的JSON）。")),
    exceptions.UnsupportedMediaType: core_codes.add("unsupported_media_type", _lazy("不支持请求内容的类型。")),
    exceptions.Throttled: Throttled.code,
    exceptions.ValidationError: ValidationFailed.code,
    PayloadTooLarge: core_codes.add("payload_too_large", _lazy("请求内容过大。")),
    BadRequest: core_codes.add("bad_request", _lazy("请求无法处理。")),
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
    code = getattr(exc, "problem_code", None) or next(
        (c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), HuyingError.code
    )
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
