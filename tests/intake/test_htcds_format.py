"""IOM's own HTCDS 2.0 Excel templates, filled in as a user would, imported into the database."""

import openpyxl
import pytest
from django.utils import translation

from quipu.cases.models import Case, Identifier, RouteEvent, Victim
from quipu.cases.vocabulary import code_for
from quipu.intake.formats import htcds
from quipu.intake.imports import import_file
from quipu.intake.selectors import error_message
from quipu.tenancy.countries import country_for
from tests.conftest import shared_reference
from tests.intake.htcds_files import TEMPLATES, VICTIM, fill, template_copy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", TEMPLATES)
def test_each_official_template_imports_a_victim_with_route_and_identifiers(region, tmp_path, name):
    path = fill(template_copy(tmp_path, name), [VICTIM])
    result = import_file(path=path, owner=region.institution("PE-POLICE"))
    assert result.ok, result.errors
    assert result.format == f"htcds:{htcds.FIELD_NAMES}"
    assert (result.rows, result.summary.created) == (1, 1)  # 1,000 numbered empty rows skipped
    victim = Victim.objects.select_related("person", "case").get(
        case__owner__code="PE-POLICE", case__source_key__startswith="htcds:"
    )
    person, case = victim.person, victim.case
    assert (person.first_name, person.second_name, str(person.birthdate)) == (
        "María José",
        "Cruz Pérez",
        "2001-07-30",
    )
    assert (person.citizenship_id, person.gender) == ("VE", "Feminine")
    # The hidden row lists the mailing fields out of order; the visible labels win.
    assert (person.mailing_street, person.mailing_city, person.mailing_country) == (
        "Av. Bolívar 12",
        "Lima",
        "PE",
    )
    assert victim.control_methods.present == {"DebtBondage", "WithholdsDocuments"}
    assert victim.sex_exploitation_types.present == {"Prostitution"}
    assert victim.status_decision_org == "CourtOrProsecution"
    assert victim.agreement_to_manage_data is True
    assert (case.kind, case.status, case.incoming_referral_reason) == (
        "TIP",
        "FollowUp",
        "AdditionalServicesRequired",
    )
    assert case.reference.startswith("HTCDS-") and "María" not in case.reference
    route = RouteEvent.objects.filter(victim__case=case).order_by("event_type")
    assert [(e.event_type, e.country_id, e.city) for e in route] == [
        ("Exploitation", "PE", ""),
        ("Recruitment", "VE", "Maracaibo"),
    ]
    identifiers = set(Identifier.objects.filter(person=person).values_list("kind", "value"))
    assert identifiers == {("phone", "+584125550147"), ("email", "mj.cruz@example.org")}


def test_a_file_whose_header_is_the_visible_labels_is_read_too(region, tmp_path):
    path = fill(template_copy(tmp_path), [VICTIM], drop_hidden_row=True)
    result = import_file(path=path, owner=region.institution("PE-POLICE"))
    assert result.ok and result.format == f"htcds:{htcds.LABELS}"
    assert (
        Victim.objects.get(
            case__owner__code="PE-POLICE", case__source_key__startswith="htcds:"
        ).person.mailing_city
        == "Lima"
    )


def test_reimporting_changes_nothing_and_a_correction_updates_in_place(region, tmp_path):
    owner = region.institution("PE-POLICE")
    second = dict(VICTIM, **{"First Name": "Rosa", "Birthdate": "1999-01-02"})
    path = fill(template_copy(tmp_path), [VICTIM, second])
    assert import_file(path=path, owner=owner).summary.created == 2
    again = import_file(path=path, owner=owner)
    assert (again.summary.created, again.summary.unchanged) == (0, 2)
    corrected = dict(second, **{"Type of Exploitation": "Forced labour"})
    path = fill(path, [VICTIM, corrected])
    result = import_file(path=path, owner=owner)
    assert (result.summary.updated, result.summary.unchanged) == (1, 1)
    assert Case.objects.filter(owner=owner, source_key__startswith="htcds:").count() == 2
    rosa = Victim.objects.get(case__owner=owner, person__first_name="Rosa")
    assert rosa.exploitation_types.present == {"ForcedLabour"}


def test_bad_cells_are_reported_by_row_and_visible_column_and_nothing_is_written(region, tmp_path):
    broken = dict(
        VICTIM,
        **{"Citizenship": "Atlantis", "Methods of Control": "Debt bondage;Mind control"},
        **{"Mobile Phone": "12", "Birthdate": "2999-01-01", "Consent": "perhaps"},
    )
    path = fill(template_copy(tmp_path), [VICTIM, broken])
    result = import_file(path=path, owner=region.institution("PE-POLICE"))
    assert not result.ok
    assert not Case.objects.filter(source_key__startswith="htcds:").exists()
    assert {(e["row"], e["column"]) for e in result.errors} == {
        (4, "Citizenship"),
        (4, "Methods of Control"),
        (4, "Mobile Phone"),
        (4, "Birthdate"),
        (4, "Consent"),
    }
    with translation.override("es"):
        messages = [error_message(e)["message"] for e in result.errors]
    assert all("Atlantis" not in m and "Mind control" not in m for m in messages)
    with translation.override("pt-br"):
        country = next(e for e in result.errors if e["column"] == "Citizenship")
        assert error_message(country)["message"] != country["msgid"]


def test_every_picklist_value_of_the_official_validation_sheet_has_a_code():
    path = shared_reference("htcds", "Toolkit", "Excel", TEMPLATES[1])
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = list(workbook["validation"].iter_rows(values_only=True))
    header = rows[2]
    vocabulary_of = {
        "Gender": "gender",
        "Method of Recruitment": "recruitment_method",
        "Methods of Control": "control_method",
        "Type of Exploitation": "exploitation_type",
        "Forced Labour Industry": "labour_industry",
        "Type of Sex Exploitation": "sex_exploitation_type",
        "Vulnerabilities": "vulnerability",
        "Status": "case_status",
        "Reason for Incoming Referral": "referral_reason",
        "Reason for Outgoing Referral": "referral_reason",
        "Trafficking Status": "trafficking_status",
        "Trafficking Status Decision Making Organization": "status_decision_org",
    }
    unmapped, checked = [], 0
    for column, title in enumerate(header):
        for row in rows[3:]:
            value = row[column] if column < len(row) else None
            if value is None or title in ("Date Start", None):
                continue
            checked += 1
            if title in ("Country", "Country Code"):
                found = country_for(str(value))
            else:
                found = code_for(vocabulary_of[title], str(value))
            if found is None:
                unmapped.append((title, value))
    assert checked > 550 and not unmapped
