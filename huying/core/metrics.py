"""Prometheus metrics and the access log: every request counted and timed, and a few live figures.

* ``huying_requests_total{method, route, status}`` and ``huying_request_seconds{method, route}``: the
  route is the URL pattern (``appeals/<int:pk>/``), never the path, so the series stay few.
* ``huying_task_queue_depth``: background tasks waiting (django-tasks' database rows, or the Redis queue).
* ``huying_replica_lag_seconds``: how far the dashboards' replica is behind (huying.core.replica).
* whatever apps register in ``core.registry.metric_gauges`` (the appeal loop: ``huying_overdue_orders``).

Several worker processes per node: with ``PROMETHEUS_MULTIPROC_DIR`` set (the production profile sets
one folder per node and empties it at start) the counters of all of a node's processes are added up.
``/metrics`` answers only the addresses in ``HUYING_METRICS_ALLOW`` (loopback unless set); nginx does not
pass it on, Prometheus scrapes each node directly.

With ``HUYING_ACCESS_LOG`` on, one log record per request (``huying.access``: method, route, status,
milliseconds; the request id comes from the logging filter): JSON lines in the production profile.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from .registry import metric_gauges

logger = logging.getLogger("huying.access")
REQUESTS = Counter("huying_requests", "Requests answered", ["method", "route", "status"])
LATENCY = Histogram(
    "huying_request_seconds",
    "Time to answer a request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return str(match.route) if match is not None and match.route else "unmatched"


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.access_log = getattr(settings, "HUYING_ACCESS_LOG", False)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        route = _route(request)
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        LATENCY.labels(request.method, route).observe(elapsed)
        if self.access_log:
            logger.info(
                "%s %s %s",
                request.method,
                route,
                response.status_code,
                extra={
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "ms": round(elapsed * 1000, 1),
                },
            )
        return response


def queue_depth() -> int:
    """Background tasks waiting to run, on whichever backend the settings name."""
    backend = str(settings.TASKS["default"]["BACKEND"])
    if backend.endswith("RQBackend"):
        import django_rq

        return int(django_rq.get_queue("default").count)
    if backend.endswith("DatabaseBackend"):
        from django_tasks.backends.database.models import DBTaskResult

        return DBTaskResult.objects.filter(status="READY").count()
    return 0


class LiveFigures:
    """Read at each scrape: queue depth, replica lag and the apps' registered figures."""

    def collect(self) -> Iterator[Metric]:
        from .replica import replica_lag_seconds

        figures: list[tuple[str, Callable[[], tuple[str, float]]]] = [
            ("huying_task_queue_depth", lambda: ("Background tasks waiting", queue_depth())),
            ("huying_replica_lag_seconds", lambda: ("Replica behind the primary", replica_lag_seconds() or 0.0)),
            *metric_gauges.items(),
        ]
        for name, fn in figures:
            try:
                help_text, value = fn()
            except Exception:  # a figure that cannot be read is left out of this scrape
                logger.warning("metric %s could not be read", name, exc_info=True)
                continue
            family = GaugeMetricFamily(name, help_text)
            family.add_metric([], float(value))
            yield family


def _allowed(request: HttpRequest) -> bool:
    allow = getattr(settings, "HUYING_METRICS_ALLOW", None) or ["127.0.0.1/32", "::1/128"]
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(n, strict=False) for n in allow)


def metrics_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if not _allowed(request):
        return HttpResponseNotFound()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counters = CollectorRegistry()
        MultiProcessCollector(counters)  # every worker process of this node, added up
    else:
        counters = REGISTRY  # this process's own
    live = CollectorRegistry()
    live.register(LiveFigures())  # type: ignore[arg-type]
    return HttpResponse(generate_latest(counters) + generate_latest(live), content_type=CONTENT_TYPE_LATEST)
