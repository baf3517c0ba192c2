"""Searching the case list by name never puts the name in a URL (DESIGN.md rule 4)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_name_search_redirects_to_a_url_without_the_name_and_finds_the_case(login):
    client = login("focal.pe")
    response = client.post(reverse("cases:list"), {"q": "NombrePE", "kind": "TIP"})
    assert response.status_code == 302
    url = response["Location"]
    assert "NombrePE" not in url and "kind=TIP" in url and "search=" in url
    page = client.get(url).content.decode()
    assert "PE-TEST-1" in page
    assert client.get(url + "&page=1").status_code == 200  # pagination keeps the search


def test_a_search_key_from_another_session_finds_nothing_of_it(login):
    url = login("focal.pe").post(reverse("cases:list"), {"q": "NombrePE"})["Location"]
    page = login("focal.co").get(url).content.decode()
    assert "NombrePE" not in page
