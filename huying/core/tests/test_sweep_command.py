"""`manage.py sweep` runs every registered check, and one failing check does not stop the others."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from huying.core.registry import sweeps


def test_sweep_runs_every_registered_check_and_survives_a_failure(db: Any, monkeypatch: Any) -> None:
    calls: list[str] = []

    def broken() -> str:
        calls.append("broken")
        raise RuntimeError("boom")

    def fine() -> str:
        calls.append("fine")
        return "测试巡检：完成 0 件。"

    monkeypatch.setattr(sweeps, "_items", {**sweeps._items, "zz_broken": broken, "zz_fine": fine})
    out, err = io.StringIO(), io.StringIO()
    call_command("sweep", stdout=out, stderr=err)
    assert calls == ["broken", "fine"]
    assert "工单超期巡检" in out.getvalue()  # the appeals app's check is registered
    assert "测试巡检：完成 0 件。" in out.getvalue()
    assert "zz_broken" in err.getvalue()


@pytest.mark.parametrize("name", ["appeals", "applications", "ratings", "licences"])
def test_apps_register_their_sweeps(name: str) -> None:
    assert name in dict(sweeps.items())


def test_sweep_loop_runs_again_after_the_interval_and_stops_on_ctrl_c(db: Any, monkeypatch: Any) -> None:
    runs: list[str] = []
    naps: list[float] = []

    def fine() -> str:
        runs.append("run")
        return "测试巡检：完成 0 件。"

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(sweeps, "_items", {"zz_fine": fine})
    monkeypatch.setattr("huying.core.management.loop.time.sleep", nap)
    out = io.StringIO()
    call_command("sweep", "--loop", "30", stdout=out)
    assert runs == ["run", "run"]
    assert naps == [30, 30]
    assert out.getvalue().count("测试巡检：完成 0 件。") == 2


def test_an_apps_own_command_runs_only_its_registered_check(db: Any) -> None:
    out = io.StringIO()
    call_command("ratings_sweep", stdout=out)
    assert "差评整改超期巡检：标记 0 件。" in out.getvalue()
    assert "工单超期巡检" not in out.getvalue()
