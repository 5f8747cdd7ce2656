"""An app no other app imports (smart dispatch, dashboards, applications, halls) can be left out of
INSTALLED_APPS: the site starts, and the others' pages and menus work. (Ratings, licences and the
catalogue are imported by the loops above them, so those stay.)

Each check runs in a new process with settings that leave the app out (settings_without_apps), so
nothing of the app is imported: not its models, its URLs, nor the menu entries it registers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _run(leave_out: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "huying.accounts.tests.settings_without_apps",
        "HUYING_LEAVE_OUT": leave_out,
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_without_smart_dispatch_operator_supervisor_and_handler_pages_work() -> None:
    check = _run("huying.dispatch", "manage.py", "check")
    assert check.returncode == 0, check.stderr
    served = _run("huying.dispatch", "-m", "huying.accounts.tests.pages_without_apps")
    assert served.returncode == 0, served.stderr
    pages: dict[str, Any] = json.loads(served.stdout)
    assert "huying.dispatch" not in pages.pop("installed")
    assert {key: page["status"] for key, page in pages.items()} == dict.fromkeys(pages, 200)
    assert pages["operator /"]["url"] == "/appeals/workbench/"
    assert pages["supervisor /"]["url"] == "/appeals/board/"
    assert pages["handler /"]["url"] == "/appeals/inbox/"
    # The same menus less smart dispatch's 热点问题 and 重点问题.
    assert pages["operator /appeals/board/"]["menu"] == ["坐席工作台", "督办看板", "数据看板"]
    assert pages["supervisor /dashboard/"]["menu"] == [
        "督办看板",
        "数据看板",
        "办件统计",
        "差评整改",
        "申诉复核",
        "网格管理",
    ]
    assert pages["handler /appeals/inbox/"]["menu"] == ["待办工单", "数据看板", "差评整改", "网格管理", "建议提案办理"]


@pytest.mark.parametrize(
    ("app", "gone_labels"),
    [
        ("huying.dashboards", {"数据看板"}),
        # Grid workers file 网格代办 applications: the grid app goes with the applications, and the
        # service-point register (village proxy files applications; the map draws the grids) with both.
        ("huying.applications,huying.grids,huying.servicepoints", {"办件统计", "网格管理", "百事通地图"}),
        ("huying.halls", set()),
    ],
)
def test_other_top_layer_apps_can_be_left_out(app: str, gone_labels: set[str]) -> None:
    served = _run(app, "-m", "huying.accounts.tests.pages_without_apps")
    assert served.returncode == 0, served.stderr
    pages: dict[str, Any] = json.loads(served.stdout)
    assert not set(app.split(",")) & set(pages.pop("installed"))
    for key, page in pages.items():
        if app == "huying.dashboards" and key.endswith(" /dashboard/"):
            assert page["status"] == 404, key
            continue
        assert page["status"] == 200, key
        assert not gone_labels & set(page["menu"]), key
