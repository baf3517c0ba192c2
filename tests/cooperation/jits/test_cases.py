"""Linked cases stay their country's records (rule 1): other members see a reference card,
never the personal fields."""

import pytest
from django.urls import reverse

from quipu.cases.models import Case
from quipu.cooperation.jits.workspace import case_link_add


@pytest.fixture
def linked(region, active):
    case_link_add(
        actor=region.user("prosecutor.co"), jit=active, case=Case.objects.get(reference="CO-TEST-1")
    )
    return active


def test_rule1_another_member_sees_a_linked_case_as_a_reference_card_on_the_page(
    region, login, linked
):
    body = login("prosecutor.ve").get(reverse("jits:detail", args=[linked.pk])).content.decode()
    assert "CO-TEST-1" in body and "CO-POLICE" in body
    assert "NombreCO" not in body and "ApellidoCO" not in body


def test_rule1_another_member_sees_a_linked_case_as_a_reference_card_on_the_api(
    region, login, linked
):
    response = login("prosecutor.ve").get(reverse("api:jit", args=[linked.pk]))
    cards = response.json()["cases"]
    assert cards == [
        {
            "reference": "CO-TEST-1",
            "country": "CO",
            "institution": "CO-POLICE",
            "kind": "TIP",
            "status": Case.objects.get(reference="CO-TEST-1").status,
        }
    ]
    assert "NombreCO" not in response.content.decode()


def test_a_case_is_linked_on_the_api_by_reference_of_ones_own_country_only(region, login, active):
    client = login("prosecutor.ve")
    url = reverse("api:jit-cases", args=[active.pk])
    refused = client.post(url, {"case": "CO-TEST-1"}, content_type="application/json")
    assert refused.status_code == 400 and list(refused.json()) == ["case"]
    created = client.post(url, {"case": "VE-TEST-1"}, content_type="application/json")
    assert created.status_code == 201


def test_only_the_owning_countrys_member_is_offered_the_link_to_the_case_page(
    region, login, linked
):
    case_url = reverse("cases:detail", args=[Case.objects.get(reference="CO-TEST-1").pk])
    own = login("prosecutor.co").get(reverse("jits:detail", args=[linked.pk])).content.decode()
    other = login("prosecutor.ve").get(reverse("jits:detail", args=[linked.pk])).content.decode()
    assert case_url in own and case_url not in other
