"""The production profile: every setting a city's operations team changes comes from the environment.

Required (a node refuses to start without them, naming what is missing):
  DJANGO_SECRET_KEY            at least 32 characters, never the development default
  a QR signing key             HUYING_LICENCE_SIGNING_KEYS, or a key file in HUYING_LICENCE_KEY_DIR
                               (`manage.py licence_keys create`; a system check refuses start-up without one)

Optional, with their defaults:
  DATABASE_URL                 sqlite:///var/huying.sqlite3 (one machine); postgres://user:pass@host:port/name
  DATABASE_REPLICA_URL         none; a streaming replica the dashboards read from (huying.core.replica)
  REDIS_URL                    none: the database cache and django-tasks' database queue (one machine);
                               set: cache, locks, rate limits and the task queue (RQ) in Redis
  DJANGO_ALLOWED_HOSTS         127.0.0.1,localhost
  HUYING_TRUSTED_PROXIES       none; the balancer's address(es), whose X-Forwarded-For is believed
  HUYING_HTTPS                 1: secure cookies and HSTS; 0 only for a loopback trial over plain HTTP
  HUYING_CSRF_TRUSTED_ORIGINS  none; e.g. https://12345.example.gov.cn
  HUYING_MEDIA_ROOT            var/media; uploaded files, on storage every node mounts (NFS, a shared volume)
  HUYING_STATIC_ROOT           var/staticfiles; collectstatic's target, served by nginx
  HUYING_LOG_FORMAT            json (one JSON object per line, with request_id and node); text
  HUYING_NODE                  the host name; names the node in logs, /healthz and metrics
  HUYING_METRICS_ALLOW         127.0.0.1/32,::1/128; who may read /metrics
  PROMETHEUS_MULTIPROC_DIR     none; a per-node empty folder so /metrics adds up every worker process
docs/deploy.md describes the whole deployment.
"""

import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, SECRET_KEY, VAR_DIR, database_from_url

DEBUG = False


def _refuse(problems: list[str]) -> None:
    message = (
        "呼应生产配置不完整，节点拒绝启动 / production settings incomplete, refusing to start:\n"
        + "\n".join(f"  - {p}" for p in problems)
        + "\n见 config/settings/prod.py 与 docs/deploy.md。"
    )
    print(message, file=sys.stderr)
    raise ImproperlyConfigured(message)


_problems = []
if not os.environ.get("DJANGO_SECRET_KEY"):
    _problems.append("DJANGO_SECRET_KEY 未设置（会话与签名所用的密钥）")
elif SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 32:
    _problems.append("DJANGO_SECRET_KEY 不能用开发默认值，且至少 32 个字符")
for _name in ("DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL"):
    _value = os.environ.get(_name, "")
    if _value and "://" not in _value:
        _problems.append(f"{_name} 不是地址（应形如 postgres://… 或 redis://…）")
if _problems:
    _refuse(_problems)


def _flag(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def _list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


# --- databases: the primary, and the replica the dashboards read from --------------------------
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database_from_url(os.environ["DATABASE_REPLICA_URL"])  # noqa: F405
    # The per-process copy of the counters follows the primary's commits by time stamp (ADR 0002); with a
    # replica the dashboard asks it the one grouped query instead, so the figures are the replica's.
    HUYING_DASHBOARD_REPLICA = False

# --- shared state: cache, locks, rate limits and the task queue in Redis -----------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "huying",
        }
    }
    # django-tasks on RQ (ADR 0030): the same @task functions, queued in Redis, run by `manage.py rqworker`.
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 900}}
    TASKS = {"default": {"BACKEND": "django_tasks.backends.rq.RQBackend"}}  # queue "default"

# --- HTTP -------------------------------------------------------------------------------------
_https = _flag("HUYING_HTTPS", "1")
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = 3600 if _https else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_TRUSTED_ORIGINS = _list("HUYING_CSRF_TRUSTED_ORIGINS")
MEDIA_ROOT = Path(os.environ.get("HUYING_MEDIA_ROOT", str(VAR_DIR / "media")))
STATIC_ROOT = Path(os.environ.get("HUYING_STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
HUYING_METRICS_ALLOW = _list("HUYING_METRICS_ALLOW", "127.0.0.1/32,::1/128")
HUYING_ACCESS_LOG = True
MIDDLEWARE = list(MIDDLEWARE)
# Every throttle and rate limit (logins, public forms, the token endpoint) reads X-Forwarded-For only when the connection comes from one of
# HUYING_TRUSTED_PROXIES (comma-separated addresses or networks in the environment, read in base.py).
# Unset, every client behind the proxy shares the proxy's address: set it to the proxy's address.
# E-licence QR tokens are signed with Ed25519 keys kept outside the repository and the database
# (HUYING_LICENCE_KEY_DIR, or the key in the environment): start-up fails when none is found.
HUYING_LICENCE_REQUIRE_KEY = True
HUYING_LICENCE_KEY_DIR = os.environ.get("HUYING_LICENCE_KEY_DIR", str(VAR_DIR / "licence-keys"))

# --- logs: JSON lines on stderr, each with the request id (kept from nginx's X-Request-ID) and the node
_json = os.environ.get("HUYING_LOG_FORMAT", "json") == "json"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "huying.core.request_id.RequestIdFilter"},
        "node": {"()": "huying.core.request_id.NodeFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(node)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s [request_id=%(request_id)s] %(node)s %(name)s: %(message)s"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_id", "node"],
            "formatter": "json" if _json else "text",
        }
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        # Every unhandled exception with its traceback, and the request id the 500 page shows as 错误编号.
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "huying": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}
