"""Serve staff pages from a site whose settings leave some apps out (tests run this in a new process).

    DJANGO_SETTINGS_MODULE=huying.accounts.tests.settings_without_apps HUYING_LEAVE_OUT=huying.dispatch \\
        python -m huying.accounts.tests.pages_without_apps

makes a test database, signs in a person of each role and prints one JSON object: for each
"role path" the status code, the final address after redirects and the main menu's labels.
"""

from __future__ import annotations

import json
import re
import sys

import django

# Each role's pages: the home page (followed to the role's work page), then the pages of its menu.
PAGES = {
    "operator": ["/", "/appeals/board/", "/dashboard/"],
    "supervisor": ["/", "/appeals/board/", "/dashboard/"],
    "handler": ["/", "/appeals/inbox/", "/dashboard/"],
}
MENU = re.compile(r"<nav class=\"mainnav\"[^>]*>(.*?)</nav>", re.S)
LABEL = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)


def main() -> int:
    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        return _visit()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _visit() -> int:
    from django.apps import apps
    from django.test import Client

    from huying.accounts.models import RoleAssignment, User
    from huying.organisations.models import OrgUnit
    from huying.organisations.services import org_unit_create

    unit = org_unit_create(name="滨州市人民政府", kind=OrgUnit.Kind.GOVERNMENT)
    results: dict[str, object] = {"installed": [a.name for a in apps.get_app_configs()]}
    for role, paths in PAGES.items():
        user = User.objects.create_user(username=role, password="pass-1234-huying")
        RoleAssignment.objects.create(user=user, role=role, org_unit=unit)
        client = Client()
        client.force_login(user)
        for path in paths:
            response = client.get(path, follow=True)
            menu = MENU.search(response.content.decode())
            results[f"{role} {path}"] = {
                "status": response.status_code,
                "url": response.request["PATH_INFO"],
                "menu": LABEL.findall(menu.group(1)) if menu else None,
            }
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
