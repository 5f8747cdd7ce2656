"""The test settings less the apps named in HUYING_LEAVE_OUT (comma-separated): a site without some
feature apps must still start and serve every other page."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import INSTALLED_APPS as ALL_APPS

LEFT_OUT = {app for app in os.environ.get("HUYING_LEAVE_OUT", "").split(",") if app}
INSTALLED_APPS = [app for app in ALL_APPS if app not in LEFT_OUT]
