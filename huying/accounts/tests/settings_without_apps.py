"""The test settings less the apps named in HUYING_LEAVE_OUT (comma-separated): a site without some
feature apps must still start and serve every other page."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import INSTALLED_APPS as ALL_APPS

LEFT_OUT = {app for app in os.environ.get("HUYING_LEAVE_OUT", "").split(",") if app}
INSTALLED_APPS = [app for app in ALL_APPS if app not in LEFT_OUT]

# On PostgreSQL, its own test database: the suite that starts this process holds the default name.
DATABASES = {
    alias: {**db, "TEST": {**db.get("TEST", {}), "NAME": f"test_huying_without_apps_{os.getpid()}"}}
    if "postgresql" in db["ENGINE"]
    else db
    for alias, db in DATABASES.items()  # noqa: F405
}
