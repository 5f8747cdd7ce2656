"""Settings shared by every environment.

Environment-specific files (dev, test, prod) import * from here and override.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("HUYING_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS: list[str] = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files: a service hall may have no internet
    "django_tasks",
    "django_tasks.backends.database",
    "huying.core",
    "huying.accounts",
    "huying.organisations",
    "huying.ratings",
    "huying.licences",
    "huying.catalogue",
    "huying.appeals",
    "huying.applications",
    "huying.halls",
    "huying.grids",
    "huying.points",
    "huying.volunteers",
    "huying.community",
    "huying.deputies",
    "huying.opendays",
    "huying.servicepoints",
    "huying.canteens",
    "huying.open311",
    "huying.dispatch",
    "huying.dashboards",
    "huying.demo",
]

MIDDLEWARE = [
    "huying.core.middleware.RequestIdMiddleware",
    "huying.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "huying.core.middleware.QueryGuardMiddleware",
    "huying.core.middleware.ProblemMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "huying.accounts.context_processors.roles",
            ],
        },
    },
]


def database_from_url(url: str) -> dict[str, object]:
    """Turn DATABASE_URL (postgres://user:pass@host:port/name or sqlite:///path) into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parsed.path.lstrip("/"),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parsed.scheme == "sqlite":
        return sqlite_database(Path(parsed.path))
    raise ValueError(f"Unsupported DATABASE_URL scheme: {parsed.scheme}")


def sqlite_database(path: Path) -> dict[str, object]:
    # A fresh clone has no var/: SQLite creates the file but not its folder.
    path.parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers proceed while one writer commits; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue on busy_timeout instead of failing on lock upgrade.
    return {
        "ENGINE": "huying.core.db.sqlite3",
        "NAME": path,
        # Reusing the connection saves opening the file and running the PRAGMAs on every request.
        "CONN_MAX_AGE": 600,
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }


DATABASES = {
    "default": database_from_url(os.environ["DATABASE_URL"])
    if os.environ.get("DATABASE_URL")
    else sqlite_database(VAR_DIR / "huying.sqlite3")
}
# Dashboards read from the replica when DATABASE_REPLICA_URL names one (config/settings/prod.py).
DATABASE_ROUTERS = ["huying.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
# htmx sends the token from the page (hx-headers); API clients without a page read the cookie.
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp). Scripts come from our own static files;
# the few inline scripts a page needs carry the request's nonce (``{{ request.csp_nonce }}``).
# Styles may be inline: pages set widths with style attributes and htmx adds its indicator style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "huying.accounts.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "huying.core.drf.problem_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "huying (呼应) API",
    "DESCRIPTION": "12345 接诉即办 and government-service closed loops. Errors are application/problem+json with a stable `code`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc from drf-spectacular-sidecar's static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "huying.core.drf.declare_refused_queries",
    ],
    # Several loops name their choice sets Status and Channel: give each its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "AppealStatusEnum": "huying.appeals.states.Status",
        "AppealChannelEnum": "huying.appeals.states.Channel",
        "ApplicationStatusEnum": "huying.applications.states.Status",
        "ApplicationChannelEnum": "huying.applications.states.Channel",
        "TicketStatusEnum": "huying.halls.states.Status",
        "TicketChannelEnum": "huying.halls.states.Channel",
        "RatingChannelEnum": "huying.ratings.states.Channel",
        "DeadlineStateEnum": "huying.core.deadlines.CHOICES",
    },
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.database.DatabaseBackend",
    }
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "huying_cache",
    }
}

