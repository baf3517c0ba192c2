"""Fast inserts for imports: plain tuples, ids chosen up front, the database's bulk path.

Django's bulk_create spends most of its time building model instances and SQL; an import of
100,000 cases writes about 400,000 rows. Here each model's columns are prepared once, ids are
allocated in one statement, and rows go in by executemany (SQLite) or COPY (PostgreSQL).
Callers hold a transaction, which on SQLite (IMMEDIATE) is also the write lock that keeps
the id range ours.
"""

import json
from collections.abc import Callable, Sequence
from functools import cache, lru_cache

from django.db import connection, models
from django.utils import timezone

from quipu.cases.fields import CodeSet, CodeSetField

NOW = object()  # stands for auto_now / auto_now_add columns


@lru_cache(maxsize=65536)
def _codes_text(codes) -> str:
    # Parsers share CodeSet objects between rows with the same flags: dump each once.
    return codes.dump() if isinstance(codes, CodeSet) else CodeSet.of(codes or ()).dump()


def _converter(field: models.Field) -> Callable | None:
    """How a Python value becomes a database value; None when the driver takes it as it is."""
    ops = connection.ops
    if isinstance(field, CodeSetField):
        return _codes_text
    if isinstance(field, models.JSONField):
        return lambda v: json.dumps(v if v is not None else {}, ensure_ascii=False)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    return None


@cache
def _plan(model: type[models.Model], vendor: str) -> tuple[list[str], list[tuple]]:
    """Column names and, per column, (attname, default, converter), primary key first."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = [model._meta.pk.column] + [f.column for f in fields]
    steps = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            default = NOW
        else:
            default = field.get_default()  # "" for text columns that are not nullable
        steps.append((field.attname, default, _converter(field)))
    return columns, steps


def _allocate_ids(model: type[models.Model], count: int) -> list[int]:
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def _tuples(steps, ids: list[int], rows: Sequence[dict]) -> list[list]:
    """Column values per row: plain values straight from the dicts, converters only where
    a column needs one (defaults are converted once)."""
    now = timezone.now()
    names, defaults, converted = [], [], []
    for index, (name, default, convert) in enumerate(steps, start=1):
        default = now if default is NOW else default
        names.append(name)
        defaults.append(convert(default) if convert else default)
        if convert:
            converted.append((index, name, convert))
    pairs = list(zip(names, defaults, strict=True))
    values = []
    for row_id, row in zip(ids, rows, strict=True):
        value = [row_id, *[row.get(name, default) for name, default in pairs]]
        for index, name, convert in converted:
            if name in row:
                value[index] = convert(value[index])
        values.append(value)
    return values


def bulk_insert(model: type[models.Model], rows: Sequence[dict]) -> list[int]:
    """Insert `rows` (dicts keyed by attname) and return their new ids, in order."""
    if not rows:
        return []
    columns, steps = _plan(model, connection.vendor)
    ids = _allocate_ids(model, len(rows))
    values = _tuples(steps, ids, rows)
    table = model._meta.db_table
    quoted = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for value in values:
                    copy.write_row(value)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})'  # noqa: S608
            cursor.executemany(sql, values)
    return ids
