"""Importing the Quipu template: validated row by row, atomic, idempotent, with a clear report."""

import pytest
from django.utils import translation

from quipu.cases.models import Case, Identifier, Person, RouteEvent, Victim
from quipu.intake.imports import import_file
from quipu.intake.selectors import error_message
from tests.intake.conftest import template_row

pytestmark = pytest.mark.django_db


def _rows(count, **overrides):
    return [template_row(case_reference=f"CO-2025-{n:04d}", **overrides) for n in range(count)]


def test_a_valid_file_creates_cases_with_victims_routes_and_identifiers(region, template_file):
    path = template_file(_rows(3))
    result = import_file(path=path, owner=region.institution("CO-POLICE"))
    assert result.ok and result.summary.created == 3
    case = Case.objects.get(reference="CO-2025-0001")
    victim = Victim.objects.get(case=case)
    assert victim.person.first_name == "María José"
    assert victim.exploitation_types.present == {"SexualExploitation"}
    assert [e.event_type for e in RouteEvent.objects.filter(victim__case=case)] == [
        "Recruitment",
        "Transit",
        "Exploitation",
    ]
    phone = Identifier.objects.get(person=victim.person, kind="phone")
    assert phone.value == "+584125550147"  # E.164
    document = Identifier.objects.get(person=victim.person, kind="document")
    assert (document.value, document.issuing_country_id) == ("V12345678", "VE")


def test_rule4_the_same_file_twice_gives_the_same_database(region, template_file):
    path = template_file(_rows(5))
    owner = region.institution("CO-POLICE")
    import_file(path=path, owner=owner)
    counts = (Case.objects.count(), Person.objects.count(), RouteEvent.objects.count())
    second = import_file(path=path, owner=owner)
    assert second.summary.unchanged == 5 and second.summary.created == 0
    assert (Case.objects.count(), Person.objects.count(), RouteEvent.objects.count()) == counts


def test_a_corrected_row_updates_its_case_in_place(region, template_file):
    owner = region.institution("CO-POLICE")
    import_file(path=template_file(_rows(2)), owner=owner)
    rows = _rows(2)
    rows[1]["exploitation_types"] = "ForcedLabour"
    result = import_file(path=template_file(rows, "fixed.csv"), owner=owner)
    assert (result.summary.updated, result.summary.unchanged) == (1, 1)
    victim = Victim.objects.get(case__reference="CO-2025-0001")
    assert victim.exploitation_types.present == {"ForcedLabour"}
    assert Person.objects.filter(owner=owner, first_name="María José").count() == 2


BROKEN = {
    "victim_citizenship": "XX",
    "phone": "12345",
    "victim_birthdate": "2090-01-01",
    "victim_age_when_trafficked": "150",
    "exploitation_types": "Slavery",
    "recruitment_date": "2025-01-01",  # after the exploitation date
    "case_type": "",
    "consent": "maybe",
    "registration_date": "31/31/2024",
    "document_country": "",
}


def test_rule4_fifty_broken_rows_write_nothing_and_each_is_reported(region, template_file):
    rows = _rows(60)
    broken_columns = list(BROKEN)
    for index in range(50):
        column = broken_columns[index % len(broken_columns)]
        rows[index + 10][column] = BROKEN[column]
    path = template_file(rows)
    result = import_file(path=path, owner=region.institution("CO-POLICE"))
    assert not result.ok
    assert not Case.objects.filter(reference__startswith="CO-2025").exists()
    assert not Person.objects.filter(first_name="María José").exists()
    reported = {(e["row"], e["column"]) for e in result.errors}
    for index in range(50):
        column = broken_columns[index % len(broken_columns)]
        expected_column = "exploitation_date" if column == "recruitment_date" else column
        assert (index + 12, expected_column) in reported  # file line = index + header + 1
    assert {e["row"] for e in result.errors} == {index + 12 for index in range(50)}


def test_rule4_errors_never_repeat_the_bad_value_and_are_translated(region, template_file):
    rows = _rows(1, phone="+57 999 NOT A PHONE", victim_citizenship="ZZ")
    result = import_file(path=template_file(rows), owner=region.institution("CO-POLICE"))
    for entry in result.errors:
        assert "NOT A PHONE" not in entry["msgid"] and "ZZ" not in entry["msgid"]
    citizenship = next(e for e in result.errors if e["column"] == "victim_citizenship")
    with translation.override("es"):
        spanish = error_message(citizenship)["message"]
    with translation.override("pt-br"):
        portuguese = error_message(citizenship)["message"]
    assert spanish != portuguese != citizenship["msgid"]


def test_namibia_is_a_country_not_a_missing_value(region, template_file):
    rows = _rows(1, victim_citizenship="NA", phone="", document_number="")
    result = import_file(path=template_file(rows), owner=region.institution("CO-POLICE"))
    assert result.ok, result.errors
    assert Victim.objects.get(case__reference="CO-2025-0000").person.citizenship_id == "NA"
