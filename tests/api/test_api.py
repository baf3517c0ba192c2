"""The REST API: token auth, scoped by the same permission layer as the pages."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from quipu.audit.models import Action, AuditEntry
from tests.api.helpers import api_client_for

pytestmark = pytest.mark.django_db


def _client_for(user) -> APIClient:
    return api_client_for(user)


def test_anonymous_calls_are_refused(region):
    assert APIClient().get(reverse("api:me")).status_code == 401


def test_me_describes_the_token_holder(region):
    body = _client_for(region.user("prosecutor.cl")).get(reverse("api:me")).json()
    assert body["institution"] == "CL-PROSECUTOR"
    assert body["country"] == "CL"
    assert body["roles"] == ["prosecutor"]
    assert "open_jit" in body["capabilities"]
    assert "manage_users" not in body["capabilities"]


def test_rule1_user_list_is_scoped_to_the_focal_points_country_and_audited(region):
    response = _client_for(region.user("focal.uy")).get(reverse("api:users"))
    usernames = {row["username"] for row in response.json()["results"]}
    # consul.uy works at Uruguay's consulate in Brazil: sealed, managed by the secretariat only.
    assert usernames == {f"{p}.uy" for p in ("focal", "caseworker", "prosecutor", "analyst")}
    entry = AuditEntry.objects.get(action=Action.READ)
    assert entry.subject_country == "UY"
    assert len(entry.detail["ids"]) == 4


def test_rule1_user_list_is_forbidden_to_caseworkers_with_a_translated_message(region):
    client = _client_for(region.user("caseworker.uy"))
    response = client.get(reverse("api:users"), HTTP_ACCEPT_LANGUAGE="pt-BR")
    assert response.status_code == 403
    assert response.json()["detail"] == "Você não tem permissão para executar essa ação."


def test_member_states_are_the_ten_of_the_regional_platform(region):
    body = _client_for(region.user("analyst.py")).get(reverse("api:member-states")).json()
    assert sorted(row["code"] for row in body) == sorted(
        ["AR", "BO", "BR", "CL", "CO", "EC", "PY", "PE", "UY", "VE"]
    )


def test_openapi_schema_describes_the_endpoints(client):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/users/" in schema["paths"]


def test_rule4_case_search_words_go_in_the_body_never_the_address(region):
    client = _client_for(region.user("focal.pe"))
    refused = client.get(reverse("api:cases"), {"q": "NombrePE"})
    assert refused.status_code == 400 and "q" in refused.json()
    assert "NombrePE" not in refused.content.decode()
    found = client.post(reverse("api:case-search"), {"q": "NombrePE"}, format="json")
    assert found.status_code == 200
    assert [c["reference"] for c in found.json()["results"]] == ["PE-TEST-1"]
    analyst = _client_for(region.user("analyst.pe"))
    hidden = analyst.post(reverse("api:case-search"), {"q": "NombrePE"}, format="json")
    assert hidden.json()["results"] == []
