"""The record endpoints (persons, route events, identifiers): scoped by the permission layer,
de-identified for roles without personal access, and every personal read audited."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from quipu.audit.models import Action, AuditEntry
from quipu.cases.models import Case, Identifier, Person, RouteEvent
from quipu.cases.personal import personal_fields
from quipu.cases.selectors import case_people
from quipu.cases.serializers import PersonRecordSerializer
from tests.api.helpers import api_client_for

pytestmark = pytest.mark.django_db

PERSON_PERSONAL = personal_fields(Person)
ROUTE_PERSONAL = personal_fields(RouteEvent)


def _client_for(user) -> APIClient:
    return api_client_for(user)


def _get(region, username: str, route: str, *args, **params):
    return _client_for(region.user(username)).get(reverse(route, args=args), params)


def _case(country: str) -> Case:
    return Case.objects.get(reference=f"{country}-TEST-1")


def _victim_person(country: str) -> Person:
    return _case(country).victims.select_related("person").get().person


def _reads() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=Action.READ).order_by("seq"))


def _more_cases(country: str, count: int) -> None:
    """`count` more cases for the country's police, each with a victim and a perpetrator."""
    from quipu.cases.fields import CodeSet
    from quipu.intake.records import CaseRecord, PersonRecord
    from quipu.intake.writer import records_write
    from quipu.tenancy.models import Institution

    records = [
        CaseRecord(
            row=n,
            source_key=f"more:{country}:{n}",
            case={"reference": f"{country}-MORE-{n}", "kind": "TIP", "registration_year": 2024},
            people=[
                PersonRecord(
                    person={"first_name": f"Extra{n}", "gender": "Masculine"},
                    victim={"exploitation_types": CodeSet.of({"ForcedLabour"})},
                    identifiers=[{"kind": "email", "value": f"extra{n}@example.org"}],
                    route_events=[
                        {"event_type": "Recruitment", "country_id": country, "street": "Calle 1"},
                        {"event_type": "Exploitation", "country_id": "AR"},
                    ],
                ),
                PersonRecord(person={"first_name": f"Autor{n}"}, perpetrator={}),
            ],
        )
        for n in range(2, count + 2)
    ]
    records_write(owner=Institution.objects.get(code=f"{country}-POLICE"), records=records)


# Persons


def test_rule1_person_list_holds_only_the_callers_countrys_people(region):
    body = _get(region, "focal.co", "api:persons").json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["id"] == _victim_person("CO").pk
    assert row["country"] == "CO"
    assert row["owner"] == "CO-POLICE"
    assert row["first_name"] == "NombreCO"
    assert row["victim_in"] == [_case("CO").pk]
    assert row["perpetrator_in"] == []
    assert [entry.detail["ids"] for entry in _reads()] == [[row["id"]]]


def test_rule1_another_countrys_person_is_404_and_the_attempt_audited(region):
    foreign = _victim_person("AR")
    response = _get(region, "focal.co", "api:person", foreign.pk)
    assert response.status_code == 404
    assert "detail" in response.json()
    assert b"NombreAR" not in response.content
    denial = AuditEntry.objects.get(action=Action.DENIED)
    assert denial.object_type == "cases.person"
    assert denial.object_id == str(foreign.pk)


def test_rule1_caseworker_sees_only_their_institutions_people(region):
    case = _case("CO")
    case.owner = region.institution("CO-SHELTER")
    case.save()
    Person.objects.filter(pk=_victim_person("CO").pk).update(owner=case.owner)
    assert _get(region, "caseworker.co", "api:persons").json()["count"] == 0
    assert _get(region, "focal.co", "api:persons").json()["count"] == 1


def test_rule1_secretariat_and_consuls_may_not_list_people(region):
    assert _get(region, "secretariat", "api:persons").status_code == 403
    assert _get(region, "consul.co", "api:persons").status_code == 403


def test_analyst_sees_people_with_personal_fields_omitted_and_no_read_audited(region):
    response = _get(region, "analyst.co", "api:persons")
    (row,) = response.json()["results"]
    assert row["gender"] == "Feminine"
    assert row["citizenship"] == "CO"
    assert not PERSON_PERSONAL & row.keys()
    assert b"NombreCO" not in response.content and b"ApellidoCO" not in response.content
    detail = _get(region, "analyst.co", "api:person", row["id"]).json()
    assert not PERSON_PERSONAL & detail.keys()
    assert _reads() == []


