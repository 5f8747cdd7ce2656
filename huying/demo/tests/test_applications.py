"""The applications builder: nothing without a catalogue; otherwise staff and applications in every status."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command

from huying.accounts.models import User
from huying.applications.models import Application, Project
from huying.applications.tests.conftest import Hall, hall  # noqa: F401 (fixture)


def test_demo_without_catalogue_says_so(db: Any) -> None:
    out = StringIO()
    call_command("demo", "--only", "applications", stdout=out)
    assert "事项目录为空" in out.getvalue()
    assert not Application.objects.exists()


def test_demo_builds_applications_and_is_idempotent(hall: Hall) -> None:  # noqa: F811
    out = StringIO()
    err = StringIO()
    call_command("demo", "--only", "applications", "--applications", "30", stdout=out, stderr=err)
    assert "跳过" not in err.getvalue()
    made = Application.objects.count()
    assert made >= 25
    assert {"chuangkou1", "chuangkou2", "chuangkou3", "bangban1"} <= set(
        User.objects.values_list("username", flat=True)
    )
    assert User.objects.filter(username__startswith="shenpi_").exists()
    statuses = set(Application.objects.values_list("status", flat=True))
    assert len(statuses) >= 4, statuses
    call_command("demo", "--only", "applications", "--applications", "30", stdout=StringIO(), stderr=StringIO())
    assert Application.objects.count() == made * 2  # fewer than 100 existed: more were added
    assert Project.objects.count() == 0  # the test catalogue has no 简易低风险 bundle
