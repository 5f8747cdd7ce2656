"""The intake tables carry only the indexes something reads through (migration 0002 of appeals and
dispatch dropped the rest), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _indexed_columns(table: str) -> set[tuple[str, ...]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {tuple(c["columns"]) for c in constraints.values() if c["index"] or c["unique"] or c["primary_key"]}


@pytest.mark.parametrize(
    ("table", "dropped"),
    [
        ("appeals_appeal", ["created_by_id", "lead_unit_id", "requester_phone"]),
        ("appeals_appealevent", ["actor_id", "actor_unit_id", "created_at"]),
        ("dispatch_dispatchsuggestion", ["category_id", "chosen_category_id", "corrected_by_id", "model_id"]),
    ],
)
def test_write_only_indexes_are_gone(table: str, dropped: list[str]) -> None:
    indexed = _indexed_columns(table)
    for column in dropped:
        assert (column,) not in indexed, f"{table}.{column} still has its own index"


def test_the_lookups_keep_their_indexes() -> None:
    appeal = _indexed_columns("appeals_appeal")
    # the repeat check, a unit's inbox, the deadline sweep, a citizen's list, merged repeats
    for columns in [("requester_phone", "status"), ("lead_unit_id", "status"), ("status", "due_at")]:
        assert columns in appeal
    for column in ["citizen_id", "merged_into_id", "submitted_at", "number"]:
        assert (column,) in appeal
    assert ("appeal_id",) in _indexed_columns("appeals_appealevent")
    assert ("appeal_id",) in _indexed_columns("dispatch_dispatchsuggestion")
