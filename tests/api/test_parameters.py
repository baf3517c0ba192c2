"""Integer parameters of the API are checked at the edge: a value the database cannot hold is a
400 that names the parameter, never a 500 (issue 13)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

NOT_IDS = [str(2**63), str(2**64), "-1", "0", "abc", "1.5", "١"]  # the last is an Arabic-Indic 1


def _client(region, username: str = "focal.co") -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(region.user(username))
    return client


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize(
    ("route", "parameter"),
    [
        ("api:persons", "case"),
        ("api:route-events", "case"),
        ("api:identifiers", "person"),
        ("api:audit", "page"),
        ("api:cases", "page"),
    ],
)
def test_an_integer_parameter_out_of_range_is_a_400_naming_it(region, route, parameter, value):
    response = _client(region).get(reverse(route), {parameter: value}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {
        parameter: [f"{parameter} must be a whole number from 1 to {2**63 - 1}."]
    }


def test_the_parameter_message_is_translated(region):
    response = _client(region).get(
        reverse("api:persons"), {"case": 2**64}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.json()["case"] == [f"case debe ser un número entero de 1 a {2**63 - 1}."]


def test_the_largest_id_is_accepted_and_finds_nothing(region):
    response = _client(region).get(reverse("api:persons"), {"case": 2**63 - 1})
    assert response.status_code == 200 and response.json()["count"] == 0


def test_a_page_past_the_last_one_stays_a_404(region):
    assert _client(region).get(reverse("api:audit"), {"page": 2**62}).status_code == 404


@pytest.mark.parametrize("value", [str(2**63), str(2**64)])
@pytest.mark.parametrize("route", ["api:case", "api:person", "api:route-event", "api:identifier"])
def test_a_record_id_past_64_bits_in_the_path_is_not_found(region, route, value):
    path = reverse(route, args=[1]).replace("/1/", f"/{value}/")
    response = _client(region).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("api:jits", {"name": "x", "lead_country": "C\x00O"}),
        ("api:case-search", {"q": "Nombre\x00"}),
        ("api:information-requests", {"categories": ["route"], "purpose": {"a\x00": "b"}}),
    ],
)
def test_rule5_a_nul_character_in_a_body_is_a_400_on_both_databases(region, route, body):
    # PostgreSQL text cannot hold NUL: it reached a country lookup and gave a 500 there.
    response = _client(region, "prosecutor.co").post(reverse(route), body, format="json")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_rule5_a_nul_character_in_the_receipt_event_filter_is_a_400(region):
    response = _client(region).get(reverse("api:receipts"), {"event": "request.sent\x00"})
    assert response.status_code == 400 and "event" in response.json()
