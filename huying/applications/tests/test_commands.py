"""applications_sweep."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from .conftest import Hall


def test_sweep_command_runs_twice(hall: Hall) -> None:
    for _ in range(2):
        out = StringIO()
        call_command("applications_sweep", stdout=out)
        assert "视为受理" in out.getvalue()
