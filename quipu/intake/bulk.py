"""Fast inserts for imports: plain tuples, ids chosen up front, the database's bulk path.

Django's bulk_create spends most of its time building model instances and SQL; an import of
100,000 cases writes about 400,000 rows. Here each model's columns are prepared once, ids are
allocated in one statement, and rows go in by executemany (SQLite) or COPY (PostgreSQL).
Callers hold a transaction, which on SQLite (IMMEDIATE) is also the write lock that keeps
the id range ours.
"""

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from itertools import chain, islice

from django.db import connection, models
from django.utils import timezone

from quipu.cases.fields import CodeSet, CodeSetField

NOW = object()  # stands for auto_now / auto_now_add columns


def _codes_text(codes) -> str:
    if type(codes) is CodeSet:
        return codes.text  # kept on the object: parsers share one between many rows
    return CodeSet.of(codes or ()).text


def _json_text(value) -> str:
    if value is None or (type(value) is dict and not value):
        return "{}"  # most rows keep no source extras
    return json.dumps(value, ensure_ascii=False)


def _converter(field: models.Field) -> Callable | None:
    """How a Python value becomes a database value; None when the driver takes it as it is."""
    ops = connection.ops
    if isinstance(field, CodeSetField):
        return _codes_text
    if isinstance(field, models.JSONField):
        return _json_text
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
            # The sequence is looked up once, not once per id as in nextval(pg_get_...(...)).
            # The ids come back as a range unless another session took some in between.
            cursor.execute(
                "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq),"
                " ids AS MATERIALIZED (SELECT nextval(s.seq) AS id FROM s, generate_series(1, %s))"
                " SELECT min(id), CASE WHEN max(id) - min(id) + 1 = count(*) THEN NULL"
                " ELSE array_agg(id ORDER BY id) END FROM ids",
                [table, pk, count],
            )
            first, scattered = cursor.fetchone()
            return list(scattered) if scattered is not None else list(range(first, first + count))
        cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


@cache
def _row_builder(
    model: type[models.Model],
    vendor: str,
    same: tuple[str, ...],
    each: tuple[str, ...],
    fixed: tuple[str, ...] = (),
) -> tuple[Callable, tuple[str, ...]]:
    """A factory of row builders for this model and these `same` and `each` columns, and the
    names of the factory's parameters (converters, defaults, `same` values). `fixed` columns
    are left out of the tuples: the statement carries their one value.

    The builder is compiled so that per row it does only what each column needs (a dict
    lookup, a converter, a constant): a generic loop over the columns of every row cost more
    than the database did. It yields the tuples as the rows go out, holding none of them.
    """
    _columns, steps = _plan(model, vendor)
    parameters, cells = [], ["row_id"]
    for index, (name, _default, convert) in enumerate(steps):
        if name in fixed:
            continue
        if convert:
            parameters.append(f"convert_{index}")
        if name in same:
            parameters.append(f"same_{index}")
            cells.append(f"same_{index}")
        elif name in each:
            cell = f"each_{each.index(name)}"
            cells.append(f"convert_{index}({cell})" if convert else cell)
        else:
            parameters.append(f"default_{index}")
            if convert:
                cells.append(
                    f"(convert_{index}(row[{name!r}]) if {name!r} in row else default_{index})"
                )
            else:
                cells.append(f"row.get({name!r}, default_{index})")
    columns = ", ".join(f"each_{i}" for i in range(len(each)))
    sequences = ", ".join(f"sequence_{i}" for i in range(len(each)))
    loop = f"row_id, row, {columns}" if each else "row_id, row"
    zipped = f"ids, rows, {sequences}" if each else "ids, rows"
    source = (
        f"def factory({', '.join(parameters)}):\n"
        f"    def build(ids, rows{', ' + sequences if each else ''}):\n"
        f"        return (({', '.join(cells)},) for {loop} in zip({zipped}, strict=True))\n"
        f"    return build\n"
    )
    namespace: dict = {}
    exec(compile(source, f"<bulk rows of {model._meta.label}>", "exec"), namespace)  # noqa: S102
    return namespace["factory"], tuple(parameters)


