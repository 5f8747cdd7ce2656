from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from huying.accounts.models import RoleAssignment
from huying.accounts.roles import Role
from huying.organisations.models import OrgUnit
from tests.fixtures import make_user


@pytest.fixture
def demo(db: Any, settings: Any, tmp_path: Any, monkeypatch: Any) -> None:
    """The demo deployment, small: every loop has records with real ID numbers and phones."""
    small_demo(settings, tmp_path, monkeypatch)


def small_demo(settings: Any, tmp_path: Any, monkeypatch: Any) -> None:
    settings.HUYING_LICENCE_KEY_DIR = str(tmp_path / "licence-keys")
    monkeypatch.delenv("HUYING_LICENCE_SIGNING_KEYS", raising=False)
    call_command(
        "demo",
        "--appeals",
        "12",
        "--licences",
        "6",
        "--hall-days",
        "1",
        "--applications",
        "8",
        "--ratings-per-kind",
        "5",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )


@pytest.fixture
def everyone(demo: None) -> Any:
    """A staff account holding every role at the top of the organisation: every page opens to it."""
    top = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    user = make_user("all_roles")
    for role in Role.values:
        RoleAssignment.objects.create(user=user, role=role, org_unit=top)
    return user
