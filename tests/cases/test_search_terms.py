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


def _search_reads() -> int:
    from quipu.audit.models import Action, AuditEntry

    return AuditEntry.objects.filter(action=Action.READ, purpose="case search").count()


def test_rule4_search_words_in_the_address_are_not_searched_and_the_redirect_drops_them(
    login, caplog
):
    client = login("focal.pe")
    with caplog.at_level("DEBUG"):
        response = client.get(reverse("cases:list"), {"q": "NombrePE", "kind": "TIP"})
        assert response.status_code == 302
        assert response["Location"] == reverse("cases:list") + "?kind=TIP"
        page = client.get(response["Location"])
    assert _search_reads() == 0  # nothing was searched
    assert "NombrePE" not in page.content.decode()  # not echoed in the form nor a link
    assert "NombrePE" not in caplog.text


def test_rule4_the_search_form_posts_and_no_address_on_the_way_holds_the_words(login, caplog):
    client = login("focal.pe")
    page = client.get(reverse("cases:list")).content.decode()
    form = page[page.index('role="search"') - 200 : page.index('name="q"')]
    assert 'method="post"' in form[form.rindex("<form") :]
    with caplog.at_level("DEBUG"):
        found = client.post(reverse("cases:list"), {"q": "NombrePE"}, follow=True)
    assert "PE-TEST-1" in found.content.decode()
    # An access log writes each request line: none of them carries the words.
    addresses = [url for url, _status in found.redirect_chain] + [found.request["QUERY_STRING"]]
    assert addresses and not any("NombrePE" in address for address in addresses)
    assert "NombrePE" not in caplog.text
