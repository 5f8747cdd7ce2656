"""Every shared fixture lives in tests/fixtures/ (see its package docstring); a test asks for it by name."""

import pytest

# Helpers there assert (problem()); rewrite them for readable failures, before the package is imported.
pytest.register_assert_rewrite("tests.fixtures")

pytest_plugins = [
    "tests.fixtures.storage",
    "tests.fixtures.database",
    "tests.fixtures.clock",
    "tests.fixtures.world",
    "tests.fixtures.api",
    "tests.fixtures.ratelimits",
]
