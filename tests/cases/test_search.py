"""Searching cases by what police and prosecutors have in hand: a phone, a document, a name."""

import pytest

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