def test_rule3_person_list_is_audited_once_listing_the_ids(region):
    _more_cases("CO", 3)
    body = _get(region, "prosecutor.co", "api:persons").json()
    assert body["count"] == 7  # the sample victim, and a victim and a perpetrator per new case
    (entry,) = _reads()
    assert entry.object_type == "cases.person"
    assert entry.subject_country == "CO"
    assert entry.actor_username == "prosecutor.co"
    assert sorted(entry.detail["ids"]) == sorted(row["id"] for row in body["results"])
    assert "NombreCO" not in str(entry.detail)


def test_rule3_person_detail_is_audited_as_a_personal_read(region):
    person = _victim_person("CL")
    body = _get(region, "caseworker.cl", "api:person", person.pk).json()
    assert body["first_name"] == "NombreCL"
    (entry,) = _reads()
    assert (entry.object_type, entry.object_id) == ("cases.person", str(person.pk))
    assert (entry.subject_country, entry.subject_institution) == ("CL", "CL-POLICE")


def test_person_list_filters_by_case_and_shows_perpetrators(region):
    _more_cases("PE", 2)
    case = Case.objects.get(reference="PE-MORE-2")
    body = _get(region, "focal.pe", "api:persons", case=case.pk).json()
    roles = {
        row["first_name"]: (row["victim_in"], row["perpetrator_in"]) for row in body["results"]
    }
    assert roles == {"Extra2": ([case.pk], []), "Autor2": ([], [case.pk])}
    foreign = _get(region, "focal.pe", "api:persons", case=_case("AR").pk).json()
    assert foreign["count"] == 0


def test_one_page_can_mix_personal_and_deidentified_rows(region):
    # Today each role reads personal data at the scope it reads cases; the rows still decide.
    colombian, argentine = _victim_person("CO"), _victim_person("AR")
    people = case_people().filter(pk__in=[colombian.pk, argentine.pk]).order_by("owner__country")
    rows = PersonRecordSerializer(people, many=True, context={"personal_ids": {colombian.pk}}).data
    assert [row["country"] for row in rows] == ["AR", "CO"]
    assert not PERSON_PERSONAL & rows[0].keys()
    assert rows[1]["first_name"] == "NombreCO"


# Route events


def test_rule1_route_events_are_scoped_and_filtered(region):
    _more_cases("BO", 2)
    bolivia = _case("BO")
    rows = _get(region, "analyst.bo", "api:route-events").json()["results"]
    assert len(rows) == 5
    assert {Case.objects.get(pk=row["case"]).owner.country_id for row in rows} == {"BO"}
    by_case = _get(region, "analyst.bo", "api:route-events", case=bolivia.pk).json()["results"]
    assert [(row["event_type"], row["country"]) for row in by_case] == [("Exploitation", "BO")]
    in_argentina = _get(region, "analyst.bo", "api:route-events", country="ar").json()
    assert in_argentina["count"] == 2
    recruitment = _get(region, "analyst.bo", "api:route-events", event_type="Recruitment").json()
    assert recruitment["count"] == 2
    foreign_case = _get(region, "analyst.bo", "api:route-events", case=_case("AR").pk).json()
    assert foreign_case["count"] == 0


def test_route_event_filters_reject_bad_values_with_a_json_error_naming_the_parameter(region):
    response = _get(region, "focal.co", "api:route-events", country="Colombia")
    assert response.status_code == 400
    assert "country" in response.json()
    response = _get(region, "focal.co", "api:route-events", event_type="Holiday", case="x")
    assert response.status_code == 400
    assert {"event_type", "case"} <= response.json().keys()


def test_rule1_another_countrys_route_event_is_404(region):
    event = _case("AR").route_events.get()
    response = _get(region, "focal.co", "api:route-event", event.pk)
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action=Action.DENIED, object_id=str(event.pk)).exists()


