"""Management commands, tasks and the reference-division data migration."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from huying.accounts.models import User
from huying.appeals import tasks
from huying.appeals.models import Appeal, TimeLimitRule
from huying.appeals.states import Status
from huying.core.models import AuditLog
from huying.organisations.models import Division

from .factories import appeal_in

pytestmark = pytest.mark.django_db


def run(*args: Any, **kwargs: Any) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_reference_divisions_are_loaded_by_migration() -> None:
    assert Division.objects.get(code="371681").name == "邹平市"
    assert Division.objects.get(code="371626").valid_to is not None


def test_sweep_command_and_task(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING)
    Appeal.objects.filter(pk=appeal.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))
    assert "标记/升级 1 件" in run("appeals_sweep")
    assert Appeal.objects.get(pk=appeal.pk).is_overdue
    assert tasks.sweep_overdue.call() == 0  # idempotent
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.sweep_overdue.enqueue()
    assert result.return_value == 0
    assert tasks.rebuild_stats.call() >= 1
    assert "统计计数已重建" in run("appeals_stats_rebuild")


# --- admin -------------------------------------------------------------------------------------


@pytest.fixture
def admin_client_(world: Any, client: Any) -> Any:
    User.objects.create_superuser(username="root", password="pass-1234-huying")
    client.login(username="root", password="pass-1234-huying")
    return client


def test_appeal_admin_is_read_only_and_sweeps_through_the_service(world: Any, admin_client_: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING)
    Appeal.objects.filter(pk=appeal.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))
    assert admin_client_.get("/admin/appeals/appeal/", {"q": appeal.number}).status_code == 200
    page = admin_client_.get(f"/admin/appeals/appeal/{appeal.pk}/change/")
    assert page.status_code == 200
    assert appeal.requester_phone not in page.content.decode()  # personal data only through the logged service
    assert admin_client_.get("/admin/appeals/appeal/add/").status_code == 403
    response = admin_client_.post(
        "/admin/appeals/appeal/",
        {"action": "sweep_overdue", "_selected_action": [appeal.pk]},
        follow=True,
    )
    assert "超期巡检完成" in response.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).is_overdue


def test_time_limit_changes_in_the_admin_are_audited(world: Any, admin_client_: Any) -> None:
    response = admin_client_.post(
        "/admin/appeals/timelimitrule/add/",
        {"category": world.cat_noise.pk, "urgency": "urgent", "amount": 12, "unit": "hours"},
    )
    assert response.status_code == 302
    rule = TimeLimitRule.objects.get(category=world.cat_noise, urgency="urgent")
    log = AuditLog.objects.get(kind=AuditLog.Kind.CONFIG_CHANGE, object_id=str(rule.pk))
    assert "办理时限" in log.summary
    assert admin_client_.get(f"/admin/appeals/category/{world.cat_noise.pk}/change/").status_code == 200
