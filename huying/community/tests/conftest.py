from collections.abc import Iterator

import pytest

from huying.grids.spatial import grid_index_invalidate


@pytest.fixture(autouse=True)
def _fresh_grid_index() -> Iterator[None]:
    grid_index_invalidate()
    yield
    grid_index_invalidate()
