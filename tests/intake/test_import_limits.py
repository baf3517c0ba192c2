"""Bounded input (issue 13, finding 8): hostile files are refused before they are parsed, with
a translated message that names the limit and the row, and nothing is written. The files are
built for real and are as small on disk as an attacker's."""

import csv
import io

import pytest
from django.utils import translation

from quipu.cases.models import Case
from quipu.errors import InvalidInput
from quipu.file_limits import FileRefused
from quipu.intake.formats.quipu_template import NAMES
from quipu.intake.imports import import_file
from quipu.intake.models import ImportJob, JobStatus
from quipu.intake.services import import_job_create
from tests.conftest import background_tasks_run
from tests.intake.conftest import template_row, write_template
from tests.intake.hostile_files import (
    inline_row,
    many_rows_xlsx,
    template_sheet,
    zip_bomb_xlsx,
)

pytestmark = pytest.mark.django_db


def _refused(path, owner) -> FileRefused:
    before = Case.objects.count()
    with pytest.raises(FileRefused) as refused:
        import_file(path=path, owner=owner)
    assert Case.objects.count() == before
    return refused.value


def _english(error: FileRefused) -> str:
    with translation.override("en"):
        return str(error.message)


def test_rule4_a_zip_bomb_xlsx_fails_its_job_on_its_unpacked_size_and_writes_nothing(
    region, tmp_path
):
    path = zip_bomb_xlsx(tmp_path / "bomb.xlsx", unpacked_mb=1024)
    before = Case.objects.count()
    assert path.stat().st_size < 2 * 1024 * 1024  # 1 GiB unpacked from a file of about 1 MB
    job = import_job_create(
        actor=region.user("caseworker.pe"),
        owner=region.institution("PE-POLICE"),
        upload=path.open("rb"),
        file_name="bomb.xlsx",
    )
    background_tasks_run()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.failure_code == "too_large_unpacked"
    assert job.rows_total == 0 and Case.objects.count() == before
    [entry] = job.errors
    assert entry["msgid"].startswith("The file unpacks to more than %(limit)s MB")
    assert entry["params"] == {"limit": 512}


def test_a_sheet_of_five_million_rows_is_refused_at_the_row_limit_before_openpyxl_reads_it(
    region, tmp_path
):
    path = many_rows_xlsx(tmp_path / "rows.xlsx", rows=5_000_000)
    assert path.stat().st_size < 1024 * 1024
    error = _refused(path, region.institution("PE-POLICE"))
    assert error.code == "too_many_rows" and error.row == 1_000_002
    assert _english(error) == (
        "Row 1000002: the file has more than 1000000 rows, the most allowed."
    )


def test_a_sheet_whose_dimension_claims_millions_of_rows_is_refused_by_it(region, tmp_path):
    path = template_sheet(tmp_path / "claims.xlsx", [], dimension="A1:AJ5000000")
    error = _refused(path, region.institution("PE-POLICE"))
    assert error.code == "too_many_rows" and error.row == 5_000_000


def test_a_sheet_whose_dimension_spans_every_column_is_refused(region, tmp_path):
    path = template_sheet(tmp_path / "wide.xlsx", [], dimension="A1:XFD2")
    error = _refused(path, region.institution("PE-POLICE"))
    assert _english(error) == "Row 1 has more than 1000 columns, the most allowed."


def test_a_sheet_row_of_too_many_cells_is_refused_before_it_is_parsed(region, tmp_path):
    row = b'<row r="2">' + b"<c><v>1</v></c>" * 5000 + b"</row>"
    path = template_sheet(tmp_path / "cells.xlsx", [row])
    error = _refused(path, region.institution("PE-POLICE"))
    assert error.code == "too_many_columns" and error.row == 2


def test_a_csv_with_a_million_columns_is_refused_naming_the_limit(region, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(NAMES) + ",x" * 1_000_000 + "\n", encoding="utf-8")
    error = _refused(path, region.institution("PE-POLICE"))
    assert _english(error) == "Row 1 has more than 1000 columns, the most allowed."


def test_a_csv_row_of_a_million_columns_is_refused_at_its_row(region, tmp_path):
    path = write_template(tmp_path / "wide.csv", [template_row()])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("x" + ",x" * 1_000_000 + "\n")
    error = _refused(path, region.institution("PE-POLICE"))
    assert error.code == "too_many_columns" and error.row == 3


def test_a_100_mb_cell_is_refused_as_a_cell_too_long_not_as_bad_csv(region, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(NAMES) + "\n")
        handle.write("CO-1,TIP,")
        for _ in range(100):
            handle.write("A" * (1 << 20))
        handle.write("\n")
    error = _refused(path, region.institution("PE-POLICE"))
    assert _english(error) == ("Row 2: a cell is longer than 32767 characters, the most allowed.")


