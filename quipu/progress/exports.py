"""Indicator values for one period as CSV, XLSX and DHIS2 `dataValueSets` JSON.

Exports are regional views unless a country reads its own figures: accepted answers only,
small case counts suppressed (a suppressed or missing value is a row marked as such in CSV and
XLSX, and is left out of DHIS2, which has no empty values). CSV and XLSX also carry the
disaggregations of case-data indicators; DHIS2 gets national totals, because category option
combos are each DHIS2's own metadata.
"""

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
from django.utils.translation import gettext as _
from openpyxl import Workbook

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.indicators.models import Unit
from quipu.progress.breakdowns import indicator_breakdowns
from quipu.progress.selectors import Reading
from quipu.progress.values import HAS_VALUE, IndicatorValue, active_indicators, period_values
from quipu.stats.categories import TOTAL

FORMATS = ("csv", "xlsx", "dhis2")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "dhis2": "application/json",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "dhis2": "json"}
COLUMNS = (
    "period",
    "country",
    "axis",
    "indicator",
    "indicator_name",
    "unit",
    "disaggregation",
    "category",
    "value",
    "state",
    "pending",
)
SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "dhis2_data_value_set.schema.json"


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def export_rows(*, period: str, countries: list[str], reading: Reading) -> list[dict]:
    """One row per indicator and country (and per category where disaggregated)."""
    indicators = active_indicators()
    values = period_values(
        period=period,
        countries=countries,
        include_pending=reading.include_pending,
        suppress=reading.suppress,
        indicators=indicators,
    )
    rows = []
    for indicator in indicators:
        base = {
            "period": period,
            "axis": indicator.axis.code,
            "indicator": indicator.code,
            "indicator_name": indicator.name,
            "unit": indicator.unit,
        }
        splits = indicator_breakdowns(
            indicator=indicator,
            countries=countries,
            period=period,
            suppress=reading.suppress,
            totals=values,
        )
        for country in countries:
            rows.append(_row(base, country, "", TOTAL, values[country][indicator.code]))
            for by, split in splits.items():
                for category, value in split[country].items():
                    rows.append(_row(base, country, by, category, value))
    return rows


def _row(base: dict, country: str, by: str, category: str, value: IndicatorValue) -> dict:
    return {
        **base,
        "country": country,
        "disaggregation": by,
        "category": category,
        "value": _text(value.value),
        "state": value.state,
        "pending": "yes" if value.pending else "no",
    }


def rows_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def rows_xlsx(rows: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Indicator values")[:31]
    sheet.append(COLUMNS)
    for row in rows:
        cells = [row[column] for column in COLUMNS]
        if row["value"] != "":
            cells[COLUMNS.index("value")] = float(Decimal(row["value"]))
        sheet.append(cells)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _dhis2_value(unit: str, value: str) -> str:
    if unit == Unit.YES_NO:  # DHIS2's BOOLEAN value type
        return "true" if Decimal(value) == 1 else "false"
    return value


def rows_dhis2(rows: list[dict], *, org_units: dict[str, str] | None = None) -> dict:
    """A `dataValueSets` payload of the accepted national totals that have a value; data
    elements and org units by code (import with idScheme=CODE). `org_units` maps ISO codes to
    a DHIS2's own org unit codes. Pending answers never leave for another system."""
    org_units = org_units or {}
    data_values = [
        {
            "dataElement": row["indicator"],
            "period": row["period"],
            "orgUnit": org_units.get(row["country"], row["country"]),
            "value": _dhis2_value(row["unit"], row["value"]),
        }
        for row in rows
        if row["disaggregation"] == "" and row["state"] == HAS_VALUE and row["pending"] == "no"
    ]
    payload = {"dataValues": data_values}
    dhis2_validate(payload)
    return payload


def dhis2_validate(payload: dict) -> None:
    """Raise jsonschema.ValidationError unless `payload` has DHIS2's dataValueSets structure."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.validate(payload, schema, cls=jsonschema.Draft202012Validator)


def export_bytes(
    *,
    format: str,
    period: str,
    countries: list[str],
    reading: Reading,
    actor=None,
    request=None,
    org_units: dict[str, str] | None = None,
) -> bytes:
    """The file's content; audited as an export of indicator values."""
    rows = export_rows(period=period, countries=countries, reading=reading)
    if format == "csv":
        content = rows_csv(rows)
    elif format == "xlsx":
        content = rows_xlsx(rows)
    elif format == "dhis2":
        payload = rows_dhis2(rows, org_units=org_units)
        content = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
    else:
        raise ValueError(format)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="progress.indicatorvalue",
        detail={
            "format": format,
            "period": period,
            "countries": countries,
            "suppressed": reading.suppress,
            "pending": reading.include_pending,
            "rows": len(rows),
        },
        request=request,
    )
    return content
