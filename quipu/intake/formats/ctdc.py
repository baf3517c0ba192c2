"""CTDC's public victim files (2020 global, 2021 k-anonymised, 2024 synthetic) as CaseRecords.

One row is one victim of one closed case. The *Concatenated columns and RecruiterRelationship
repeat the flags as text: the model keeps the flags only, and keeps a row's text in
`source_extras` only where it differs from what `export_row` writes, so that a file round-trips
exactly while the model stays the source of truth.
"""

import datetime
from collections.abc import Callable, Mapping
from functools import cache
from operator import itemgetter

from quipu.cases.fields import CodeSet
from quipu.intake.formats import ctdc_layouts as layouts
from quipu.intake.formats.ctdc_synthetic import synthetic_as_kanon
from quipu.intake.formats.ctdc_terms import (
    ALPHA2,
    CONCATENATIONS,
    FIRST_YEAR,
    FLAG_COLUMNS,
    FLAG_GETTERS,
    FLAG_GROUPS,
    MEMO_LIMIT,
    NOT_A_COUNTRY,
    NOT_A_FLAG,
    NOT_A_TERM,
    NOT_A_YEAR,
    VALUE_CODES,
    VALUE_TEXTS,
    concatenation,
)
from quipu.intake.records import CaseRecord, PersonRecord, RowError

KANON = "kanon_2021"
GLOBAL_2020 = "global_2020"
SYNTHETIC = "synthetic_2024"
LAYOUTS = (KANON, GLOBAL_2020, SYNTHETIC)

# What each layout writes for "no data"; None stands for a column the row does not have.
MISSING = {
    KANON: frozenset({"", None}),
    GLOBAL_2020: frozenset({"", "-99", None}),
    SYNTHETIC: frozenset({"", "NULL", None}),
}
EMPTY_CODES = CodeSet()
YEAR = layouts.YEAR_COLUMN
ABDUCTION = layouts.ABDUCTION_COLUMN
CITIZENSHIP = layouts.CITIZENSHIP_COLUMN
EXPLOITED_IN = layouts.EXPLOITATION_COUNTRY_COLUMN
Fail = Callable[..., None]  # (column, message, params=None)

# --- header ---------------------------------------------------------------------------------

KANON_SET = frozenset(layouts.KANON_COLUMNS)
SYNTHETIC_SET = frozenset(layouts.SYNTHETIC_COLUMNS)


def _clean(cell: str) -> str:
    return cell.replace("\ufeff", "").strip()


def _same_columns(names: list[str], expected: frozenset[str]) -> bool:
    return len(names) == len(expected) and set(names) == expected


def detect(header: list[str]) -> str | None:
    """The CTDC layout of a file with this header row, or None."""
    names = [_clean(cell) for cell in header]
    if _same_columns(names, KANON_SET):
        return KANON
    # global_2020 puts the terms of use (or nothing) in the first header cell.
    if names and names[0] not in KANON_SET and _same_columns(names[1:], KANON_SET):
        return GLOBAL_2020
    synthetic = [layouts.SYNTHETIC_COLUMN_ALIASES.get(name, name) for name in names]
    if _same_columns(synthetic, SYNTHETIC_SET):
        return SYNTHETIC
    return None


def header_columns(header: list[str], layout: str) -> list[str]:
    """Column names to zip with each row's cells; global_2020's leading column is ""."""
    names = [_clean(cell) for cell in header]
    if layout == GLOBAL_2020 and names:
        names[0] = ""
    return names


# --- import ---------------------------------------------------------------------------------


def parse_row(
    values: dict[str, str], *, row: int, layout: str
) -> tuple[CaseRecord | None, list[RowError]]:
    """One source row as a CaseRecord, or None and every problem found in the row."""
    if layout == SYNTHETIC:
        return _parse_synthetic(values, row)
    if layout not in MISSING:
        raise ValueError(f"Unknown CTDC layout {layout!r}")
    record = _valid_kanon_row(values, row, MISSING[layout])
    if record is not None:
        return record, []
    return _parse_kanon_cells(values, row=row, missing=MISSING[layout])


def _parse_synthetic(values: dict[str, str], row: int):
    kanon_values, file_names, extras, errors = synthetic_as_kanon(values, row=row)
    record, more = _parse_kanon_cells(
        kanon_values, row=row, missing=MISSING[SYNTHETIC], file_names=file_names
    )
    errors += more
    if errors:
        return None, errors
    record.case["source_extras"].update(extras)
    return record, []


