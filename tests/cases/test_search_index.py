"""Search finds what users type (issue 14, item 3): accents and case do not matter, a phone is
found however it is typed, and the search index stays right through every write. Runs on
whichever database the suite runs on (SQLite by default, PostgreSQL with QUIPU_DATABASE_URL)."""

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from quipu.cases.entry_forms import IdentifierForm
from quipu.cases.models import Case, CaseSearchText
from quipu.cases.search_index import search_texts, search_texts_rebuild
from quipu.cases.selectors import cases_filtered
from quipu.cases.services import (
    case_create,
    identifiers_replace,
    perpetrators_replace,
    route_events_replace,
    victim_person_save,
)
from quipu.intake.records import CaseRecord, PersonRecord
from quipu.intake.writer import cases_with_people_delete, records_write

pytestmark = pytest.mark.django_db


def _found(user, text: str) -> set[str]:
    cases = cases_filtered(user=user, filters={"q": text})
    return set(cases.values_list("reference", flat=True))


@pytest.fixture
def named_case(region):
    """A Colombian police case of a Venezuelan victim, entered through the services as the
    form does: her phone typed as a Venezuelan writes it, read as Venezuelan (her citizenship)."""
    caseworker = region.user("caseworker.co")
    case = case_create(actor=caseworker, owner=region.institution("CO-POLICE"), fields={})
    victim = victim_person_save(
        actor=caseworker,
        case=case,
        fields={
            "first_name": "María José",
            "second_name": "Castañeda Marín",
            "citizenship_id": "VE",
        },
    )
    typed = IdentifierForm({"kind": "phone", "value": "0414 555 1234"}, region="VE")
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["value"] == "+584145551234"
    identifiers_replace(actor=caseworker, victim=victim, identifiers=[typed.cleaned_data])
    route_events_replace(
        actor=caseworker,
        victim=victim,
        events=[{"event_type": "Exploitation", "country_id": "CO", "city": "Cúcuta"}],
    )
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("typed", ["Castaneda", "castañeda", "CASTANEDA", "MARIN", "marín"])
def test_a_name_is_found_without_its_accents_and_in_any_case(region, named_case, typed):
    assert _found(region.user("caseworker.co"), typed) == {named_case.reference}


def test_every_word_must_match_and_places_are_folded_too(region, named_case):
    caseworker = region.user("caseworker.co")
    assert _found(caseworker, "maria castaneda cucuta") == {named_case.reference}
    assert _found(caseworker, "Castaneda Colombia") == {named_case.reference}
    assert _found(caseworker, "Castaneda Perú") == set()


@pytest.mark.parametrize(
    "typed", ["0414 555 1234", "04145551234", "+58 414 5551234", "414 555 1234", "+584145551234"]
)
def test_a_phone_entered_as_venezuelan_is_found_from_colombia_however_typed(
    region, named_case, typed
):
    assert _found(region.user("focal.co"), typed) == {named_case.reference}


def test_a_phone_search_does_not_match_a_different_number(region, named_case):
    assert named_case.reference not in _found(region.user("focal.co"), "0414 555 1235")


def test_rule7_a_user_without_personal_rights_cannot_find_a_case_by_the_victims_name(
    region, named_case
):
    analyst = region.user("analyst.co")  # reads the country's cases, de-identified
    assert _found(analyst, "Castaneda") == set()
    assert _found(analyst, "0414 555 1234") == set()
    assert _found(analyst, named_case.reference) == {named_case.reference}  # not personal
    assert _found(analyst, "Cucuta") >= {named_case.reference}


def test_another_countrys_search_does_not_reach_the_case(region, named_case):
    assert _found(region.user("focal.ve"), "Castaneda") == set()
    assert _found(region.user("focal.ve"), "0414 555 1234") == set()


def test_the_index_follows_an_edit_of_the_name(region, named_case):
    caseworker = region.user("caseworker.co")
    victim_person_save(
        actor=caseworker, case=named_case, fields={"first_name": "Lucía", "second_name": "Peña"}
    )
    assert _found(caseworker, "Castaneda") == set()
    assert _found(caseworker, "Pena lucia") == {named_case.reference}


def test_the_index_follows_identifiers_and_route_replaced(region, named_case):
    caseworker = region.user("caseworker.co")
    victim = named_case.victims.get()
    identifiers_replace(actor=caseworker, victim=victim, identifiers=[])
    route_events_replace(actor=caseworker, victim=victim, events=[])
    assert _found(caseworker, "04145551234") == set()
    assert _found(caseworker, "Cucuta") == set()


def test_a_perpetrator_shared_by_two_cases_is_found_in_both_and_gone_when_removed(
    region, named_case
):
    caseworker = region.user("caseworker.co")
    other = case_create(actor=caseworker, owner=region.institution("CO-POLICE"), fields={})
    item = {"id": None, "person_fields": {"first_name": "Íñigo", "second_name": "Gómez"}}
    perpetrators_replace(actor=caseworker, case=named_case, perpetrators=[item])
    person = named_case.perpetrators.get().person
    perpetrators_replace(
        actor=caseworker, case=other, perpetrators=[{"id": None, "person": person}]
    )
    assert _found(caseworker, "inigo gomez") == {named_case.reference, other.reference}
    # A renamed person is renamed in every case that has it.
    perpetrators_replace(
        actor=caseworker,
        case=other,
        perpetrators=[
            {
                "id": other.perpetrators.get().pk,
                "person_fields": {"first_name": "Ignacio", "second_name": "Gómez"},
            }
        ],
    )
    assert _found(caseworker, "inigo") == set()
    assert _found(caseworker, "ignacio gomez") == {named_case.reference, other.reference}
    perpetrators_replace(actor=caseworker, case=named_case, perpetrators=[])
    assert _found(caseworker, "ignacio") == {other.reference}


