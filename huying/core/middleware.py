"""Kernel middleware and the server-error page.

* ``RequestIdMiddleware`` (first in the list): gives every request an id (``X-Request-ID``, an
  incoming one kept only when it looks sane), set for the log records written while it runs and put on
  the response header; ``server_error`` shows it on the 500 page as 错误编号.
* ``QueryGuardMiddleware``: a query string with a NUL byte or a parameter longer than the limit is a
  400 before any view reads it (databases refuse NUL bytes; no query needs 10,000 characters).
* ``ProblemMiddleware``: turns a HuyingError that escapes a page view into a page with its message,
  never a 500. A "database is locked" error (another write held SQLite past the configured wait) is
  shown as DatabaseBusy (503: nothing was saved, try again) rather than as a server error.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from . import request_id
from .errors import HuyingError, ValidationFailed, busy_database_error

# The longest query-parameter value any page or API accepts (search boxes take 100 characters).
MAX_QUERY_VALUE = 2000


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id.accepted_or_new(request.META.get(request_id.META_KEY))
        request.request_id = rid  # type: ignore[attr-defined]
        token = request_id.current.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.current.reset(token)
        response[request_id.HEADER] = rid
        return response


class QueryGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v or len(v) > MAX_QUERY_VALUE for v in values):
                message = _("查询参数 %(name)s 无效（含有不允许的字符或过长）。") % {
                    "name": name.replace("\x00", "")[:40]
                }
                error = ValidationFailed(message, data={name.replace("\x00", "")[:40]: [message]})
                return ProblemMiddleware.respond(request, error)
        return self.get_response(request)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, with the request id to quote (the error and the id are in the log)."""
    rid = getattr(request, "request_id", "") or request_id.get()
    html = loader.get_template("500.html").render({"request_id": rid if rid != request_id.NO_REQUEST else ""})
    return HttpResponse(html, status=500)


class ProblemMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        exception = busy_database_error(exception) or exception
        if not isinstance(exception, HuyingError):
            return None
        return self.respond(request, exception)

    @staticmethod
    def respond(request: HttpRequest, exception: HuyingError) -> HttpResponse:
        if request.path.startswith("/api/"):
            from .drf import problem_body

            body = problem_body(
                status_code=exception.status, code=exception.code, title=str(exception.message), data=exception.data
            )
            return JsonResponse(
                body,
                status=exception.status,
                content_type="application/problem+json",
                headers=exception.headers() or None,
            )
        return render(request, "error.html", {"error": exception}, status=exception.status)
