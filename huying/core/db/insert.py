"""One-row INSERTs for the few hot paths where building the statement costs more than the write.

``Model.objects.create()`` compiles its INSERT on every call; inside the intake's write transaction
(which on SQLite holds the database's only write lock, ADR 0009) that compilation cost more than
SQLite's work. :func:`insert` builds the statement text once per model and field set and prepares
the values exactly as ``save()`` does.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, signals

_statements: dict[tuple[Any, ...], str] = {}


def insert(obj: Model, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Insert the new, unsaved ``obj`` as ``obj.save(force_insert=True)`` would, and set its pk.

    Each field's ``pre_save`` (``auto_now_add``) and ``get_db_prep_save`` (JSON, time zones) run as
    in ``save()``. Signals and a ``save()`` override would not, so models that have either are
    refused with TypeError rather than silently skipped.
    """
    model = type(obj)
    if model.save is not Model.save:
        raise TypeError(f"{model.__name__} overrides save(); use save()")
    if signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model):
        raise TypeError(f"{model.__name__} has save signal receivers; use save()")
    if not obj._state.adding:
        raise ValueError(f"{model.__name__} {obj.pk} is already saved")
    connection = connections[using]
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [f for f in meta.concrete_fields if not (f is pk and getattr(obj, f.attname) is None)]
    returning = connection.features.can_return_columns_from_insert
    key = (model, using, returning, tuple(f.attname for f in fields))
    sql = _statements.get(key)
    if sql is None:
        q = connection.ops.quote_name
        sql = (
            f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        if returning:
            sql += f" RETURNING {q(pk.column)}"
        _statements[key] = sql
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if getattr(obj, pk.attname) is None:
            value = (
                cursor.fetchone()[0] if returning else connection.ops.last_insert_id(cursor, meta.db_table, pk.column)
            )
            setattr(obj, pk.attname, value)
    obj._state.adding = False
    obj._state.db = using