def _parse_kanon_cells(
    values: Mapping[str, str | None],
    *,
    row: int,
    missing: frozenset,
    file_names: Mapping[str, str] | None = None,
) -> tuple[CaseRecord | None, list[RowError]]:
    """Parse cells named as in the kanon layout; `file_names` renames columns in errors."""
    errors: list[RowError] = []

    def fail(column: str, message, params: dict | None = None) -> None:
        errors.append(RowError(row, (file_names or {}).get(column, column), message, params))

    get = values.get
    case = {"kind": "TIP", "status": "Closed"}
    person: dict = {}
    victim: dict = {}
    parts = {"case": case, "person": person, "victim": victim}
    for column, (part, field, vocabulary) in layouts.VALUE_COLUMNS.items():
        parts[part][field] = _term(get(column), VALUE_CODES[vocabulary], missing, column, fail)
    case["registration_year"] = _year(get(YEAR), missing, fail)
    person["citizenship_id"] = _country(get(CITIZENSHIP), missing, CITIZENSHIP, fail)
    exploited_in = _country(get(EXPLOITED_IN), missing, EXPLOITED_IN, fail)
    for field, columns in FLAG_GROUPS:
        victim[field] = _flags(values, field, columns, missing, fail)
    victim["abducted"] = _boolean(get(ABDUCTION), missing, fail)
    case["source_extras"] = _differing_text(get, victim, case["datasource"], missing)
    if errors:
        return None, errors
    route = [{"event_type": "Exploitation", "country_id": exploited_in}] if exploited_in else []
    victim_record = PersonRecord(person=person, victim=victim, route_events=route)
    return CaseRecord(row=row, source_key="", case=case, people=[victim_record]), []


def _term(value, codes: dict[str, str], missing, column: str, fail: Fail) -> str:
    if value in missing:
        return ""
    code = codes.get(value)
    if code is None:
        fail(column, NOT_A_TERM)
        return ""
    return code


def _year(value, missing, fail: Fail) -> int | None:
    if value in missing:
        return None
    last = datetime.date.today().year
    if len(value) == 4 and value.isascii() and value.isdigit() and FIRST_YEAR <= int(value) <= last:
        return int(value)
    fail(YEAR, NOT_A_YEAR, {"first": FIRST_YEAR, "last": last})
    return None


def _country(value, missing, column: str, fail: Fail) -> str | None:
    # Only the layout's missing markers are missing: "NA" is Namibia.
    if value in missing:
        return None
    if value in ALPHA2:
        return value
    fail(column, NOT_A_COUNTRY)
    return None


# k-anonymised files repeat few flag patterns: each is read once (valid patterns only).
_read_patterns: dict[tuple, CodeSet] = {}


def _flags(values, field: str, columns, missing, fail: Fail) -> CodeSet:
    try:
        cells = FLAG_GETTERS[field](values)
    except KeyError:  # a layout without some of these columns
        cells = tuple(values.get(column) for column, _code in columns)
    key = (field, missing, cells)
    codes = _read_patterns.get(key)
    if codes is not None:
        return codes
    present, absent, valid = [], [], True
    for (column, code), value in zip(columns, cells, strict=True):
        if value == "1":
            present.append(code)
        elif value == "0":
            absent.append(code)
        elif value not in missing:
            fail(column, NOT_A_FLAG)
            valid = False
    if not valid:
        return EMPTY_CODES
    codes = CodeSet.of(present, absent) if present or absent else EMPTY_CODES
    if len(_read_patterns) >= MEMO_LIMIT:
        _read_patterns.clear()
    _read_patterns[key] = codes
    return codes


def _boolean(value, missing, fail: Fail) -> bool | None:
    if value == "1":
        return True
    if value == "0":
        return False
    if value not in missing:
        fail(ABDUCTION, NOT_A_FLAG)
    return None


def _differing_text(get, victim: dict, datasource: str, missing) -> dict[str, str]:
    """The derived columns whose text is not what export would write from the flags."""
    extras = {}
    for column, (field, _styles) in CONCATENATIONS.items():
        written = get(column)
        if written is None:
            continue  # the layout has no such column
        if written in missing:
            written = ""
        if written != concatenation(column, victim[field].present, datasource):
            extras[column] = written
    return extras


# --- import, the fast path for valid rows ---------------------------------------------------

# Most rows are valid, and k-anonymised files repeat few patterns: a valid row is read with
# tables built once. A row they do not cover (a bad cell, a column it lacks) returns None and
# goes through _parse_kanon_cells, which names every problem; for a valid row both give the
# same record (a test reads the whole kanon file both ways).

