"""Issue 13, finding 15: cases exported without their personal fields carry dates as month and
year and places as the first-level region, as CTDC's public file does; cases exported with
them keep exact values. The per-case decision is rule 7's, taken as given."""

import csv
import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse

from quipu.cases.models import Case, ProsecutionStep, RouteEvent
from quipu.intake.case_records import case_records
from quipu.intake.exports import export_write
from quipu.intake.imports import import_file
from quipu.intake.models import ExportJob, JobStatus
from quipu.intake.records import CaseRecord, PersonRecord
from quipu.intake.writer import records_write
from quipu.tenancy.models import MembershipRole
from quipu.tenancy.roles import Role
from tests.conftest import background_tasks_run
from tests.intake.conftest import template_row

pytestmark = pytest.mark.django_db

EXACT = datetime.date(2024, 11, 10)


def _dated_and_placed(reference: str) -> None:
    case = Case.objects.get(reference=reference)
    Case.objects.filter(pk=case.pk).update(registered_on=datetime.date(2024, 12, 3))
    RouteEvent.objects.filter(victim__case=case).update(
        city="Cúcuta", state="Norte de Santander", date=EXACT
    )
    ProsecutionStep.objects.create(case=case, stage="Investigation", date=datetime.date(2025, 1, 7))


def _export(client, export_format="csv") -> list[dict]:
    client.post(reverse("intake:export_start"), {"export_format": export_format})
    background_tasks_run()
    job = ExportJob.objects.latest("created_at")
    assert job.status == JobStatus.DONE
    if export_format == "json":
        return json.loads(Path(job.stored_path).read_text(encoding="utf-8"))
    with open(job.stored_path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _row(rows: list[dict], reference: str) -> dict:
    return next(r for r in rows if r["case_reference"] == reference)


@pytest.mark.parametrize("export_format", ["csv", "json"])
def test_analyst_export_has_month_and_year_and_the_region_never_the_exact_date_or_city(
    login, region, export_format
):
    _dated_and_placed("CO-TEST-1")
    row = _row(_export(login("analyst.co"), export_format), "CO-TEST-1")
    assert row["exploitation_date"] == "2024-11"
    assert row["exploitation_city"] == ""
    assert row["exploitation_region"] == "Norte de Santander"
    assert row["exploitation_country"] == "CO"
    assert row["registration_date"] == "2024-12"
    assert row["prosecution_date"] == "2025-01"
    assert "2024-11-10" not in json.dumps(row) and "Cúcuta" not in json.dumps(row)


def test_focal_point_export_keeps_exact_dates_and_places(login, region):
    _dated_and_placed("CO-TEST-1")
    row = _row(_export(login("focal.co")), "CO-TEST-1")
    assert row["exploitation_date"] == "2024-11-10"
    assert row["exploitation_city"] == "Cúcuta"
    assert row["exploitation_region"] == "Norte de Santander"
    assert row["registration_date"] == "2024-12-03"


def test_rule7_mixed_roles_generalise_exactly_the_cases_exported_without_personal_fields(
    login, region
):
    """A caseworker at the police who is also an analyst: the police's own case is exact, the
    prosecutors' case (read de-identified through the analyst role) is generalised."""
    record = CaseRecord(
        row=1,
        source_key="test:CO-PROS",
        case={"reference": "CO-PROS-1", "kind": "TIP", "status": "Active"},
        people=[
            PersonRecord(
                person={"first_name": "OtraCO", "gender": "Feminine", "citizenship_id": "VE"},
                victim={"age_group": "18--20"},
                route_events=[{"event_type": "Exploitation", "country_id": "CO"}],
            )
        ],
    )
    records_write(owner=region.institution("CO-PROSECUTOR"), records=[record])
    _dated_and_placed("CO-TEST-1")
    _dated_and_placed("CO-PROS-1")
    user = region.user("caseworker.co")
    MembershipRole.objects.get_or_create(membership=user.membership, role=Role.ANALYST)
    rows = _export(login("caseworker.co"))
    own, other = _row(rows, "CO-TEST-1"), _row(rows, "CO-PROS-1")
    assert (own["victim_first_name"], own["exploitation_date"]) == ("NombreCO", "2024-11-10")
    assert own["exploitation_city"] == "Cúcuta"
    assert (other["victim_first_name"], other["exploitation_date"]) == ("", "2024-11")
    assert (other["exploitation_city"], other["exploitation_region"]) == ("", "Norte de Santander")


def test_the_template_reads_and_writes_the_first_level_region_of_each_route_event(
    region, template_file, tmp_path
):
    owner = region.institution("CO-POLICE")
    path = template_file([template_row(case_reference="CO-2025-0001")])
    assert import_file(path=path, owner=owner).ok
    states = dict(
        RouteEvent.objects.filter(victim__case__reference="CO-2025-0001").values_list(
            "event_type", "state"
        )
    )
    assert states == {
        "Recruitment": "Zulia",
        "Transit": "Norte de Santander",
        "Exploitation": "Lima",
    }
    target = tmp_path / "out.csv"
    export_write(case_records(Case.objects.filter(owner=owner)), "csv", target)
    with target.open(newline="", encoding="utf-8") as handle:
        row = _row(list(csv.DictReader(handle)), "CO-2025-0001")
    assert (row["recruitment_region"], row["recruitment_city"]) == ("Zulia", "Maracaibo")
