"""One-row SELECTs for the hot lookups of a request, with the statement built once.

Django compiles a queryset's SQL on every call; for the few lookups every intake request makes
(the API token with its user and roles, the chosen category) that compilation cost more CPU than
the query (ADR 0009). :func:`get_row` selects a model's concrete columns by primary key and simple
equalities with a statement built once per model, filter and database, and builds the instance
with ``Model.from_db`` after passing each value through the converters the ORM would apply
(booleans and aware datetimes on SQLite, JSON everywhere). :func:`converters_for` and
:func:`convert` serve hand-written statements the same way.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.db.models.expressions import Col

M = TypeVar("M", bound=Model)
Converters = list[tuple[Col, list[Any]]]

_statements: dict[tuple[Any, ...], tuple[str, Converters]] = {}


def converters_for(fields: list[Any], alias: str, connection: BaseDatabaseWrapper) -> Converters:
    """For each field read as ``alias.column``: the backend's and the field's converters, in the ORM's order."""
    out: Converters = []
    for field in fields:
        col = Col(alias, field)
        out.append((col, connection.ops.get_db_converters(col) + cast(Any, field).get_db_converters(connection)))
    return out


def convert(values: tuple[Any, ...] | list[Any], converters: Converters, connection: BaseDatabaseWrapper) -> list[Any]:
    """The row's values as the ORM would hand them to ``from_db``."""
    out = []
    for value, (col, functions) in zip(values, converters, strict=True):
        for function in functions:
            value = function(value, col, connection)
        out.append(value)
    return out


def get_row(model: type[M], pk: Any, *, using: str = DEFAULT_DB_ALIAS, **equals: Any) -> M | None:
    """``model.objects.filter(pk=pk, **equals).first()`` for plain column equalities, or None."""
    connection = connections[using]
    meta = model._meta
    fields = list(meta.concrete_fields)
    key = (model, using, tuple(sorted(equals)))
    found = _statements.get(key)
    if found is None:
        q = connection.ops.quote_name
        assert meta.pk is not None
        columns = [meta.pk.column] + [cast(Any, meta.get_field(name)).column for name in sorted(equals)]
        where = [f"{q(column)} = %s" for column in columns]
        sql = f"SELECT {', '.join(q(f.column) for f in fields)} FROM {q(meta.db_table)} WHERE {' AND '.join(where)}"
        found = _statements[key] = (sql, converters_for(fields, meta.db_table, connection))
    sql, converters = found
    assert meta.pk is not None
    params = [meta.pk.get_db_prep_value(pk, connection)]
    params += [cast(Any, meta.get_field(name)).get_db_prep_value(equals[name], connection) for name in sorted(equals)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return model.from_db(using, [f.attname for f in fields], convert(row, converters, connection))
