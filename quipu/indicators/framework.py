"""The framework's columns and the rules a row must meet: one declaration for the default
data file, the XLSX import and the edit page."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from quipu.indicators.formulas import POPULATION, FormulaError, formula_check
from quipu.indicators.models import (
    Aggregation,
    CaseMeasure,
    Computation,
    DataSource,
    Disaggregation,
    Periodicity,
    Unit,
)
from quipu.tenancy.models import InstitutionKind

AXIS_COLUMNS = ["code", "order", "name_es", "name_pt", "name_en"]
INDICATOR_COLUMNS = [
    "code",
    "axis",
    "order",
    "name_es",
    "name_pt",
    "name_en",
    "definition_es",
    "definition_pt",
    "definition_en",
    "unit",
    "disaggregations",
    "periodicity",
    "data_source",
    "reference",
    "responsible_kind",
    "computation",
    "case_measure",
    "aggregation",
    "numerator",
    "denominator",
    "factor",
    "is_active",
]
REQUIRED_TEXT = ["name_es", "name_pt", "name_en"]
CODE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
_TRUE = {"yes", "true", "1", "sí", "si", "sim"}
_FALSE = {"no", "false", "0", "não", "nao"}


@dataclass(frozen=True)
class RowError:
    """A problem with one cell: the sheet's row number, the column and a translated message."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _choice(value: str, choices, column: str, problems: list) -> str:
    if value not in choices.values:
        problems.append(
            (
                column,
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(choices.values)},
            )
        )
    return value


def _whole(value: str, column: str, problems: list, *, default: int | None) -> int | None:
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        problems.append((column, _("“%(value)s” is not a whole number.") % {"value": value}))
        return default
    return number


def axis_row_clean(raw: dict) -> tuple[dict, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    values = {column: _text(raw.get(column)) for column in AXIS_COLUMNS}
    if not CODE.match(values["code"]):
        problems.append(("code", _("A code of letters, digits, - or _ is required.")))
    values["order"] = _whole(values["order"], "order", problems, default=0)
    for column in REQUIRED_TEXT:
        if not values[column]:
            problems.append((column, _("This is required.")))
    return values, problems


def indicator_row_clean(raw: dict) -> tuple[dict, list[tuple[str, str]]]:
    """Parse one row of text into model values; return (values, [(column, message)])."""
    problems: list[tuple[str, str]] = []
    text = {column: _text(raw.get(column)) for column in INDICATOR_COLUMNS}
    values: dict = dict(text)
    if not CODE.match(text["code"]):
        problems.append(("code", _("A code of letters, digits, - or _ is required.")))
    elif text["code"].upper() == POPULATION:
        problems.append(("code", _("POPULATION is reserved for population figures.")))
    values["order"] = _whole(text["order"], "order", problems, default=0)
    for column in [*REQUIRED_TEXT, "definition_es", "definition_pt", "definition_en", "axis"]:
        if not text[column]:
            problems.append((column, _("This is required.")))
    if not text["reference"]:
        problems.append(("reference", _("Say which public framework the indicator comes from.")))
    _choice(text["unit"], Unit, "unit", problems)
    _choice(text["periodicity"], Periodicity, "periodicity", problems)
    _choice(text["data_source"], DataSource, "data_source", problems)
    _choice(text["computation"], Computation, "computation", problems)
    if text["responsible_kind"]:
        _choice(text["responsible_kind"], InstitutionKind, "responsible_kind", problems)
    parts = [part.strip() for part in text["disaggregations"].split(",") if part.strip()]
    for part in parts:
        _choice(part, Disaggregation, "disaggregations", problems)
    values["disaggregations"] = list(dict.fromkeys(parts))
    values["factor"] = _whole(text["factor"], "factor", problems, default=None)
    active = text["is_active"].casefold()
    if active and active not in _TRUE | _FALSE:
        problems.append(("is_active", _("Write yes or no.")))
    values["is_active"] = active not in _FALSE
    problems += indicator_rules_check(values)
    return values, problems


def indicator_rules_check(values: dict) -> list[tuple[str, str]]:
    """The cross-field rules of an indicator, for the import and the edit page alike."""
    problems: list[tuple[str, str]] = []
    computation = values.get("computation")
    if computation == Computation.CASE_DATA:
        if values.get("case_measure") not in CaseMeasure.values:
            problems.append(("case_measure", _("Indicators from case data need a case measure.")))
    elif values.get("case_measure"):
        problems.append(("case_measure", _("Only indicators from case data have a case measure.")))
    if computation == Computation.SURVEY:
        if values.get("aggregation") not in Aggregation.values:
            problems.append(
                ("aggregation", _("Indicators from survey answers need an aggregation rule."))
            )
        elif (
            values["aggregation"] in (Aggregation.ANY, Aggregation.ALL)
            and values.get("unit") != Unit.YES_NO
        ):
            problems.append(("aggregation", _("The rules any and all are for yes/no indicators.")))
    elif values.get("aggregation"):
        problems.append(
            ("aggregation", _("Only indicators from survey answers have an aggregation rule."))
        )
    if computation == Computation.FORMULA:
        if not values.get("numerator"):
            problems.append(("numerator", _("Formula indicators need a numerator.")))
        for column in ("numerator", "denominator"):
            if values.get(column):
                try:
                    references = formula_check(values[column])
                except FormulaError:
                    problems.append((column, _("Not a valid formula.")))
                    continue
                if values.get("code") in references:
                    problems.append((column, _("An indicator cannot refer to itself.")))
    else:
        for column in ("numerator", "denominator", "factor"):
            if values.get(column):
                problems.append((column, _("Only formula indicators have this.")))
    return problems


def formula_reference_problems(indicators: dict[str, dict]) -> dict[str, list[tuple[str, str]]]:
    """Per code: formulas naming unknown indicators, or going round in a circle."""
    problems: dict[str, list[tuple[str, str]]] = {}
    graph: dict[str, set[str]] = {}
    for code, values in indicators.items():
        graph[code] = set()
        for column in ("numerator", "denominator"):
            try:
                references = formula_check(values.get(column) or "")
            except FormulaError:
                continue  # reported by the row's own check
            for reference in references:
                if reference == POPULATION:
                    continue
                if reference not in indicators:
                    problems.setdefault(code, []).append(
                        (
                            column,
                            _("No indicator has the code %(code)s.") % {"code": reference},
                        )
                    )
                else:
                    graph[code].add(reference)
    for code in graph:
        if _reaches(graph, code, code, set()):
            problems.setdefault(code, []).append(
                ("numerator", _("The formulas refer to each other in a circle."))
            )
    return problems


def _reaches(graph: dict[str, set[str]], start: str, target: str, seen: set[str]) -> bool:
    for nxt in graph.get(start, ()):
        if nxt == target:
            return True
        if nxt not in seen:
            seen.add(nxt)
            if _reaches(graph, nxt, target, seen):
                return True
    return False
