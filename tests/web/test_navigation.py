"""The main menu: sections are drop-downs holding what the user may use, on one row."""

import pytest
from django.urls import reverse
from django.utils import translation

from quipu.web.navigation import nav_menu_for

pytestmark = pytest.mark.django_db


def _labels(menu) -> list[str]:
    return [str(item["label"]) for item in menu]


def test_a_focal_points_menu_is_grouped_into_sections(region):
    with translation.override("es"):
        menu = nav_menu_for(region.user("focal.co"))
        assert _labels(menu) == [
            "Inicio",
            "Casos",
            "Cooperación",
            "Indicadores y progreso",
            "Administración",
        ]
        cooperation = next(item for item in menu if item.get("key") == "cooperation")
        urls = [entry["url"] for entry in cooperation["entries"]]
    assert reverse("linkage:notices") in urls and reverse("requests:inbox") in urls
    assert all("entries" not in entry for entry in cooperation["entries"])


def test_a_section_reached_by_one_entry_is_that_entrys_link(region):
    with translation.override("pt-br"):
        menu = nav_menu_for(region.user("analyst.co"), current="cases:list")
    cases = next(item for item in menu if item["label"] == "Lista de casos")
    assert "entries" not in cases and cases["url"] == reverse("cases:list")
    assert cases["current"]


def test_the_section_of_the_page_shown_is_marked(login, region):
    page = login("focal.co").get(reverse("requests:inbox")).content.decode()
    assert '<details data-section="cooperation">' in page
    assert '<summary class="current">Cooperación</summary>' in page
    assert f'<a href="{reverse("requests:inbox")}" aria-current="page">' in page
    assert '<summary class="current">Casos</summary>' not in page


def test_account_security_is_in_the_header_for_everyone(login, region):
    page = login("analyst.co").get(reverse("web:home")).content.decode()
    header = page.split('<nav class="mainnav"')[0]
    assert f'<a class="account" href="{reverse("accounts:security")}"' in header


def test_a_records_page_marks_the_section_of_its_list(region):
    menu = nav_menu_for(region.user("focal.co"), current="cases:detail")
    cases = next(item for item in menu if item.get("key") == "cases")
    assert cases["current"] and not any(entry["current"] for entry in cases["entries"])
    assert not any(item["current"] for item in menu if item.get("key") != "cases")


def test_one_section_is_marked_when_a_namespace_has_entries_in_two():
    from quipu.web.navigation import ADMINISTRATION, COOPERATION, _section_of_page

    settings = {"current": False, "area": True}  # linkage:settings, under Administration
    notices = {"current": False, "area": True}  # linkage:notices, under Cooperation
    assert _section_of_page({ADMINISTRATION: [settings], COOPERATION: [notices]}) == COOPERATION
    settings_shown = {"current": True, "area": True}
    by_section = {ADMINISTRATION: [settings_shown], COOPERATION: [notices]}
    assert _section_of_page(by_section) == ADMINISTRATION
