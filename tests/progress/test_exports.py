"""Exports of indicator values: CSV, XLSX and DHIS2 dataValueSets, from the command line."""

import csv
import io
import json

import jsonschema
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from quipu.audit.models import AuditEntry
from quipu.progress.exports import dhis2_validate

pytestmark = pytest.mark.django_db


def _export(tmp_path, fmt, *extra):
    out = tmp_path / f"values.{fmt}"
    call_command("indicators", "export", "--format", fmt, "--period", "2025", "--out", out, *extra)
    return out


def _csv_rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_dhis2_export_validates_against_the_data_value_set_structure(chile, tmp_path):
    payload = json.loads(_export(tmp_path, "dhis2").read_text(encoding="utf-8"))
    dhis2_validate(payload)
    chile_values = {
        v["dataElement"]: v["value"] for v in payload["dataValues"] if v["orgUnit"] == "CL"
    }
    assert chile_values["PROT-01"] == "15"
    assert chile_values["PREV-01"] == "true"  # yes/no is DHIS2's BOOLEAN
    assert chile_values["PREV-03"] == "9"  # accepted answers only: the pending 6 stays out
    assert "PROT-03" not in chile_values  # 4 girls: suppressed, so not sent
    assert {v["period"] for v in payload["dataValues"]} == {"2025"}


def test_dhis2_structure_check_rejects_what_dhis2_would_refuse():
    with pytest.raises(jsonschema.ValidationError):
        dhis2_validate({"dataValues": [{"dataElement": "X", "period": "2025", "value": "1"}]})
    with pytest.raises(jsonschema.ValidationError):  # values are strings in DHIS2
        dhis2_validate(
            {"dataValues": [{"dataElement": "X", "period": "2025", "orgUnit": "CL", "value": 1}]}
        )
    with pytest.raises(jsonschema.ValidationError):
        dhis2_validate(
            {"dataValues": [{"dataElement": "X", "period": "25", "orgUnit": "CL", "value": "1"}]}
        )


def test_dhis2_org_units_can_be_mapped_to_a_national_code(chile, tmp_path):
    out = _export(tmp_path, "dhis2", "--country", "CL", "--org-unit", "CL=ChileNational")
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert {v["orgUnit"] for v in payload["dataValues"]} == {"ChileNational"}


def test_csv_export_marks_suppressed_and_missing_values(chile, tmp_path):
    rows = _csv_rows(_export(tmp_path, "csv"))
    chile_rows = {
        (r["indicator"], r["disaggregation"], r["category"]): r
        for r in rows
        if r["country"] == "CL"
    }
    assert chile_rows[("PROT-01", "", "total")]["value"] == "15"
    assert chile_rows[("PROT-03", "", "total")]["state"] == "suppressed"
    assert chile_rows[("PROT-03", "", "total")]["value"] == ""
    assert chile_rows[("PROT-08", "", "total")]["state"] == "no_data"
    assert chile_rows[("PROT-01", "sex", "other_or_unknown")]["value"] == "0"
    assert chile_rows[("PROT-01", "sex", "male")]["state"] == "suppressed"
    assert {r["country"] for r in rows} == {
        "AR",
        "BO",
        "BR",
        "CL",
        "CO",
        "EC",
        "PE",
        "PY",
        "UY",
        "VE",
    }


def test_one_country_without_suppression_shows_its_small_counts(chile, tmp_path):
    rows = _csv_rows(_export(tmp_path, "csv", "--country", "CL", "--no-suppress"))
    by_key = {(r["indicator"], r["category"]): r["value"] for r in rows if not r["disaggregation"]}
    assert by_key[("PROT-03", "total")] == "4"
    assert by_key[("PROT-04", "total")] == "26.7"


def test_xlsx_export_holds_numbers_as_numbers(chile, tmp_path):
    sheet = load_workbook(_export(tmp_path, "xlsx")).active
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    total = next(
        r
        for r in rows
        if r["country"] == "CL" and r["indicator"] == "PROT-01" and r["category"] == "total"
    )
    assert total["value"] == 15


def test_export_is_audited_without_values(chile, tmp_path):
    _export(tmp_path, "csv")
    entry = AuditEntry.objects.filter(object_type="progress.indicatorvalue").latest("seq")
    assert entry.action == "export"
    assert entry.detail["format"] == "csv" and entry.detail["suppressed"] is True


@pytest.mark.parametrize(
    "arguments",
    [
        ("--period", "last"),
        ("--period", "2025", "--country", "XX"),
        ("--period", "2025", "--no-suppress"),
    ],
)
def test_export_command_refuses_bad_arguments(chile, tmp_path, arguments):
    with pytest.raises(CommandError):
        call_command(
            "indicators", "export", "--format", "csv", "--out", tmp_path / "x.csv", *arguments
        )
    assert not (tmp_path / "x.csv").exists()
