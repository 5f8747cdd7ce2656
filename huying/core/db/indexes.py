"""Dropping single-column indexes in a migration without rebuilding the table.

Turning ``db_index`` off makes Django's SQLite schema editor copy the whole table once per field;
on a year of appeals that is minutes of a locked database for a change that only removes an index.
``drop_indexes`` changes the database with ``DROP INDEX`` (and its ``_like`` twin, which PostgreSQL
keeps for ``LIKE`` on text columns); the migration's ``AlterField`` operations change the state
only (see ``SeparateDatabaseAndState``). Reversing creates the plain indexes again.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def drop_indexes(*indexes: tuple[str, str, str]) -> migrations.RunPython:
    """``indexes``: (table, index name, column) triples, names as Django generated them."""

    def forward(apps: Any, schema_editor: Any) -> None:
        q = schema_editor.quote_name
        for _table, name, _column in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {q(name)}")
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f"DROP INDEX IF EXISTS {q(name + '_like')}")

    def backward(apps: Any, schema_editor: Any) -> None:
        q = schema_editor.quote_name
        for table, name, column in indexes:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {q(name)} ON {q(table)} ({q(column)})")

    return migrations.RunPython(forward, backward, elidable=False)
