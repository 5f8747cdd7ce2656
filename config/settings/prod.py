import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
if not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Every throttle and rate limit (logins, public forms, the token endpoint) reads X-Forwarded-For only when the connection comes from one of
# HUYING_TRUSTED_PROXIES (comma-separated addresses or networks in the environment, read in base.py).
# Unset, every client behind the proxy shares the proxy's address: set it to the proxy's address.
# E-licence QR tokens are signed with Ed25519 keys kept outside the repository and the database
# (HUYING_LICENCE_KEY_DIR, or the key in the environment): start-up fails when none is found.
HUYING_LICENCE_REQUIRE_KEY = True
HUYING_LICENCE_KEY_DIR = os.environ.get("HUYING_LICENCE_KEY_DIR", str(VAR_DIR / "licence-keys"))  # noqa: F405
# Errors to stderr (gunicorn and the service manager collect it), each line with the request id that the
# 500 page shows as 错误编号: every unhandled exception is written with its traceback by django.request.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "huying.core.request_id.RequestIdFilter"}},
    "formatters": {
        "with_request_id": {"format": "%(asctime)s %(levelname)s [request_id=%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_id"],
            "formatter": "with_request_id",
        }
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "huying": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}
