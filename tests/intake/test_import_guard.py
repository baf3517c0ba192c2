"""An import whose rows mostly concern other countries, or a pooled CTDC file, is written into
a national institution only once the user confirms it; a regional institution holds pooled
datasets (issue 14, item 2). On the page, the API and the command line."""

import csv
import datetime
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from quipu.audit.models import Action, AuditEntry
from quipu.cases.models import Case
from quipu.intake.imports import import_file
from quipu.intake.models import ImportJob, JobStatus
from quipu.intake.services import imports_unconfirmed_expire
from quipu.intake.shares import shares_presented
from quipu.tenancy.models import InstitutionKind
from tests.api.helpers import api_client_for
from tests.conftest import background_tasks_run, shared_reference
from tests.intake.conftest import template_row, write_template

pytestmark = pytest.mark.django_db

KANON = ("ctdc", "ctdc_global_kanon_2021-07-15.csv")


def _abroad(reference: str, **overrides) -> dict:
    """A Venezuelan victim recruited at home and exploited in Peru: nothing about Colombia."""
    values = {
        "case_reference": reference,
        "victim_citizenship": "VE",
        "recruitment_country": "VE",
        "transit_country": "EC",
        "exploitation_country": "PE",
        "document_country": "VE",
        **overrides,
    }
    return template_row(**values)


def _ctdc_head(tmp_path, rows: int, citizenship: str = "") -> Path:
    """The first rows of CTDC's real file (of one citizenship, if given) as a CSV."""
    source = shared_reference(*KANON)
    with source.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        column = header.index("citizenship")
        chosen = (row for row in reader if not citizenship or row[column] == citizenship)
        lines = [header, *(row for _, row in zip(range(rows), chosen, strict=False))]
    target = tmp_path / "ctdc_head.csv"
    with target.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(lines)
    return target


def test_the_real_ctdc_file_into_colombias_police_is_held_with_shares_that_match_the_file(
    region,
):
    path = shared_reference(*KANON)
    owner = region.institution("CO-POLICE")
    before = Case.objects.filter(owner=owner).count()

    result = import_file(path=path, owner=owner, requested="ctdc")

    assert result.ok and result.held
    assert Case.objects.filter(owner=owner).count() == before  # nothing written
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    own = sum(1 for r in rows if "CO" in (r["citizenship"], r["CountryOfExploitation"]))
    known = sum(1 for r in rows if r["citizenship"] or r["CountryOfExploitation"])
    exploited = Counter(r["CountryOfExploitation"] for r in rows if r["CountryOfExploitation"])
    check = result.country_check
    assert (check["rows"], check["own"], check["foreign"]) == (len(rows), own, known - own)
    assert check["foreign"] / check["rows"] > 0.5  # mostly other countries, not only CTDC
    assert check["exploitation"][0] == list(exploited.most_common(1)[0])

    with translation.override("es"):
        shown = shares_presented(check, owner)
    top = exploited.most_common(1)[0][1] / len(rows)
    expected = {"country": "Estados Unidos", "share": f"{round(top * 100)}\xa0%"}
    assert shown["exploitation"][0] == expected
    assert shown["own_share"] == "0,1\xa0%"  # 111 of 97,750 rows, one decimal below 1 %
    assert shown["country"] == "Colombia"
    assert "Confirme que estos son casos de Policía Nacional de Colombia." in shown["summary"]
    assert "IOM — Counter-Trafficking Data Collaborative (CTDC)" in shown["summary"]
    with translation.override("pt-br"):
        assert shares_presented(check, owner)["exploitation"][0]["country"] == "Estados Unidos"
        assert shares_presented(check, owner)["own_share"] == "0,1%"


def test_rows_mostly_about_other_countries_are_written_only_once_confirmed(region, tmp_path):
    owner = region.institution("CO-POLICE")
    rows = [_abroad(f"CO-ABROAD-{n}") for n in range(3)]
    rows.append(_abroad("CO-HOME-1", exploitation_country="CO"))  # one of four is Colombia's
    path = write_template(tmp_path / "casos.csv", rows)

    held = import_file(path=path, owner=owner)
    assert held.held and held.country_check["own"] == 1 and held.country_check["foreign"] == 3
    assert not Case.objects.filter(reference__startswith="CO-ABROAD").exists()

    written = import_file(path=path, owner=owner, foreign_confirmed=True)
    assert not written.held and written.summary.created == 4


def test_a_file_mostly_about_the_own_country_is_written_without_a_question(region, tmp_path):
    owner = region.institution("CO-POLICE")
    rows = [_abroad(f"CO-OWN-{n}", exploitation_country="CO") for n in range(2)]
    rows.append(_abroad("CO-OWN-3"))  # a transit through Colombia also concerns Colombia
    rows[-1]["transit_country"] = "CO"
    rows.append(_abroad("CO-OWN-4"))  # one of four only abroad: under half
    path = write_template(tmp_path / "casos.csv", rows)

    result = import_file(path=path, owner=owner)

    assert not result.held and result.summary.created == 4


def test_pooled_ctdc_data_belongs_to_the_regional_iom_institution_and_is_not_held_there(
    region, tmp_path
):
    iom = region.institution("IOM")
    assert iom.kind == InstitutionKind.INTERNATIONAL and iom.country_id is None
    assert "Counter-Trafficking Data Collaborative" in iom.name
    path = _ctdc_head(tmp_path, 40, citizenship="CO")

    assert import_file(path=path, owner=iom, requested="ctdc").summary.created == 40
    # The same rows, all Colombian citizens, into Colombia's police: all concern Colombia,
    # but a CTDC file is pooled data and waits for a confirmation all the same.
    held = import_file(path=path, owner=region.institution("CO-POLICE"), requested="ctdc")
    assert held.held and held.country_check["own"] == 40 and held.country_check["foreign"] == 0