def test_a_row_larger_than_the_row_limit_is_refused_and_never_split(region, tmp_path):
    path = tmp_path / "long.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(NAMES) + "\n")
        handle.write(",".join(["B" * 30_000] * 300) + "\n")  # 9 MB, every cell allowed
    error = _refused(path, region.institution("PE-POLICE"))
    assert error.code == "row_too_large" and error.row == 2
    assert _english(error) == "Row 2 holds more than 8 MB, the most a row may hold."


def test_a_long_cell_in_an_xlsx_is_refused_naming_its_row_and_column(region, tmp_path):
    # Written as XML: openpyxl itself cuts what it writes at Excel's 32,767 characters.
    row = template_row(case_reference="PE-LONG", transit_city="C" * 100_000)
    path = template_sheet(tmp_path / "long.xlsx", [inline_row(2, [row[n] for n in NAMES])])
    error = _refused(path, region.institution("PE-POLICE"))
    assert error.code == "cell_too_long" and (error.row, error.column) == (2, "transit_city")
    assert _english(error) == ("Row 2: a cell is longer than 32767 characters, the most allowed.")


def test_the_limits_are_settings(region, tmp_path, settings):
    settings.QUIPU_IMPORT_MAX_ROWS = 2
    settings.QUIPU_IMPORT_MAX_COLUMNS = 40
    rows = [template_row(case_reference=f"PE-{n}") for n in range(3)]
    path = write_template(tmp_path / "three.csv", rows)
    error = _refused(path, region.institution("PE-POLICE"))
    assert error.row == 4 and error.params == {"row": 4, "limit": 2}
    settings.QUIPU_IMPORT_MAX_UNPACKED_MB = 1
    error = _refused(
        zip_bomb_xlsx(tmp_path / "two.xlsx", unpacked_mb=2), region.institution("PE-POLICE")
    )
    assert error.params == {"limit": 1}


def test_a_refusal_is_shown_in_the_readers_language_on_the_page_and_the_api(
    login, region, tmp_path
):
    from django.urls import reverse
    from rest_framework.test import APIClient

    from tests.api.helpers import api_token_for

    path = template_sheet(tmp_path / "claims.xlsx", [], dimension="A1:AJ5000000")
    client = login("caseworker.pe")
    with path.open("rb") as upload:
        client.post(
            reverse("intake:import_start"),
            {"file": upload, "institution": region.institution("PE-POLICE").pk, "format": "auto"},
        )
    background_tasks_run()
    job = ImportJob.objects.get()
    page = client.get(reverse("intake:import_detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="es")
    spanish = "Fila 5000000: el archivo tiene más de 1000000 filas, el máximo permitido."
    assert spanish in page.content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(region.user('caseworker.pe'))}")
    body = api.get(reverse("api:import", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="pt-BR").json()
    translation.deactivate()  # the request's language would stay on for the next tests
    assert body["status"] == "failed"
    assert body["errors"][0]["message"] == (
        "Linha 5000000: o arquivo tem mais de 1000000 linhas, o máximo permitido."
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_utf16_and_utf8_csv_with_a_byte_order_mark_are_read(region, tmp_path, encoding):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, NAMES)
    writer.writeheader()
    writer.writerow(template_row(case_reference="PE-Ñandú"))
    text = buffer.getvalue().encode(encoding)
    if encoding == "utf-16-be":
        text = b"\xfe\xff" + text  # Python writes the mark only for "utf-16"
    path = tmp_path / "cases.csv"
    path.write_bytes(text)
    result = import_file(path=path, owner=region.institution("PE-POLICE"))
    assert result.ok, result.errors
    assert Case.objects.filter(reference="PE-Ñandú").exists()


def test_utf16_without_its_byte_order_mark_is_still_refused_as_not_text(region, tmp_path):
    path = write_template(tmp_path / "cases.csv", [template_row()])
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    with pytest.raises(InvalidInput) as refused:
        import_file(path=path, owner=region.institution("PE-POLICE"))
    assert refused.value.code == "binary_file"


def test_the_check_counts_an_xlsx_sheets_rows_so_the_progress_bar_needs_no_second_parse(
    tmp_path,
):
    from quipu.intake.readers import open_sheet

    rows = [b"<row><c><v>%d</v></c></row>" % n for n in range(7)]
    sheet = open_sheet(template_sheet(tmp_path / "seven.xlsx", rows))  # no <dimension>
    assert sheet.rows_estimate == 7
    assert [number for number, _cells in sheet.rows] == [2, 3, 4, 5, 6, 7, 8]