def _fixed_values(
    model: type[models.Model], rows: Sequence[dict], same: Mapping[str, object], each, now
) -> dict[str, object]:
    """Database values of the columns with one value in every row (`same` values and defaults
    that no row overrides), for those the statement can spell as a literal."""
    _columns, steps = _plan(model, connection.vendor)
    given = set().union(*map(dict.keys, rows))
    fixed = {}
    for name, default, convert in steps:
        if name in each or (name in given and name not in same):
            continue
        value = same.get(name, now if default is NOW else default)
        value = convert(value) if convert else value
        if value is None or type(value) in (bool, int, str):
            fixed[name] = value
    return fixed


def _literal(value) -> str:
    if value is None:
        return "NULL"
    if type(value) is bool:
        return "1" if value else "0"
    if type(value) is int:
        return str(value)
    # Django's SQLite cursor reads "%s" as a placeholder and "%%" as "%".
    return "'" + value.replace("'", "''").replace("%", "%%") + "'"


def _tuples(
    model: type[models.Model],
    ids: list[int],
    rows: Sequence[dict],
    same: Mapping[str, object],
    each: Mapping[str, Sequence],
    now,
    fixed: tuple[str, ...] = (),
) -> Iterator[tuple]:
    """Column values per row: plain values straight from the dicts, converters only where
    a column needs one (defaults and `same` values are converted once)."""
    _columns, steps = _plan(model, connection.vendor)
    factory, parameters = _row_builder(model, connection.vendor, tuple(same), tuple(each), fixed)
    given = {}
    for index, (name, default, convert) in enumerate(steps):
        if name in fixed:
            continue
        if convert:
            given[f"convert_{index}"] = convert
        if name in same:
            value = same[name]
            given[f"same_{index}"] = convert(value) if convert else value
        else:
            default = now if default is NOW else default
            given[f"default_{index}"] = convert(default) if convert else default
    build = factory(*(given[p] for p in parameters))
    return build(ids, rows, *each.values())


def bulk_insert(
    model: type[models.Model],
    rows: Sequence[dict],
    *,
    same: Mapping[str, object] | None = None,
    each: Mapping[str, Sequence] | None = None,
) -> list[int]:
    """Insert `rows` (dicts keyed by attname) and return their new ids, in order.

    `same` holds columns with one value for every row, `each` columns with one value per row
    (sequences as long as `rows`); both win over the dicts, as if merged into each of them.
    """
    if not rows:
        return []
    same, each = same or {}, each or {}
    for values in each.values():
        if len(values) != len(rows):
            raise ValueError("each column needs one value per row")
    columns, steps = _plan(model, connection.vendor)
    ids = _allocate_ids(model, len(rows))
    table = model._meta.db_table
    quoted = ", ".join(f'"{c}"' for c in columns)
    now = timezone.now()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = _tuples(model, ids, rows, same, each, now)
            with cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for value in values:
                    copy.write_row(value)
        else:
            # Values every row shares go into the statement once, not bound in each row: an
            # imported case leaves most of its columns at their defaults.
            fixed = _fixed_values(model, rows, same, each, now)
            values = _tuples(model, ids, rows, same, each, now, tuple(fixed))
            marks = ["%s"] + [
                _literal(fixed[name]) if name in fixed else "%s" for name, _d, _c in steps
            ]
            one = f"({', '.join(marks)})"
            insert = f'INSERT INTO "{table}" ({quoted}) VALUES '  # noqa: S608
            # Several rows per statement: fewer statement steps and resets per row. 999 is
            # the lowest limit on bound values of any SQLite build.
            group = max(1, 999 // marks.count("%s"))
            whole = len(rows) // group
            if whole:
                cursor.executemany(
                    insert + ", ".join([one] * group), _grouped(values, group, whole)
                )
            if len(rows) % group:
                cursor.executemany(insert + one, values)  # the rows left over
    return ids


def _grouped(values: Iterator[tuple], group: int, count: int) -> Iterator[tuple]:
    """`count` tuples, each the values of the next `group` rows."""
    for _ in range(count):
        yield tuple(chain.from_iterable(islice(values, group)))
