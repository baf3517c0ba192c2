"""The same import through the upload page and the API, run by the real background worker."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from quipu.audit.models import Action, AuditEntry
from quipu.cases.models import Case
from quipu.intake.models import ImportJob, JobStatus
from tests.api.helpers import api_token_for
from tests.conftest import background_tasks_run
from tests.intake.conftest import template_row, write_template

pytestmark = pytest.mark.django_db


def _work():
    background_tasks_run()


def test_upload_page_imports_in_the_background_and_shows_the_result(login, region, tmp_path):
    client = login("caseworker.pe")
    path = write_template(tmp_path / "casos.csv", [template_row(case_reference="PE-1")])
    with path.open("rb") as upload:
        response = client.post(
            reverse("intake:import_start"),
            {"file": upload, "institution": region.institution("PE-POLICE").pk, "format": "auto"},
        )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("intake:import_detail", args=[job.pk])
    _work()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.created_count == 1
    assert Case.objects.filter(owner__code="PE-POLICE", reference="PE-1").exists()
    page = client.get(reverse("intake:import_detail", args=[job.pk]))
    assert page.status_code == 200 and str(job.created_count) in page.content.decode()
    from pathlib import Path

    assert not Path(job.stored_path).exists()  # the upload is deleted once read
    assert AuditEntry.objects.filter(action=Action.CREATE, purpose="import").exists()


def test_rejected_upload_shows_each_error_and_offers_the_csv_report(login, region, tmp_path):
    client = login("caseworker.pe")
    path = write_template(
        tmp_path / "casos.csv", [template_row(case_reference="PE-2", victim_citizenship="XX")]
    )
    with path.open("rb") as upload:
        client.post(
            reverse("intake:import_start"),
            {"file": upload, "institution": region.institution("PE-POLICE").pk, "format": "auto"},
        )
    _work()
    job = ImportJob.objects.get()
    assert job.status == JobStatus.REJECTED
    report = client.get(reverse("intake:import_report", args=[job.pk])).content.decode()
    assert "2,victim_citizenship," in report
    assert not Case.objects.filter(reference="PE-2").exists()


def test_api_import_returns_202_and_the_job_reports_field_errors(region, tmp_path):
    client = APIClient()
    user = region.user("focal.ar")
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    path = write_template(tmp_path / "cases.csv", [template_row(case_reference="AR-9", phone="12")])
    with path.open("rb") as upload:
        response = client.post(
            reverse("api:imports"),
            {"file": upload, "institution": "AR-SHELTER"},
            format="multipart",
        )
    assert response.status_code == 202
    _work()
    body = client.get(response.json()["url"]).json()
    assert body["status"] == "rejected"
    assert body["errors"] == [
        {"row": 2, "column": "phone", "message": body["errors"][0]["message"]}
    ]


def test_api_refuses_an_institution_of_another_country_with_a_field_path(region, tmp_path):
    client = APIClient()
    user = region.user("focal.ar")
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    path = write_template(tmp_path / "cases.csv", [template_row()])
    with path.open("rb") as upload:
        response = client.post(
            reverse("api:imports"), {"file": upload, "institution": "BR-POLICE"}, format="multipart"
        )
    assert response.status_code == 400
    assert "institution" in response.json()
    assert not ImportJob.objects.exists()


def test_a_queued_upload_says_how_many_background_jobs_are_ahead_of_it(login, region, tmp_path):
    from quipu.linkage.tasks import encodings_refresh_task

    for _ in range(2):
        encodings_refresh_task.enqueue([])  # work queued before the upload
    client = login("caseworker.pe")
    path = write_template(tmp_path / "casos.csv", [template_row(case_reference="PE-1")])
    with path.open("rb") as upload:
        client.post(
            reverse("intake:import_start"),
            {"file": upload, "institution": region.institution("PE-POLICE").pk, "format": "auto"},
        )
    job = ImportJob.objects.get()
    detail = reverse("intake:import_detail", args=[job.pk])

    spanish = client.get(detail, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="es").content
    assert "Esperando a que terminen primero 2 tareas en segundo plano." in spanish.decode()
    portuguese = client.get(detail, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="pt-BR")
    assert "Aguardando a conclusão de 2 tarefas" in portuguese.content.decode()

    _work()
    done = client.get(detail, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "1 casos nuevos" in done and "Esperando" not in done


def test_import_counts_are_grouped_as_the_reader_writes_numbers(login, region):
    owner = region.institution("PE-POLICE")
    job = ImportJob.objects.create(
        owner=owner,
        file_name="ctdc.csv",
        stored_path="/nonexistent",
        status=JobStatus.DONE,
        rows_total=97750,
        created_count=97750,
    )
    client = login("caseworker.pe")
    detail = reverse("intake:import_detail", args=[job.pk])
    portuguese = client.get(detail, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="pt-BR")
    assert "97.750 linhas: 97.750 casos novos" in portuguese.content.decode()
    english = client.get(detail, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    assert "97,750 rows: 97,750 new cases" in english.content.decode()


def test_a_running_import_shows_how_far_it_is_through_the_file(
    login, region, tmp_path, monkeypatch
):
    from quipu.intake import imports, progress

    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    seen = []

    def progress_seen(job_id, **state):
        seen.append(state)
        progress.progress_set(job_id, **state)

    monkeypatch.setattr(imports, "progress_set", progress_seen)
    rows = [template_row(case_reference=f"PE-{n}") for n in range(5)]
    client = login("caseworker.pe")
    with write_template(tmp_path / "casos.csv", rows).open("rb") as upload:
        client.post(
            reverse("intake:import_start"),
            {"file": upload, "institution": region.institution("PE-POLICE").pk, "format": "auto"},
        )
    _work()
    running = [state for state in seen if state["phase"] == JobStatus.WRITING]
    assert [(state["done"], state["total"]) for state in running] == [(2, 5), (4, 5)]

    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.WRITING, finished_at=None)
    progress.progress_set(job.pk, phase=JobStatus.WRITING, done=4, total=5)
    detail = reverse("intake:import_detail", args=[job.pk])
    spanish = client.get(detail, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="es").content
    assert '<progress max="5" value="4">' in spanish.decode()
    assert "4 de unas 5 filas procesadas." in spanish.decode()
    portuguese = client.get(detail, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="pt-BR")
    assert "4 de cerca de 5 linhas processadas." in portuguese.content.decode()
