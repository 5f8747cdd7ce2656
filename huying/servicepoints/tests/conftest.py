from __future__ import annotations

from typing import Any

import pytest

from huying.servicepoints.spatial import point_index_invalidate

from .factories import Doorstep, build


@pytest.fixture
def door(world: Any) -> Doorstep:
    return build(world)


@pytest.fixture(autouse=True)
def _fresh_index() -> None:
    point_index_invalidate()
