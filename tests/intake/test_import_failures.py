"""A damaged file, or any failure of the import (issue 13, finding 9), ends the job: the page
and the API say it failed, in the reader's language, the command line prints the message
without a traceback and exits non-zero, and nothing is half-written."""

import functools
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from rest_framework.test import APIClient

from quipu.cases.models import Case
from quipu.intake.formats.quipu_template import NAMES
from quipu.intake.imports import UNEXPECTED_FAILURE
from quipu.intake.models import ImportJob, JobStatus
from tests.api.helpers import api_token_for
from tests.conftest import background_tasks_run
from tests.intake.conftest import template_row

pytestmark = pytest.mark.django_db
NOT_XLSX_ES = "El archivo no es un libro XLSX válido."
NOT_XLSX_PT = "O arquivo não é uma pasta de trabalho XLSX válida."


@functools.cache
def _workbook_bytes(rows: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(NAMES)
    for number in range(rows):
        row = template_row(case_reference=f"PE-D-{number}")
        sheet.append([row[name] for name in NAMES])
    made = io.BytesIO()
    workbook.save(made)
    return made.getvalue()


def _workbook(path: Path, rows: int) -> Path:
    path.write_bytes(_workbook_bytes(rows))
    return path


def damaged_in_the_middle(path: Path) -> Path:
    """20,000 rows whose sheet's compressed data is overwritten half way: the zip's directory
    is intact, so the file opens, and reading stops around row 10,000."""
    _workbook(path, 20_000)
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    start = member.header_offset + 30 + len(member.filename) + len(member.extra)
    middle = start + member.compress_size // 2
    data[middle : middle + 4096] = bytes(4096)
    path.write_bytes(bytes(data))
    return path


def truncated(path: Path) -> Path:
    _workbook(path, 200)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def wrong_content(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(2048))
    return path


DAMAGED = [damaged_in_the_middle, truncated, wrong_content]


def _upload(client, region, path: Path) -> ImportJob:
    with path.open("rb") as upload:
        client.post(
            reverse("intake:import_start"),
            {"file": upload, "institution": region.institution("PE-POLICE").pk, "format": "auto"},
        )
    return ImportJob.objects.get()


@pytest.mark.parametrize("damage", DAMAGED, ids=lambda damage: damage.__name__)
def test_a_damaged_xlsx_fails_its_job_and_the_page_says_so_in_spanish(
    login, region, tmp_path, damage
):
    before = Case.objects.count()
    client = login("caseworker.pe")
    job = _upload(client, region, damage(tmp_path / "casos.xlsx"))
    background_tasks_run()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.failure_code == "bad_xlsx"
    assert Case.objects.count() == before  # nothing half-written
    page = client.get(
        reverse("intake:import_detail", args=[job.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="es",
    ).content.decode()
    assert "hx-trigger" not in page  # the page stops polling: the job is over
    assert "Nada se guardó" in page and NOT_XLSX_ES in page
    assert not Path(job.stored_path).exists()


def test_a_damaged_xlsx_fails_its_job_on_the_api_in_the_readers_language(region, tmp_path):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(region.user('focal.ar'))}")
    path = damaged_in_the_middle(tmp_path / "cases.xlsx")
    with path.open("rb") as upload:
        response = client.post(
            reverse("api:imports"),
            {"file": upload, "institution": "AR-SHELTER"},
            format="multipart",
        )
    background_tasks_run()
    body = client.get(response.json()["url"], HTTP_ACCEPT_LANGUAGE="pt-BR").json()
    translation.deactivate()  # the request's language would stay on for the next tests
    assert body["status"] == "failed" and body["finished_at"]
    assert body["errors"] == [{"row": 0, "column": "", "message": NOT_XLSX_PT}]


def test_an_unexpected_failure_in_the_task_fails_the_job_with_a_translated_message(
    login, region, tmp_path
):
    client = login("caseworker.pe")
    path = tmp_path / "casos.csv"
    path.write_text(",".join(NAMES) + "\n", encoding="utf-8")
    job = _upload(client, region, path)
    Path(job.stored_path).unlink()  # the stored upload is gone before the worker reads it
    background_tasks_run()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.failure_code == "unexpected"
    assert job.errors == [{"row": 0, "column": "", "msgid": UNEXPECTED_FAILURE}]
    page = client.get(reverse("intake:import_detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="es")
    with translation.override("es"):
        spanish = translation.gettext(UNEXPECTED_FAILURE)
    assert spanish != UNEXPECTED_FAILURE and spanish in page.content.decode()


@pytest.mark.parametrize("damage", DAMAGED, ids=lambda damage: damage.__name__)
def test_the_command_line_prints_the_translated_message_for_a_damaged_xlsx(
    region, tmp_path, damage
):
    before = Case.objects.count()
    path = damage(tmp_path / "cases.xlsx")
    with translation.override("es"), pytest.raises(CommandError) as failed:
        call_command("import", str(path), institution="PE-POLICE")
    assert str(failed.value) == NOT_XLSX_ES
    assert Case.objects.count() == before


def _quipu() -> str:
    found = Path(sys.executable).with_name("quipu")
    return str(found) if found.exists() else (shutil.which("quipu") or "")


@pytest.mark.skipif(not _quipu(), reason="the quipu console script is not installed")
def test_quipu_import_of_a_damaged_xlsx_exits_non_zero_without_a_traceback(tmp_path):
    env = {
        **os.environ,
        "QUIPU_VAR_DIR": str(tmp_path),
        "QUIPU_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([_quipu(), "migrate", "-v", "0"], env=env, check=True, timeout=600)
    create = (
        "from quipu.tenancy.models import Country, Institution;"
        "Institution.objects.create(code='PE-POLICE', name='Police', kind='police',"
        " country=Country.objects.get_or_create(code='PE', defaults={'alpha3': 'PER',"
        " 'name_en': 'Peru', 'name_es': 'Perú', 'name_pt': 'Peru'})[0])"
    )
    subprocess.run([_quipu(), "shell", "-c", create], env=env, check=True, timeout=120)
    path = damaged_in_the_middle(tmp_path / "cases.xlsx")
    result = subprocess.run(
        [_quipu(), "import", str(path), "--institution", "PE-POLICE"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert NOT_XLSX_ES in result.stderr
