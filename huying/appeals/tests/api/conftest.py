"""The API tests start with no throttle counters (``client_for`` comes from tests.fixtures)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttles() -> Iterator[None]:
    # Throttle counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()
