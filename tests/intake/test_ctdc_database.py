"""CTDC's whole public file through the database: counts match the file, and the export
reproduces it row for row (on SQLite and on PostgreSQL)."""

import csv
from collections import Counter
from pathlib import Path

import pytest
from django.db.models import Count

from quipu.cases.models import Case, RouteEvent, Victim
from quipu.intake.case_records import case_records
from quipu.intake.exports import export_write
from quipu.intake.imports import import_file
from tests.conftest import in_ci

CTDC = Path(__file__).resolve().parents[3] / "shared" / "reference" / "ctdc"
KANON = CTDC / "ctdc_global_kanon_2021-07-15.csv"

pytestmark = pytest.mark.django_db

GENDER = {"Female": "Feminine", "Male": "Masculine", "Transgender/NonConforming": "NonConforming"}


@pytest.fixture(scope="module")
def kanon_rows():
    if not KANON.exists():
        if in_ci():
            pytest.fail(f"CI must run the CTDC tests: {KANON} is missing")
        pytest.skip(f"CTDC's reference file is not here ({KANON}); it lives in ../shared")
    with KANON.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def imported(region, kanon_rows):
    owner = region.institution("IOM")
    result = import_file(path=KANON, owner=owner, requested="ctdc")
    assert result.ok, result.errors[:5]
    return owner


def test_whole_ctdc_file_imports_and_counts_match_the_file(imported, kanon_rows):
    assert Case.objects.filter(owner=imported).count() == len(kanon_rows)
    victims = Victim.objects.filter(case__owner=imported)
    by_gender = dict(victims.values_list("person__gender").annotate(n=Count("id")))
    expected_gender = Counter(GENDER.get(r["gender"], "") for r in kanon_rows)
    assert by_gender == dict(expected_gender)
    by_age = dict(victims.values_list("age_group").annotate(n=Count("id")))
    assert by_age == dict(Counter(r["ageBroad"] for r in kanon_rows))
    by_citizenship = dict(victims.values_list("person__citizenship_id").annotate(n=Count("id")))
    assert by_citizenship == dict(Counter(r["citizenship"] or None for r in kanon_rows))
    events = RouteEvent.objects.filter(victim__case__owner=imported, event_type="Exploitation")
    by_country = dict(events.values_list("country_id").annotate(n=Count("id")))
    assert by_country == dict(
        Counter(r["CountryOfExploitation"] for r in kanon_rows if r["CountryOfExploitation"])
    )


def test_ctdc_export_round_trips_row_for_row(imported, kanon_rows, tmp_path):
    target = tmp_path / "export.csv"
    cases = Case.objects.filter(owner=imported)
    rows = export_write(case_records(cases), "ctdc", target)
    assert rows == len(kanon_rows)
    with target.open(newline="", encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    # Cases are exported in import order, which is the file's order.
    mismatches = [i for i, (a, b) in enumerate(zip(exported, kanon_rows, strict=True)) if a != b]
    assert not mismatches, f"{len(mismatches)} rows differ, first at {mismatches[:3]}"
    assert target.read_bytes() == KANON.read_bytes()  # byte for byte, line ends included


def test_rule4_importing_the_ctdc_file_twice_changes_nothing(imported, kanon_rows):
    before = (Case.objects.count(), Victim.objects.count(), RouteEvent.objects.count())
    again = import_file(path=KANON, owner=imported, requested="ctdc")
    assert again.summary.unchanged == len(kanon_rows) and again.summary.created == 0
    assert (Case.objects.count(), Victim.objects.count(), RouteEvent.objects.count()) == before