_PART_INDEX = {"case": 0, "person": 1, "victim": 2}
_VALUE_FIELDS = tuple((_PART_INDEX[p], f) for p, f, _v in layouts.VALUE_COLUMNS.values())
_SCALAR_COLUMNS = (*layouts.VALUE_COLUMNS, YEAR, CITIZENSHIP, EXPLOITED_IN, ABDUCTION)
_FLAG_CELL_COLUMNS = tuple(column for _f, columns in FLAG_GROUPS for column, _c in columns)
_TEXT_COLUMNS = tuple(CONCATENATIONS)
# Getters of a row's scalar, flag and text cells, from a dict of the row by column name.
_BY_NAME = tuple(
    itemgetter(*names) for names in (_SCALAR_COLUMNS, _FLAG_CELL_COLUMNS, _TEXT_COLUMNS)
)
_FLAG_FIELDS = tuple(field for field, _columns in FLAG_GROUPS)
_TEXT_GROUPS = tuple(_FLAG_FIELDS.index(field) for field, _styles in CONCATENATIONS.values())
_BOOLEANS = {"1": True, "0": False}
# Every year _year accepted when the module was read; later years go the checked way.
_YEARS = {str(y): y for y in range(FIRST_YEAR, datetime.date.today().year + 1)}


@cache
def _term_tables(missing: frozenset) -> tuple[dict, ...]:
    """Per value column, cell -> code, with the layout's missing markers as ""."""
    return tuple(
        {**VALUE_CODES[vocabulary], **dict.fromkeys(missing, "")}
        for _part, _field, vocabulary in layouts.VALUE_COLUMNS.values()
    )


# (missing, datasource, flag cells) -> (CodeSet per flag field, text each derived column gets).
# Patterns share their CodeSets (one object per distinct value), which keeps this small.
_flag_patterns: dict[tuple, tuple[tuple, tuple]] = {}
_code_sets: dict[CodeSet, CodeSet] = {}


def _flag_pattern(missing: frozenset, datasource: str, cells: tuple) -> tuple | None:
    key = (missing, datasource, cells)
    pattern = _flag_patterns.get(key)
    if pattern is not None:
        return pattern
    codes, start = [], 0
    for _field, columns in FLAG_GROUPS:
        present, absent = [], []
        for (_column, code), value in zip(
            columns, cells[start : start + len(columns)], strict=True
        ):
            if value == "1":
                present.append(code)
            elif value == "0":
                absent.append(code)
            elif value not in missing:
                return None
        found = CodeSet.of(present, absent) if present or absent else EMPTY_CODES
        codes.append(_code_sets.setdefault(found, found))
        start += len(columns)
    texts = tuple(
        concatenation(column, codes[group].present, datasource)
        for column, group in zip(_TEXT_COLUMNS, _TEXT_GROUPS, strict=True)
    )
    if len(_flag_patterns) >= MEMO_LIMIT:
        _flag_patterns.clear()
        _code_sets.clear()
    _flag_patterns[key] = pattern = (tuple(codes), texts)
    return pattern


def cells_parser(columns: list[str], layout: str) -> Callable | None:
    """A parser of a row's cells as the file lists them, `(cells, row) -> (record, errors)`,
    for the kanon and 2020 layouts: it reads valid rows without building a dict of each.
    Any other row (a bad cell, a short or long row) goes through `parse_row`."""
    if layout not in (KANON, GLOBAL_2020):
        return None
    position = {name: index for index, name in enumerate(columns)}
    getters = tuple(
        itemgetter(*(position[name] for name in names))
        for names in (_SCALAR_COLUMNS, _FLAG_CELL_COLUMNS, _TEXT_COLUMNS)
    )
    width, missing = len(columns), MISSING[layout]

    def parse(cells: list[str], row: int) -> tuple[CaseRecord | None, list[RowError]]:
        if len(cells) == width:
            record = _valid_kanon_row(cells, row, missing, getters)
            if record is not None:
                return record, []
        values = dict(zip(columns, cells, strict=False))
        return _parse_kanon_cells(values, row=row, missing=missing)

    return parse


