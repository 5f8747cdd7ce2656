"""The auditor reads who viewed whose personal data, filters it, exports it; the rows stay six months."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from huying.accounts.models import RoleAssignment
from huying.accounts.roles import Role
from huying.core.models import AuditLog
from huying.core.services import audit_log_sweep, audit_record
from tests.fixtures import World, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(world: World) -> Client:
    user = make_user("auditor1", display_name="审计员")
    RoleAssignment.objects.create(user=user, role=Role.AUDITOR, org_unit=world.city)
    client = Client()
    client.force_login(user)
    return client


def _view(world: World, days_ago: int = 0, purpose: str = "回访核实") -> AuditLog:
    row = audit_record(
        kind=AuditLog.Kind.PERSONAL_DATA_VIEW,
        actor=world.handler,
        obj=world.citizen,
        summary="诉求人电话",
        data={"purpose": purpose, "fields": ["requester_phone"]},
        ip_address="10.0.0.8",
    )
    if days_ago:
        AuditLog.objects.filter(pk=row.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return row


def test_the_auditor_reads_and_exports_who_viewed_personal_data(world: World, auditor: Client) -> None:
    _view(world, purpose="回访核实")
    audit_record(kind=AuditLog.Kind.LOGIN_FAILED, actor=None, summary="登录失败")
    page = auditor.get("/accounts/access-log/").content.decode()
    assert "回访核实" in page and world.handler.username in page and "登录失败" not in page
    assert "requester_phone" in page and "10.0.0.8" in page
    assert "回访核实" not in auditor.get("/accounts/access-log/", {"who": "nobody"}).content.decode()
    export = auditor.get("/accounts/access-log/", {"format": "csv"})
    body = export.content.decode()
    assert export["Content-Type"].startswith("text/csv") and body.startswith("\ufeff") and "回访核实" in body
    bad = auditor.get("/accounts/access-log/", {"from": "yesterday"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.content.decode()


@pytest.mark.parametrize("who", ["citizen", "operator", "supervisor"])
def test_nobody_else_opens_it(world: World, who: str) -> None:
    client = Client()
    client.force_login(getattr(world, who))
    assert client.get("/accounts/access-log/").status_code == 404


def test_rows_are_kept_at_least_six_months(world: World, settings: Any) -> None:
    settings.HUYING_AUDIT_RETENTION_DAYS = 30  # asking for less than six months keeps six months
    recent, half_year, old = _view(world, 20), _view(world, 180), _view(world, 200)
    assert audit_log_sweep() == 1
    assert set(AuditLog.objects.values_list("pk", flat=True)) >= {recent.pk, half_year.pk}
    assert not AuditLog.objects.filter(pk=old.pk).exists()
