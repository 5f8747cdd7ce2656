"""The problem body's ``code`` is documented once, with every app's error catalogue."""

from __future__ import annotations

from huying.core.drf import error_code_table
from huying.core.errors import CATALOGUES


def test_every_catalogued_code_is_listed_with_its_app() -> None:
    codes, table = error_code_table()
    assert {"accounts", "core", "dispatch"} <= set(CATALOGUES)
    for app, catalogue in CATALOGUES.items():
        for code in catalogue.codes:
            assert code in codes
            assert f"| `{code}` | {app} |" in table
    # DRF's own answers are catalogued too, so a client meets no code the document does not list.
    assert {"not_authenticated", "parse_error", "method_not_allowed", "validation_failed"} <= set(codes)
    assert codes == sorted(set(codes))
