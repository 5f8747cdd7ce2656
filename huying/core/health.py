"""Liveness and readiness for the balancer and the service manager.

* ``/healthz``: the process answers (no database): restart it when this fails.
* ``/readyz``: the node can serve: the database answers, the cache answers, and the replica's lag when
  there is one. 503 when the database or the cache does not; a replica that cannot be reached is
  reported but does not take the node out (only the dashboards read from it).
"""

from __future__ import annotations

import os
import socket
import time
from typing import Any

from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from . import replica


def node_name() -> str:
    return os.environ.get("HUYING_NODE") or socket.gethostname()


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "node": node_name()})


def _check_database() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _check_cache() -> str:
    key = f"huying:readyz:{node_name()}"
    stamp = str(time.time())
    cache.set(key, stamp, timeout=30)
    return "ok" if cache.get(key) == stamp else "stale"


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    body: dict[str, Any] = {"node": node_name()}
    ready = True
    for name, check in (("database", _check_database), ("cache", _check_cache)):
        try:
            body[name] = check()
        except Exception as exc:  # the answer names what failed; the balancer takes the node out
            body[name] = f"error: {type(exc).__name__}"
        ready = ready and body[name] == "ok"
    if replica.configured():
        try:
            body["replica_lag_seconds"] = replica.replica_lag_seconds()
        except Exception as exc:
            body["replica_lag_seconds"] = None
            body["replica"] = f"error: {type(exc).__name__}"
    body["status"] = "ready" if ready else "not ready"
    return JsonResponse(body, status=200 if ready else 503)
