"""Searching cases by what police and prosecutors have in hand: a phone, a document, a name."""

import pytest
from django.urls import reverse

from quipu.cases.models import Case
from quipu.cases.selectors import cases_filtered
from quipu.cases.services import identifiers_replace, perpetrators_replace

pytestmark = pytest.mark.django_db

SUSPECTS_PHONE = "+573012345678"


@pytest.fixture
def colombian_case(region):
    case = Case.objects.get(reference="CO-TEST-1")
    caseworker = region.user("caseworker.co")
    perpetrators_replace(
        actor=caseworker,
        case=case,
        perpetrators=[{"id": None, "identifiers": [{"kind": "phone", "value": SUSPECTS_PHONE}]}],
    )
    identifiers_replace(
        actor=caseworker,
        victim=case.victims.get(),
        identifiers=[{"kind": "document", "value": "AB123456", "document_type": "Passport"}],
    )
    return case


def _found(user, text: str) -> set[str]:
    cases = cases_filtered(user=user, filters={"q": text})
    return set(cases.values_list("reference", flat=True))


@pytest.mark.parametrize(
    "typed", ["301 234 5678", "(301) 234-5678", "+57 301 234 5678", "+57-301-234-5678"]
)
def test_a_suspects_phone_is_found_however_it_is_typed(region, colombian_case, typed):
    assert _found(region.user("caseworker.co"), typed) == {"CO-TEST-1"}


def test_a_phone_typed_in_part_still_matches_by_its_digits(region, colombian_case):
    assert _found(region.user("focal.co"), "2345678") == {"CO-TEST-1"}


def test_a_document_is_found_without_its_punctuation(region, colombian_case):
    assert _found(region.user("prosecutor.co"), "ab-123.456") == {"CO-TEST-1"}
    assert _found(region.user("prosecutor.co"), "AB 123 457") == set()


def test_identifiers_are_searched_only_by_those_who_read_personal_data(region, colombian_case):
    assert _found(region.user("analyst.co"), "301 234 5678") == set()
    assert _found(region.user("analyst.co"), "CO-TEST") == {"CO-TEST-1"}


def test_another_countrys_search_does_not_reach_the_case(region, colombian_case):
    assert _found(region.user("focal.pe"), "+57 301 234 5678") == set()


def _search_reads():
    from quipu.audit.models import Action, AuditEntry

    return AuditEntry.objects.filter(action=Action.READ, purpose="case search")


def test_rule3_a_search_over_personal_data_is_audited_without_its_words(
    region, colombian_case, login
):
    client = login("caseworker.co")
    listed = client.post(reverse("cases:list"), {"q": "301 234 5678"}, follow=True)
    assert "CO-TEST-1" in listed.content.decode()
    entry = _search_reads().get()
    assert entry.actor_username == "caseworker.co" and entry.subject_country == "CO"
    assert entry.detail == {"via": "web", "words": 3, "identifier": True, "found": 1}
    assert "234" not in str(entry.detail) + entry.purpose + entry.object_id

    client.get(reverse("cases:list"))  # no search: nothing to record
    login("analyst.co").post(reverse("cases:list"), {"q": "CO-TEST"}, follow=True)
    assert _search_reads().count() == 1  # analysts search no personal data


def test_rule3_an_api_search_is_audited_too(region, colombian_case):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(region.user("focal.co"))
    found = client.post(reverse("api:case-search"), {"q": "NombreCO"}, format="json")
    assert found.status_code == 200
    entry = _search_reads().get()
    assert entry.detail == {"via": "api", "words": 1, "identifier": False, "found": 1}
