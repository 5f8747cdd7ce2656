"""DRF glue: every API error is application/problem+json with a stable ``code``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .errors import HuyingError

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemJSONRenderer(JSONRenderer):
    media_type = PROBLEM_CONTENT_TYPE


def problem_response(*, status_code: int, code: str, title: str, detail: Any = None, data: Any = None) -> Response:
    body: dict[str, Any] = {"type": f"https://huying.example/problems/{code}", "title": title, "status": status_code, "code": code}
    if detail is not None:
        body["detail"] = detail
    if data:
        body["errors" if code == "validation_failed" else "data"] = data
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


_DRF_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotFound: "not_found",
    exceptions.PermissionDenied: "forbidden",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.ParseError: "parse_error",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ValidationError: "validation_failed",
}


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, HuyingError):
        return problem_response(
            status_code=exc.status, code=exc.code, title=str(exc.message), detail=str(exc.message), data=exc.data
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), "error")
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(
            status_code=status.HTTP_400_BAD_REQUEST,
            code=code,
            title="输入有误，请检查后重试。",
            data=response.data,
        )
    detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
    problem = problem_response(status_code=response.status_code, code=code, title=str(detail), detail=str(detail))
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem[header] = response[header]
    return problem