def test_analyst_route_events_omit_exact_places(region):
    _more_cases("BO", 1)
    rows = _get(region, "analyst.bo", "api:route-events").json()["results"]
    assert rows and all(not ROUTE_PERSONAL & row.keys() for row in rows)
    assert {row["city"] for row in rows} == {""}
    assert _reads() == []


def test_rule3_route_events_with_exact_places_are_audited_once(region):
    _more_cases("BO", 2)
    rows = _get(region, "focal.bo", "api:route-events").json()["results"]
    assert {row["street"] for row in rows} == {"", "Calle 1"}
    (entry,) = _reads()
    assert entry.object_type == "cases.routeevent"
    assert sorted(entry.detail["ids"]) == sorted(row["id"] for row in rows)
    event = RouteEvent.objects.get(pk=rows[0]["id"])
    assert _get(region, "focal.bo", "api:route-event", event.pk).json()["id"] == event.pk
    assert _reads()[-1].object_id == str(event.pk)


# Identifiers


def test_rule1_identifiers_show_to_personal_readers_of_the_owning_case(region):
    for username in ("caseworker.ec", "prosecutor.ec", "focal.ec"):
        rows = _get(region, username, "api:identifiers").json()["results"]
        assert [(row["kind"], row["value"]) for row in rows] == [("phone", "+57000002")]
        assert rows[0]["person"] == _victim_person("EC").pk


def test_rule1_analysts_do_not_learn_that_identifiers_exist(region):
    identifier = Identifier.objects.get(person=_victim_person("EC"))
    body = _get(region, "analyst.ec", "api:identifiers").json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}
    response = _get(region, "analyst.ec", "api:identifier", identifier.pk)
    assert response.status_code == 404
    assert b"+57000002" not in response.content
    assert _reads() == []


def test_rule1_another_countrys_identifier_is_404(region):
    identifier = Identifier.objects.get(person=_victim_person("PY"))
    assert _get(region, "focal.ec", "api:identifier", identifier.pk).status_code == 404
    assert _get(region, "consul.py", "api:identifiers").status_code == 403
    assert _get(region, "secretariat", "api:identifiers").status_code == 403


def test_rule3_identifier_reads_are_audited(region):
    _more_cases("EC", 2)
    rows = _get(region, "focal.ec", "api:identifiers").json()["results"]
    assert len(rows) == 3
    (entry,) = _reads()
    assert entry.object_type == "cases.identifier"
    assert entry.subject_country == "EC"
    assert sorted(entry.detail["ids"]) == sorted(row["id"] for row in rows)
    body = _get(region, "focal.ec", "api:identifier", rows[0]["id"]).json()
    assert body["value"] == rows[0]["value"]
    assert (_reads()[-1].object_type, _reads()[-1].object_id) == (
        "cases.identifier",
        str(rows[0]["id"]),
    )


def test_identifier_list_filters_by_person(region):
    _more_cases("EC", 2)
    person = _victim_person("EC")
    rows = _get(region, "focal.ec", "api:identifiers", person=person.pk).json()["results"]
    assert [row["value"] for row in rows] == ["+57000002"]


# Cost and schema


@pytest.mark.parametrize("route", ["api:persons", "api:route-events", "api:identifiers"])
def test_query_count_does_not_grow_with_the_rows(region, django_assert_max_num_queries, route):
    client = _client_for(region.user("focal.uy"))
    client.get(reverse(route))  # the token and throttle rows exist from here on
    with CaptureQueriesContext(connection) as one_case:
        assert client.get(reverse(route)).status_code == 200
    _more_cases("UY", 12)
    with django_assert_max_num_queries(len(one_case.captured_queries)):
        response = client.get(reverse(route))
    assert response.json()["count"] > 12


def test_openapi_schema_still_generates_with_the_record_endpoints(client):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/persons/",
        "/api/v1/persons/{id}/",
        "/api/v1/route-events/",
        "/api/v1/route-events/{id}/",
        "/api/v1/identifiers/",
        "/api/v1/identifiers/{id}/",
    ):
        assert path in paths
    parameters = {p["name"] for p in paths["/api/v1/route-events/"]["get"]["parameters"]}
    assert {"case", "country", "event_type", "page"} <= parameters
