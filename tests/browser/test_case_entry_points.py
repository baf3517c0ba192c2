"""Issue 14, item 1: a caseworker finds where to start a case, on the case list and in the menu;
a role that may not write cases sees neither. Django's test client, no browser."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW_CASE = f'href="{reverse("cases:new")}"'
IMPORT = f'href="{reverse("intake:import_start")}"'


def _main(page: str) -> str:
    return page.split("<main", 1)[1]


def _menu(page: str) -> str:
    return page.split('<nav class="mainnav"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize("username", ["caseworker.co", "focal.pe"])
def test_who_may_write_cases_sees_new_case_and_import_on_the_list_and_in_the_menu(
    login, region, username
):
    page = login(username).get(reverse("cases:list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert NEW_CASE in _main(page) and IMPORT in _main(page)
    assert "Nuevo caso" in _main(page) and "Importar un archivo" in _main(page)
    assert NEW_CASE in _menu(page) and IMPORT in _menu(page)
    assert login(username).get(reverse("cases:new")).status_code == 200


@pytest.mark.parametrize("username", ["analyst.co", "prosecutor.co"])
def test_who_may_not_write_cases_sees_neither_and_is_refused_the_form(login, region, username):
    client = login(username)
    page = client.get(reverse("cases:list")).content.decode()
    assert NEW_CASE not in page and IMPORT not in page
    assert client.get(reverse("cases:new")).status_code == 403
