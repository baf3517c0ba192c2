"""Exports: background jobs, scoped, audited, personal fields only for those who may read them."""

import csv
import json
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from quipu.audit.models import Action, AuditEntry
from quipu.cases.models import Person
from quipu.intake.exports import cell_safe
from quipu.intake.models import ExportJob, JobStatus
from tests.conftest import background_tasks_run

pytestmark = pytest.mark.django_db


def _export(client, export_format="csv", **filters):
    response = client.post(
        reverse("intake:export_start"), {"export_format": export_format, **filters}
    )
    assert response.status_code == 302
    background_tasks_run()
    job = ExportJob.objects.latest("created_at")
    assert job.status == JobStatus.DONE
    return job


def _csv_rows(job) -> list[list[str]]:
    with open(job.stored_path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_focal_point_exports_their_countrys_cases_with_personal_data(login, region):
    client = login("focal.co")
    job = _export(client)
    header, *rows = _csv_rows(job)
    assert [r[header.index("case_reference")] for r in rows] == ["CO-TEST-1"]
    assert rows[0][header.index("victim_first_name")] == "NombreCO"
    assert job.includes_personal
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.detail["rows"] == 1 and entry.detail["personal"] is True


def test_analyst_export_leaves_personal_fields_out(login, region):
    job = _export(login("analyst.co"))
    header, *rows = _csv_rows(job)
    assert rows[0][header.index("victim_first_name")] == ""
    assert rows[0][header.index("phone")] == ""
    assert rows[0][header.index("victim_citizenship")] == "CO"
    assert not job.includes_personal


def test_hxl_variant_carries_hashtags_on_its_second_row(login, region):
    header, tags, *_ = _csv_rows(_export(login("prosecutor.pe"), "hxl"))
    assert tags[header.index("case_reference")] == "#case+id"
    assert all(tag.startswith("#") for tag in tags)


def test_xlsx_and_json_exports_hold_the_same_rows(login, region):
    client = login("focal.ar")
    workbook = load_workbook(_export(client, "xlsx").stored_path, read_only=True)
    sheet_rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert sheet_rows[1][0] == "AR-TEST-1"
    data = json.loads(Path(_export(client, "json").stored_path).read_text())
    assert data[0]["case_reference"] == "AR-TEST-1"


def test_exports_neutralise_spreadsheet_formulas(login, region):
    Person.objects.filter(first_name="NombreEC").update(first_name='=HYPERLINK("http://x")')
    header, *rows = _csv_rows(_export(login("focal.ec")))
    assert rows[0][header.index("victim_first_name")] == '\'=HYPERLINK("http://x")'
    for value in ("=1+1", "+1", "-1", "@SUM(A1)"):
        assert cell_safe(value).startswith("'")
    assert cell_safe("Lima") == "Lima"


def test_only_the_requester_downloads_an_export_and_the_download_is_audited(login, region, client):
    job = _export(login("focal.uy"))
    response = client.get(reverse("intake:export_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"UY-TEST-1" in b"".join(response.streaming_content)
    assert AuditEntry.objects.filter(action=Action.EXPORT, detail__download=True).exists()
    login("prosecutor.uy")
    assert client.get(reverse("intake:export_download", args=[job.pk])).status_code == 404


def test_export_filters_follow_the_list(login, region):
    job = _export(login("focal.cl"), exploitation="ForcedLabour")
    assert job.rows_total == 0