def test_the_page_shows_the_shares_and_writes_nothing_until_the_box_is_ticked(
    login, region, tmp_path
):
    client = login("caseworker.co")
    path = _ctdc_head(tmp_path, 40)
    with path.open("rb") as upload:
        client.post(
            reverse("intake:import_start"),
            {"file": upload, "institution": region.institution("CO-POLICE").pk, "format": "ctdc"},
        )
    background_tasks_run()
    job = ImportJob.objects.get()
    assert job.status == JobStatus.CONFIRM and Path(job.stored_path).exists()
    detail = reverse("intake:import_detail", args=[job.pk])
    page = client.get(detail, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "de las filas conciernen solo a otros países" in page
    assert "IOM — Counter-Trafficking Data Collaborative (CTDC)" in page
    assert "Confirmo que estos son casos de Policía Nacional de Colombia." in page

    confirm = reverse("intake:import_confirm", args=[job.pk])
    unticked = client.post(confirm, {}, HTTP_ACCEPT_LANGUAGE="es")
    assert unticked.status_code == 400
    assert "Marque la casilla" in unticked.content.decode()
    background_tasks_run()
    job.refresh_from_db()
    assert job.status == JobStatus.CONFIRM
    assert not Case.objects.filter(owner__code="CO-POLICE", source_key__startswith="ctdc").exists()

    client.post(confirm, {"confirm": "on"})
    background_tasks_run()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.created_count == 40
    assert not Path(job.stored_path).exists()
    confirmed = AuditEntry.objects.get(action=Action.UPDATE, object_id=str(job.pk))
    assert confirmed.detail["confirmed"] == "rows_of_other_countries"


def test_cancelling_deletes_the_upload_and_saves_nothing(login, region, tmp_path):
    client = login("caseworker.co")
    path = write_template(tmp_path / "casos.csv", [_abroad("CO-ABROAD-9")])
    with path.open("rb") as upload:
        client.post(
            reverse("intake:import_start"),
            {"file": upload, "institution": region.institution("CO-POLICE").pk, "format": "auto"},
        )
    background_tasks_run()
    job = ImportJob.objects.get()
    stored = Path(job.stored_path)
    client.post(reverse("intake:import_confirm", args=[job.pk]), {"cancel": "1"})
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and not stored.exists()
    assert not Case.objects.filter(reference="CO-ABROAD-9").exists()


def test_another_institution_cannot_confirm_an_import(login, region, tmp_path):
    owner = region.institution("CO-POLICE")
    job = ImportJob.objects.create(
        owner=owner,
        file_name="x.csv",
        status=JobStatus.CONFIRM,
        requested_by=region.user("caseworker.co"),
    )
    client = login("caseworker.pe")
    response = client.post(reverse("intake:import_confirm", args=[job.pk]), {"confirm": "on"})
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.CONFIRM and not job.foreign_confirmed


def test_the_api_holds_the_file_with_a_translated_reason_and_takes_confirm_foreign(
    region, tmp_path
):
    client = api_client_for(region.user("caseworker.co"))
    path = write_template(tmp_path / "casos.csv", [_abroad("CO-API-1")])
    with path.open("rb") as upload:
        response = client.post(
            reverse("api:imports"), {"file": upload, "institution": "CO-POLICE"}, format="multipart"
        )
    assert response.status_code == 202
    background_tasks_run()
    body = client.get(response.json()["url"], HTTP_ACCEPT_LANGUAGE="pt-BR").json()
    assert body["status"] == "confirm"
    assert "Nada foi salvo." in body["confirmation"]
    assert "100%" in body["confirmation"] and "Peru" in body["confirmation"]
    assert not Case.objects.filter(reference="CO-API-1").exists()

    with path.open("rb") as upload:
        again = client.post(
            reverse("api:imports"),
            {"file": upload, "institution": "CO-POLICE", "confirm_foreign": "true"},
            format="multipart",
        )
    background_tasks_run()
    assert client.get(again.json()["url"]).json()["status"] == "done"
    assert Case.objects.filter(reference="CO-API-1").exists()


def test_the_command_refuses_without_confirm_foreign_and_imports_with_it(region, tmp_path):
    path = write_template(tmp_path / "casos.csv", [_abroad("CO-CLI-1")])
    with translation.override("es"), pytest.raises(CommandError) as refused:
        call_command("import", str(path), institution="CO-POLICE")
    assert "No se importó nada." in str(refused.value) and "--confirm-foreign" in str(refused.value)
    assert not Case.objects.filter(reference="CO-CLI-1").exists()

    call_command("import", str(path), institution="CO-POLICE", confirm_foreign=True)
    assert Case.objects.filter(reference="CO-CLI-1").exists()


def test_an_upload_left_unconfirmed_for_a_week_is_deleted(region, tmp_path):
    stored = tmp_path / "upload.csv"
    stored.write_text("x")
    job = ImportJob.objects.create(
        owner=region.institution("CO-POLICE"),
        file_name="x.csv",
        stored_path=str(stored),
        status=JobStatus.CONFIRM,
    )
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert imports_unconfirmed_expire() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and not stored.exists()