# --- huying settings ------------------------------------------------------------------
# Max attachment size in bytes and the content types accepted for appeal attachments.
HUYING_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
HUYING_ATTACHMENT_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/pdf": ".pdf",
    "audio/mpeg": ".mp3",
    "video/mp4": ".mp4",
}
# Login throttling (ADR 0015), shared by the site's login page, /admin/login/ and the API token
# endpoint: failures of one username from one address within the window lock that username from
# that address only; a higher ceiling counts every failure from one address (a service hall's
# windows sit behind one address). An administrator unlocks in the admin or with `manage.py unlock_login`.
HUYING_LOGIN_MAX_FAILURES = 5
# The grid map's tile layer, e.g. "https://tile.example.cn/{z}/{x}/{y}.png"; empty = no tiles, the grid
# polygons over a plain background, so the map needs no internet.
HUYING_MAP_TILE_URL = os.environ.get("HUYING_MAP_TILE_URL", "")
HUYING_MAP_TILE_ATTRIBUTION = os.environ.get("HUYING_MAP_TILE_ATTRIBUTION", "")
HUYING_LOGIN_MAX_ADDRESS_FAILURES = 30
HUYING_LOGIN_WINDOW_SECONDS = 15 * 60
# Addresses (or networks, "10.0.0.0/8") of reverse proxies whose X-Forwarded-For is believed. Empty:
# the header is never read and the client is the connection's address (huying/core/clientip.py).
HUYING_TRUSTED_PROXIES: list[str] = [
    p.strip() for p in os.environ.get("HUYING_TRUSTED_PROXIES", "").split(",") if p.strip()
]
# API tokens (ADR 0015): lifetime in days, live tokens kept per user (the oldest is revoked beyond
# it), and how seldom a token's last use is written (seconds).
HUYING_API_TOKEN_DAYS = 30
HUYING_API_TOKEN_MAX_PER_USER = 20
HUYING_API_TOKEN_TOUCH_SECONDS = 60
# Rate limits on the public forms (huying/core/ratelimit.py), per client address and per phone number,
# each a rate "count/period" (s, m, h, d; "3/10m" = 3 in ten minutes). Over a limit the form answers
# 429 with Retry-After. Staff recording appeals are not limited. Counters are kept in the cache below.
HUYING_RATE_LIMITS: dict[str, dict[str, list[str]]] = {
    # Appeal intake, web form and API (anonymous and citizens): 5 a minute and 20 an hour per address,
    # 3 an hour per requester phone.
    "appeal_submit": {"address": ["5/m", "20/h"], "phone": ["3/h"]},
    # Asking for a tracking code (page and API together): per address, and per phone asked for,
    # whether or not it matches the appeal.
    "track_send": {"address": ["10/m", "30/h"], "phone": ["3/10m", "10/d"]},
    # Checking a tracking code (page and API together); each code also dies after 5 wrong tries.
    "track_verify": {"address": ["10/m", "60/h"]},
    # Taking a queue ticket at the kiosk or by phone: a kiosk serves a whole hall from one address.
    "ticket_take": {"address": ["30/m"], "phone": ["5/h"]},
}
# Minutes a tracking verification code stays valid; a new code kills the older ones, five wrong tries kill it.
HUYING_VERIFICATION_CODE_MINUTES = 10
HUYING_TRACKING_CODE_MAX_ATTEMPTS = 5
# Whether a 调休 Saturday counts as a working day for deadlines (全国年节及纪念日放假办法 and 行政许可法 Art. 82 do not say; practice treats it as one).
HUYING_MAKEUP_DAY_IS_WORKDAY = True
# The appeals dashboard answers from each process's copy of the monthly counters, re-reading only
# the rows changed since it last looked (huying/appeals/stats_replica.py); False: one grouped query.
HUYING_DASHBOARD_REPLICA = True
# Appeals queued for the near-duplicate index are indexed together: every this-many-th appeal id
# flushes the queue after its commit, and `manage.py sweep` takes the rest (ADR 0010).
HUYING_FINGERPRINT_BATCH = 32
# Hot issues (ADR 0011): a window whose clustering took at least MIN seconds is kept for this many
# seconds, and `manage.py sweep` recomputes it before it expires; faster windows are never cached.
HUYING_HOT_CACHE_SECONDS = 300
HUYING_HOT_CACHE_MIN_SECONDS = 1.0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "huying.core.request_id.RequestIdFilter"}},
    "formatters": {"with_request_id": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "with_request_id"}
    },
    "loggers": {
        "huying": {"handlers": ["console"], "level": "INFO"},
        "huying.sms": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# 好差评 (国办发〔2019〕51号, 鲁政办发〔2020〕10号): a rater may add a rating within this many working days of the act
# (Shandong), and a 差评 is answered within this many working days (德州).
HUYING_RATING_WINDOW_WORKDAYS = 5
HUYING_RATING_RECTIFY_WORKDAYS = 5

# 办件 (滨州市工程建设项目并联审批管理规定 Art. 10): 滨州 requires the one-time 补正 notice within 2 working days of receipt,
# else the application is deemed accepted; the result licences' issuer credit code (per deployment).
HUYING_CORRECTION_NOTICE_WORKDAYS = 2
HUYING_ISSUER_CREDIT_CODE = "11371600MB2854970C"
