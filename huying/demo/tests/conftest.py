from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def licence_key_dir(settings: Any, tmp_path: Any, monkeypatch: Any) -> Any:
    """Every test signs with keys in its own folder (never var/ or the repository)."""
    settings.HUYING_LICENCE_KEY_DIR = str(tmp_path / "licence-keys")
    monkeypatch.delenv("HUYING_LICENCE_SIGNING_KEYS", raising=False)
    return tmp_path / "licence-keys"
