"""Answers to a signed-in user or a token holder are never stored by a browser or a proxy
(issue 13, finding 12): pages and API answers may carry personal data."""

import pytest
from django.urls import reverse

from quipu.cases.models import Case
from tests.api.helpers import api_client_for

pytestmark = pytest.mark.django_db


def _not_stored(response) -> bool:
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    return {"no-store", "private"} <= directives and response.status_code < 500


def test_pages_with_personal_data_are_not_stored(login, region):
    client = login("focal.co")
    case = Case.objects.get(reference="CO-TEST-1")
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200 and "NombreCO" in page.content.decode()
    assert _not_stored(page)
    assert _not_stored(client.get(reverse("web:home")))


def test_a_new_api_token_page_is_not_stored(login, region):
    assert _not_stored(login("analyst.ar").post(reverse("accounts:api_token_new")))


def test_api_answers_to_a_token_holder_are_not_stored(region):
    client = api_client_for(region.user("focal.co"))
    persons = client.get(reverse("api:persons"))
    assert persons.status_code == 200 and _not_stored(persons)
    search = client.post(reverse("api:case-search"), {"q": "NombreCO"}, format="json")
    assert search.status_code == 200 and _not_stored(search)


def test_api_answers_in_a_signed_in_session_are_not_stored(login, region):
    assert _not_stored(login("caseworker.co").get(reverse("api:persons")))


def test_refusals_to_a_signed_in_user_are_not_stored_either(login, region):
    assert _not_stored(login("analyst.co").get(reverse("api:users")))
