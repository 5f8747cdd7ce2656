"""One-row INSERTs for the few hot paths where building the statement costs more than the write.

``Model.objects.create()`` compiles its INSERT on every call; inside the intake's write transaction
(which on SQLite holds the database's only write lock, ADR 0009) that compilation cost more than
SQLite's work. :func:`insert` builds the statement text once per model and field set and prepares
the values exactly as ``save()`` does.

Preparing a value is four or five method calls per field (``pre_save``, ``get_db_prep_save``,
``get_prep_value``, ``to_python`` ...), 130 µs for the 42 columns of an appeal. For the plain field
classes below, a value that is already of the column's Python type (or None) comes back from
that chain unchanged, so it is taken as it is; anything else (a lazy string, a datetime, JSON, a
field subclass) still goes through the field's own methods.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model, signals
from django.db.models import fields as model_fields
from django.db.models.fields.related import ForeignKey

_statements: dict[tuple[Any, ...], tuple[str, list[tuple[Field[Any, Any], tuple[type, ...]]]]] = {}

# Exact field class -> the value types its prep chain returns unchanged (None: for every class here).
_UNCHANGED: dict[type, tuple[type, ...]] = {
    model_fields.CharField: (str,),
    model_fields.TextField: (str,),
    model_fields.IntegerField: (int,),
    model_fields.SmallIntegerField: (int,),
    model_fields.BigIntegerField: (int,),
    model_fields.PositiveIntegerField: (int,),
    model_fields.PositiveSmallIntegerField: (int,),
    model_fields.PositiveBigIntegerField: (int,),
    model_fields.BooleanField: (bool,),
    ForeignKey: (int,),  # to an integer primary key; checked below
}


def _unchanged_types(field: Field[Any, Any]) -> tuple[type, ...]:
    """The value types (NoneType included) that ``field`` stores as they are; () if none."""
    kind = type(field)
    if kind is ForeignKey:
        target = field.target_field  # type: ignore[attr-defined]
        if not isinstance(target, model_fields.AutoField | model_fields.BigAutoField | model_fields.SmallAutoField):
            return ()
    elif kind in (model_fields.DateTimeField, model_fields.DateField, model_fields.DecimalField):
        # None only: a value needs the backend's adaptation, and auto_now fields fill themselves in.
        return () if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) else (type(None),)
    types = _UNCHANGED.get(kind)
    return (*types, type(None)) if types else ()


def prepared_values(obj: Model, plan: list[tuple[Field[Any, Any], tuple[type, ...]]], connection: Any) -> list[Any]:
    """What ``save()`` would send for ``obj``'s fields (``plan``: each field with its unchanged types)."""
    params = []
    for field, unchanged in plan:
        if unchanged:
            value = getattr(obj, field.attname)
            if type(value) in unchanged:
                params.append(value)
                continue
        params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
    return params


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
    cached = _statements.get(key)
    if cached is None:
        q = connection.ops.quote_name
        sql = (
            f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        if returning:
            sql += f" RETURNING {q(pk.column)}"
        cached = _statements[key] = (sql, [(f, _unchanged_types(f)) for f in fields])
    sql, plan = cached
    params = prepared_values(obj, plan, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if getattr(obj, pk.attname) is None:
            value = (
                cursor.fetchone()[0] if returning else connection.ops.last_insert_id(cursor, meta.db_table, pk.column)
            )
            setattr(obj, pk.attname, value)
    obj._state.adding = False
    obj._state.db = using
