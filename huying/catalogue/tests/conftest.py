from __future__ import annotations

from typing import Any

import pytest

from .factories import Catalogue, build_catalogue


@pytest.fixture
def catalogue(world: Any) -> Catalogue:
    return build_catalogue(world)
