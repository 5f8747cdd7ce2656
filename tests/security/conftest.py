from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db: Any, settings: Any, tmp_path: Any, monkeypatch: Any) -> None:
    """The demo deployment, small: every loop has records with real ID numbers and phones."""
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
        "2",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
