"""Plain INSERTs for bulk writes of thousands of rows: what `bulk_create` writes, without its work per value.

`bulk_create` prepares every value of every row through the SQL compiler (pre_save, get_db_prep_save,
field_as_sql: about ten calls a value) and, on PostgreSQL, quotes every value in Python (Django's
client-side binding); at thousands of rows a chunk of an import, that costs several times the
inserts themselves. Here the columns, the SQL and how each column's values are prepared are worked
out once per model, and each row is a plain list of values: the same columns and the same database
values as `bulk_create`.

On PostgreSQL the rows go by `COPY ... FROM STDIN` (psycopg formats them in C), with the keys of
rows something else points at taken from the table's sequence first; on SQLite by multi-row INSERTs
(`... RETURNING id` where the keys are needed) and `executemany`, which run in-process anyway.

Only for plain models: no database defaults or expressions, no signals (bulk_create sends none
either), the key an auto-incrementing integer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone

M = TypeVar("M", bound=models.Model)

# Fields whose database value is the Python value itself (what get_db_prep_save returns for them).
PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def preparer(field: models.Field) -> Callable[[Any], Any] | None:
    """How bulk_create prepares a (non-null) value for this column; None: as it is."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, PLAIN):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


class _Columns:
    """A model's columns as an INSERT writes them (the key left to the database)."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.stamped = [
            f.attname for f in self.fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        # Foreign keys whose object may be given before it had a key (saved earlier in the chunk).
        self.relations = [(f.name, f.attname) for f in self.fields if f.is_relation and (f.many_to_one or f.one_to_one)]
        self.attnames = [f.attname for f in self.fields]
        self.preparers = [(i, p) for i, p in ((i, preparer(f)) for i, f in enumerate(self.fields)) if p is not None]
        quote = connection.ops.quote_name
        self.table_name = model._meta.db_table
        self.table = quote(self.table_name)
        self.names = ", ".join(quote(f.column) for f in self.fields)
        self.marks = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.pk = quote(model._meta.pk.column)
        self.pk_column = model._meta.pk.column

    def row(self, obj: models.Model) -> list[Any]:
        cache = obj._state.fields_cache
        for name, attname in self.relations:  # as Model._prepare_related_fields_for_save does
            related = cache.get(name)
            if related is not None:
                if related.pk is None:
                    raise ValueError(f"{self.model.__name__}.{name} points at an unsaved row")
                if getattr(obj, attname) is None:
                    setattr(obj, attname, related.pk)
                elif getattr(obj, attname) != related.pk:
                    del cache[name]  # the key given wins
        values = [getattr(obj, attname) for attname in self.attnames]
        for index, prepare in self.preparers:
            value = values[index]
            if value is not None:
                if hasattr(value, "resolve_expression"):  # an expression (a database default): not handled here
                    raise TypeError(f"{self.model.__name__}: expressions are not written by plain inserts")
                values[index] = prepare(value)
        return values


@cache
def _columns(model: type[models.Model], vendor: str) -> _Columns:
    return _Columns(model)


def _stamp(columns: _Columns, objs: Sequence[models.Model]) -> None:
    """auto_now / auto_now_add: one moment for the whole batch, set on the instances as pre_save would."""
    if columns.stamped:
        now = timezone.now()
        for obj in objs:
            for attname in columns.stamped:
                setattr(obj, attname, now)


def _rows_per_statement(width: int) -> int:
    """As many rows per INSERT as SQLite takes parameters for."""
    limit = connection.features.max_query_params or 999
    raw = connection.connection
    if raw is not None and hasattr(raw, "getlimit"):
        import sqlite3

        limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(limit // max(width, 1), 1000))


def _copy(columns: _Columns, rows: Sequence[Sequence[Any]], *, with_key: bool = False) -> None:
    """PostgreSQL: the rows by COPY, one statement however many rows (psycopg formats them in C)."""
    quote = connection.ops.quote_name
    names = f"{quote(columns.pk_column)}, {columns.names}" if with_key else columns.names
    # The driver's own cursor (Django's has no COPY); its errors become Django's (IntegrityError...).
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {columns.table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _next_keys(columns: _Columns, count: int) -> list[int]:
    """PostgreSQL: `count` keys from the table's own sequence, as its INSERTs would have taken them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [columns.table_name, columns.pk_column, count],
        )
        return [key for (key,) in cursor.fetchall()]


def insert_returning(model: type[M], objs: Sequence[M]) -> None:
    """INSERT these new instances (no key yet) and set their keys, as `bulk_create(objs)` would."""
    if not objs:
        return
    columns = _columns(model, connection.vendor)
    _stamp(columns, objs)
    rows = [columns.row(obj) for obj in objs]
    db = connection.alias
    if connection.vendor == "postgresql":
        keys = _next_keys(columns, len(rows))
        _copy(columns, [[key, *row] for key, row in zip(keys, rows, strict=True)], with_key=True)
    else:
        keys = []
        step = _rows_per_statement(len(columns.fields))
        with connection.cursor() as cursor:
            for start in range(0, len(rows), step):
                part = rows[start : start + step]
                sql = (
                    f"INSERT INTO {columns.table} ({columns.names}) VALUES "  # noqa: S608 - quoted names
                    f"{', '.join([columns.marks] * len(part))} RETURNING {columns.pk}"
                )
                cursor.execute(sql, [value for row in part for value in row])
                returned = cursor.fetchall()
                if len(returned) != len(part):
                    raise RuntimeError(f"{model.__name__}: {len(part)} rows written, {len(returned)} keys returned")
                # SQLite gives the rows of one INSERT their keys in row order (ascending: the tables
                # autoincrement), but promises no order for RETURNING's output: sorted, they match.
                keys.extend(sorted(key for (key,) in returned))
    for obj, pk in zip(objs, keys, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = db


def insert_values(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """INSERT these new instances without reading their keys back (nothing in the chunk points at them)."""
    if not objs:
        return
    columns = _columns(model, connection.vendor)
    _stamp(columns, objs)
    _write(columns, [columns.row(obj) for obj in objs])


def insert_new(model: type[models.Model], given: dict[str, Sequence[Any]]) -> None:
    """INSERT one row per value of `given` (attname -> one value per row), every other column at its
    default (auto_now columns: now), without building an instance per row; keys are not read back."""
    columns = _columns(model, connection.vendor)
    counts = {len(values) for values in given.values()}
    if len(counts) != 1:
        raise ValueError("every column given needs one value per row")
    (count,) = counts
    if not count:
        return
    now = timezone.now()
    template = []
    for field in columns.fields:
        if field.attname in given:
            template.append(None)
            continue
        value = now if field.attname in columns.stamped else field.get_default()
        template.append(value if value is None else _prepare(field, value))
    places = [(columns.attnames.index(attname), values) for attname, values in given.items()]
    preparers = dict(columns.preparers)
    rows = []
    for number in range(count):
        row = template.copy()
        for index, values in places:
            value = values[number]
            prepare = preparers.get(index)
            row[index] = value if prepare is None or value is None else prepare(value)
        rows.append(row)
    _write(columns, rows)


def _write(columns: _Columns, rows: list[list[Any]]) -> None:
    if connection.vendor == "postgresql":
        _copy(columns, rows)
        return
    sql = f"INSERT INTO {columns.table} ({columns.names}) VALUES {columns.marks}"  # noqa: S608 - quoted names
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _prepare(field: models.Field, value: Any) -> Any:
    prepare = preparer(field)
    return value if prepare is None else prepare(value)
