"""`quipu export` writes every format from the command line, and is audited."""

import csv

import pytest
from django.core.management import call_command

from quipu.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("export_format", ["csv", "hxl", "xlsx", "json", "ctdc"])
def test_export_command_writes_each_format(region, tmp_path, export_format):
    target = tmp_path / f"cases.{export_format}"
    call_command("export", format=export_format, country="co", out=target)
    assert target.stat().st_size > 0
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.detail["format"] == export_format and entry.detail["rows"] == 1


def test_deidentified_export_leaves_names_out(region, tmp_path):
    target = tmp_path / "cases.csv"
    call_command("export", format="csv", institution="BO-POLICE", deidentified=True, out=target)
    with target.open(newline="", encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert row["case_reference"] == "BO-TEST-1" and row["victim_first_name"] == ""