def test_a_deleted_case_leaves_no_search_text(region, named_case):
    cases_with_people_delete(Case.objects.filter(pk=named_case.pk))
    assert not CaseSearchText.objects.filter(case_id=named_case.pk).exists()
    assert _found(region.user("caseworker.co"), "Castaneda") == set()


def _record(surname: str, city: str) -> CaseRecord:
    return CaseRecord(
        row=1,
        source_key="search:imported",
        case={"reference": "CO-IMP-77", "kind": "TIP", "registration_year": 2025},
        people=[
            PersonRecord(
                person={"first_name": "Ana", "second_name": surname},
                victim={"age_group": "18--20"},
                identifiers=[{"kind": "document", "value": "AB-123.456"}],
                route_events=[{"event_type": "Recruitment", "country_id": "VE", "city": city}],
            )
        ],
    )


def test_an_import_is_searchable_at_once_and_a_changed_row_replaces_its_text(region):
    owner = region.institution("CO-POLICE")
    focal = region.user("focal.co")
    records_write(owner=owner, records=[_record("Muñoz", "Maracaibo")])
    assert _found(focal, "munoz maracaibo") == {"CO-IMP-77"}
    assert _found(focal, "ab123456") == {"CO-IMP-77"}  # a document without its punctuation
    assert _found(focal, "Venezuela munoz") == {"CO-IMP-77"}  # a route country by its name
    records_write(owner=owner, records=[_record("Núñez", "Valencia")])
    assert _found(focal, "munoz") == set()
    assert _found(focal, "nunez valencia") == {"CO-IMP-77"}


def test_the_import_writers_texts_equal_a_rebuild_from_the_database(region, named_case):
    """The writer indexes from the values it holds, the services and the migration from the
    database: both must give the same text, or search would depend on how a case came in."""
    records_write(owner=region.institution("CO-POLICE"), records=[_record("Muñoz", "Mérida")])
    written = dict(CaseSearchText.objects.values_list("case_id", "personal"))
    public = dict(CaseSearchText.objects.values_list("case_id", "public"))
    CaseSearchText.objects.all().delete()
    assert search_texts_rebuild() == Case.objects.count()
    assert dict(CaseSearchText.objects.values_list("case_id", "personal")) == written
    assert dict(CaseSearchText.objects.values_list("case_id", "public")) == public


def test_folded_texts_keep_personal_words_apart_from_public_ones():
    public, personal = search_texts(
        "CO-2025-000001",
        [
            (
                {"first_name": "José", "second_name": "Peña"},
                [{"value": "+584145551234"}],
                [{"city": "Bogotá", "state": "", "country_id": "CO"}],
            )
        ],
    )
    assert public == "co-2025-000001 bogota ~co"
    assert personal == "jose pena +584145551234"


def test_the_page_and_the_api_find_a_name_typed_without_accents(region, named_case, login):
    client = login("caseworker.co")
    listed = client.post(reverse("cases:list"), {"q": "castaneda"}, follow=True)
    assert named_case.reference in listed.content.decode()
    assert all("castaneda" not in url.lower() for url, _status in listed.redirect_chain)
    api = APIClient()
    api.force_authenticate(region.user("caseworker.co"))
    found = api.post(reverse("api:case-search"), {"q": "MARIN"}, format="json")
    assert found.status_code == 200
    assert [row["reference"] for row in found.json()["results"]] == [named_case.reference]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL")
def test_postgresql_serves_search_from_trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s",
            [CaseSearchText._meta.db_table],
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {"cases_search_public_trgm", "cases_search_personal_trgm"} <= names


def test_a_word_too_short_for_the_trigram_index_is_still_found(region, named_case):
    assert named_case.reference in _found(region.user("caseworker.co"), "jo")  # José


def test_the_rebuild_command_restores_a_lost_index(region, named_case):
    from io import StringIO

    from django.core.management import call_command

    CaseSearchText.objects.all().delete()
    assert _found(region.user("caseworker.co"), "Castaneda") == set()
    out = StringIO()
    call_command("case_search_index", stdout=out)
    assert str(Case.objects.count()) in out.getvalue()
    assert _found(region.user("caseworker.co"), "Castaneda") == {named_case.reference}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL")
def test_a_lost_trigram_index_is_made_again_right_after_the_rows_are_rebuilt(region, named_case):
    """As in the migration's backfill: rows written in the same transaction leave deferred
    foreign-key checks pending, which CREATE INDEX must not trip over."""
    from io import StringIO

    from django.core.management import call_command

    with connection.cursor() as cursor:
        cursor.execute('DROP INDEX "cases_search_personal_trgm"')
    CaseSearchText.objects.all().delete()
    call_command("case_search_index", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s",
            [CaseSearchText._meta.db_table],
        )
        names = {row[0] for row in cursor.fetchall()}
    assert "cases_search_personal_trgm" in names
    assert _found(region.user("caseworker.co"), "Castaneda") == {named_case.reference}
