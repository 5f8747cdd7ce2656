"""Migration operations of our own: adopting an app's tables under a new app label.

When an app is renamed (a new ``AppConfig.label``), a database created before the rename holds
its rows in ``<old label>_<model>`` tables and records its migrations under the old label. The new
app's first migration ``replaces`` the old app's migrations, so such a database counts it as
applied, and its next migration runs ``AdoptLegacyTables``: it renames the old tables (foreign keys
from other apps follow the rename) and moves their content types to the new label. In a database
created since, it finds nothing to rename. Either way the data the city entered is kept.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState


class AdoptLegacyTables(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = False

    def __init__(self, legacy_app_label: str) -> None:
        self.legacy_app_label = legacy_app_label

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__qualname__, [], {"legacy_app_label": self.legacy_app_label}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        """The tables' models do not change."""

    def database_forwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        connection = schema_editor.connection
        existing = set(connection.introspection.table_names())
        prefix = f"{app_label}_"
        for model in to_state.apps.get_app_config(app_label).get_models(include_auto_created=True):
            table = model._meta.db_table
            old = f"{self.legacy_app_label}_{table[len(prefix) :]}" if table.startswith(prefix) else table
            if old != table and old in existing:
                if table in existing:  # created empty by a migrate that ran before this operation existed
                    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(table)}")
                schema_editor.alter_db_table(model, old, table)
        if "django_content_type" in existing:
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE django_content_type SET app_label = %s WHERE app_label = %s "
                    "AND model NOT IN (SELECT model FROM django_content_type WHERE app_label = %s)",
                    [app_label, self.legacy_app_label, app_label],
                )

    def database_backwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        """The tables keep their new names: the previous migration owns them under this label."""

    def describe(self) -> str:
        return f"Adopt the tables of the app once labelled {self.legacy_app_label!r}"
