"""The 2024 synthetic layout, read as kanon_2021 cells plus what the model has no field for.

Its columns are a subset of 2021's, some renamed, with ISO-3 countries and flags 1 or NULL.
The trafficking duration and the four merged means of control have no field or term in the
model, so they are kept as written in the case's `source_extras`.
"""

from quipu.intake.formats import ctdc_layouts as layouts
from quipu.intake.formats.ctdc_terms import (
    ALPHA3_TO_ALPHA2,
    NOT_A_FLAG,
    NOT_A_TERM,
    NOT_AN_ALPHA3_COUNTRY,
)
from quipu.intake.records import RowError

MISSING = frozenset({"", "NULL", None})
SYNTHETIC_SET = frozenset(layouts.SYNTHETIC_COLUMNS)
MERGED_FLAGS = frozenset(layouts.SYNTHETIC_MERGED_FLAGS)
KEPT_ASIDE = MERGED_FLAGS | {layouts.SYNTHETIC_DURATION_COLUMN}
EM_DASH = "\u2014"


def synthetic_as_kanon(
    values: dict[str, str], *, row: int
) -> tuple[dict[str, str], dict[str, str], dict[str, str], list[RowError]]:
    """(kanon cells, kanon column -> file column, source extras, errors) for one row."""
    kanon: dict[str, str] = {}
    file_names: dict[str, str] = {}
    extras: dict[str, str] = {}
    errors: list[RowError] = []
    for file_column, value in values.items():
        column = layouts.SYNTHETIC_COLUMN_ALIASES.get(file_column, file_column)
        if column not in SYNTHETIC_SET or value in MISSING:
            continue
        if column in layouts.SYNTHETIC_DASHED_COLUMNS:
            value = value.replace(EM_DASH, "--")
        if column in KEPT_ASIDE:
            problem = _kept_aside(column, value, extras)
        else:
            problem = _as_kanon_cell(column, value, kanon)
            kanon_column = layouts.SYNTHETIC_RENAMED.get(column, column)
            if kanon_column != file_column:
                file_names[kanon_column] = file_column
        if problem is not None:
            errors.append(RowError(row, file_column, problem))
    return kanon, file_names, extras, errors


def _kept_aside(column: str, value: str, extras: dict[str, str]):
    """Store a cell the model has no place for in `extras`; the problem with it, if any."""
    if column in MERGED_FLAGS and value not in ("0", "1"):
        return NOT_A_FLAG
    if column == layouts.SYNTHETIC_DURATION_COLUMN and value not in layouts.SYNTHETIC_DURATIONS:
        return NOT_A_TERM
    extras[column] = value
    return None


def _as_kanon_cell(column: str, value: str, kanon: dict[str, str]):
    """Write the cell under its kanon name, as kanon writes it; the problem, if any."""
    if column in layouts.SYNTHETIC_COUNTRY_COLUMNS:
        alpha2 = ALPHA3_TO_ALPHA2.get(value)
        if alpha2 is None:
            return NOT_AN_ALPHA3_COUNTRY
        value = alpha2
    value = layouts.SYNTHETIC_VALUE_ALIASES.get(column, {}).get(value, value)
    kanon[layouts.SYNTHETIC_RENAMED.get(column, column)] = value
    return None
