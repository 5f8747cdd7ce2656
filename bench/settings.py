"""Production settings for the benchmarks: DEBUG off, the database from DATABASE_URL.

Only the static-files storage differs from config.settings.prod (the manifest storage needs
``collectstatic``, and the benchmarks serve no pages).
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-deployment-0123456789")

from config.settings.prod import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "huying": {"handlers": ["console"], "level": "WARNING"},
    },
}
# The intake benchmark shows no licence codes; bench/licence.py generates its own keys.
HUYING_LICENCE_REQUIRE_KEY = False
