"""Turn a HuyingError that escapes a page view into a page with its message, never a 500.

A "database is locked" error (another write held SQLite past the configured wait) is shown as
DatabaseBusy (503: nothing was saved, try again) rather than as a server error.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .errors import HuyingError, busy_database_error


class ProblemMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        exception = busy_database_error(exception) or exception
        if not isinstance(exception, HuyingError):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "type": f"https://huying.example/problems/{exception.code}",
                    "title": str(exception.message),
                    "status": exception.status,
                    "code": exception.code,
                    "data": exception.data,
                },
                status=exception.status,
                content_type="application/problem+json",
                headers=exception.headers() or None,
            )
        return render(request, "error.html", {"error": exception}, status=exception.status)