def _valid_kanon_row(values, row: int, missing: frozenset, getters=_BY_NAME) -> CaseRecord | None:
    """The record of a valid row with every kanon column; None for any other row."""
    scalar_cells, flag_cells, text_cells = getters
    try:
        scalars, flags, written = scalar_cells(values), flag_cells(values), text_cells(values)
    except KeyError:
        return None
    parts: tuple[dict, dict, dict] = ({"kind": "TIP", "status": "Closed"}, {}, {})
    # scalars go on past the value columns with the year, the countries and abduction.
    tables = _term_tables(missing)
    for (part, field), table, value in zip(_VALUE_FIELDS, tables, scalars, strict=False):
        code = table.get(value)
        if code is None:
            return None
        parts[part][field] = code
    case, person, victim = parts
    year, citizenship, exploited_in, abducted = scalars[len(_VALUE_FIELDS) :]
    case["registration_year"] = None if year in missing else _YEARS.get(year, year)
    if isinstance(case["registration_year"], str):
        return None
    for country in (citizenship, exploited_in):
        if country not in ALPHA2 and country not in missing:
            return None
    person["citizenship_id"] = None if citizenship in missing else citizenship
    pattern = _flag_pattern(missing, case["datasource"], flags)
    if pattern is None:
        return None
    codes, texts = pattern
    victim.update(zip(_FLAG_FIELDS, codes, strict=True))
    victim["abducted"] = _BOOLEANS.get(abducted)
    if victim["abducted"] is None and abducted not in missing:
        return None
    extras = {}
    if written != texts:
        for column, cell, text in zip(_TEXT_COLUMNS, written, texts, strict=True):
            cell = "" if cell in missing else cell
            if cell != text:
                extras[column] = cell
    case["source_extras"] = extras
    route = (
        []
        if exploited_in in missing
        else [{"event_type": "Exploitation", "country_id": exploited_in}]
    )
    victim_record = PersonRecord(person=person, victim=victim, route_events=route)
    return CaseRecord(row=row, source_key="", case=case, people=[victim_record])


# --- export ---------------------------------------------------------------------------------


def export_header(layout: str = KANON) -> list[str]:
    _check_export_layout(layout)
    return list(layouts.KANON_COLUMNS)


def export_row(record: CaseRecord, layout: str = KANON) -> dict[str, str]:
    """The record's first victim as one kanon_2021 row; missing values are ""."""
    _check_export_layout(layout)
    case = record.case
    person = _exported_person(record)
    victim = person.victim or {}
    cells = dict.fromkeys(layouts.KANON_COLUMNS, "")
    parts = {"case": case, "person": person.person, "victim": victim}
    for column, part, field, texts in VALUE_EXPORTS:
        cells[column] = texts.get(parts[part].get(field) or "", "")
    year = case.get("registration_year")
    cells[YEAR] = "" if year is None else str(year)
    cells[CITIZENSHIP] = person.person.get("citizenship_id") or ""
    cells[EXPLOITED_IN] = _exploitation_country(person)
    cells[ABDUCTION] = BOOLEAN_CELLS.get(victim.get("abducted"), "")
    for field, column_of in FLAG_COLUMNS.items():
        _write_flags(cells, victim.get(field, EMPTY_CODES), column_of)
    _write_texts(cells, victim, case)
    return cells


VALUE_EXPORTS = tuple(
    (column, part, field, {**layouts.EXPORTED_AS.get(vocabulary, {}), **VALUE_TEXTS[vocabulary]})
    for column, (part, field, vocabulary) in layouts.VALUE_COLUMNS.items()
)
BOOLEAN_CELLS = {True: "1", False: "0"}


def _write_flags(cells: dict[str, str], codes: CodeSet, column_of: dict[str, str]) -> None:
    # Terms CTDC has no column for are not exported.
    for code in codes.present:
        if code in column_of:
            cells[column_of[code]] = "1"
    for code in codes.absent:
        if code in column_of:
            cells[column_of[code]] = "0"


def _write_texts(cells: dict[str, str], victim: dict, case: dict) -> None:
    """The derived columns: as the source wrote them when kept, else from the flags."""
    extras = case.get("source_extras") or {}
    datasource = case.get("datasource") or ""
    for column, (field, _styles) in CONCATENATIONS.items():
        written = extras.get(column)
        if written is None:
            written = concatenation(column, victim.get(field, EMPTY_CODES).present, datasource)
        cells[column] = written


def _check_export_layout(layout: str) -> None:
    if layout != KANON:
        raise ValueError(f"CTDC export writes only the {KANON} layout, not {layout!r}")


def _exported_person(record: CaseRecord) -> PersonRecord:
    """CTDC has one row per victim: the first victim, else the first person."""
    for person in record.people:
        if person.victim is not None:
            return person
    return record.people[0] if record.people else PersonRecord()


def _exploitation_country(person: PersonRecord) -> str:
    for event in person.route_events:
        if event.get("event_type") == "Exploitation" and event.get("country_id"):
            return event["country_id"]
    return ""
