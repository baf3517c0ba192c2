"""The OpenAPI schema describes what the API does, errors included (issue 13, finding 14)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.helpers import api_client_for

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def schema(client):
    return client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _ref(schema, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_every_operation_documents_its_errors_with_the_projects_error_body(schema):
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        assert {"401", "429"} <= codes, (method, path)
        if method != "get":
            assert {"400", "409", "422"} <= codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        error = operation["responses"]["401"]["content"]["application/json"]["schema"]
        assert error == {"$ref": "#/components/schemas/Error"}
    assert _ref(schema, "#/Error")["required"] == ["detail"]


def test_every_operation_is_authenticated_by_an_api_token(schema):
    scheme = schema["components"]["securitySchemes"]["apiToken"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    for path, method, operation in _operations(schema):
        assert {"apiToken": []} in operation.get("security", [{}]), (method, path)


def test_case_search_is_documented_as_a_page_of_cases_with_its_words_in_the_body(schema):
    operation = schema["paths"]["/api/v1/cases/search/"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "q" in _ref(schema, body["$ref"])["properties"]
    page = _ref(
        schema, operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    )
    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    assert page["properties"]["results"]["items"] == {"$ref": "#/components/schemas/CaseSummary"}
    listed = {p["name"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert "q" not in listed and {"kind", "year_from", "page"} <= listed


def test_case_search_answers_the_page_its_schema_describes(region, schema):
    found = api_client_for(region.user("focal.pe")).post(
        reverse("api:case-search"), {"q": "NombrePE"}, format="json"
    )
    documented = schema["components"]["schemas"]["CaseSummary"]["required"]
    assert set(found.json()) == {"count", "next", "previous", "results"}
    assert set(documented) <= set(found.json()["results"][0])


@pytest.mark.parametrize(
    ("body", "field"),
    [({"kind": "Nope"}, "kind"), ({"year_from": "abc"}, "year_from"), ({"q": "x" * 201}, "q")],
)
def test_an_invalid_search_filter_is_a_400_naming_it_not_a_wider_list(region, body, field):
    client = api_client_for(region.user("focal.pe"))
    response = client.post(reverse("api:case-search"), body, format="json")
    assert response.status_code == 400 and field in response.json()


def test_an_invalid_list_filter_is_a_400_naming_it(region):
    client = api_client_for(region.user("focal.pe"))
    response = client.get(reverse("api:cases"), {"year_from": 2024, "year_to": 2000})
    assert response.status_code == 400 and "year_to" in response.json()
    assert client.get(reverse("api:cases"), {"kind": "TIP"}).status_code == 200


def test_a_search_body_that_is_not_an_object_is_a_400(region):
    client = api_client_for(region.user("focal.pe"))
    response = client.post(reverse("api:case-search"), ["NombrePE"], format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()


def test_the_submission_list_has_its_own_schema_without_answers_actions_or_history(region, schema):
    operation = schema["paths"]["/api/v1/indicators/submissions/"]["get"]
    page = _ref(
        schema, operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    )
    row = _ref(schema, page["properties"]["results"]["items"]["$ref"])
    assert not {"answers", "comments", "actions", "history"} & set(row["properties"])
    assert {"actions", "history"} <= set(_ref(schema, "#/Submission")["properties"])


def test_an_address_under_the_api_that_names_no_operation_is_a_json_404(region):
    client = APIClient()
    for path in ("/api/v1/cases/abc/", "/api/v1/nothing-here/", "/api/v1/jits/1/a%0Ab/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json", path
    assert client.get("/api/v1/me")["Location"] == "/api/v1/me/"  # APPEND_SLASH still works


def test_request_bodies_are_documented_as_json_and_uploads_as_multipart(schema):
    for path, method, operation in _operations(schema):
        if "requestBody" in operation:
            media_types = set(operation["requestBody"]["content"])
            assert media_types in ({"application/json"}, {"multipart/form-data"}), (method, path)
    imports = schema["paths"]["/api/v1/imports/"]["post"]["requestBody"]["content"]
    assert set(imports) == {"multipart/form-data"}


def test_a_list_that_may_not_be_empty_is_documented_so(schema):
    opening = schema["components"]["schemas"]["ReferralOpenRequest"]["properties"]
    assert opening["assistance"]["minItems"] == 1


def test_a_receipt_to_verify_that_is_not_an_object_is_a_400(region):
    client = api_client_for(region.user("focal.co"))
    for body in ("null", "[]", '"receipt"'):
        response = client.post(reverse("api:receipt-verify"), body, content_type="application/json")
        assert response.status_code == 400, body


@pytest.mark.parametrize("value", [{}, ["AR"], False])
def test_a_search_filter_sent_as_a_list_object_or_boolean_is_a_400_not_ignored(region, value):
    client = api_client_for(region.user("focal.pe"))
    response = client.post(reverse("api:case-search"), {"exploited_in": value}, format="json")
    assert response.status_code == 400 and "exploited_in" in response.json()


def test_an_empty_filter_is_documented_as_no_filter(schema):
    listed = {p["name"]: p for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert "" in listed["kind"]["schema"]["enum"]
    events = {p["name"]: p for p in schema["paths"]["/api/v1/route-events/"]["get"]["parameters"]}
    assert "" in events["event_type"]["schema"]["enum"]


def test_a_list_filter_given_twice_is_a_400_naming_it(region):
    client = api_client_for(region.user("focal.pe"))
    response = client.get(reverse("api:cases") + "?year_to=2&year_to=")
    assert response.status_code == 400 and "year_to" in response.json()
