"""Country lists follow the reader's language: alphabetical by the name they read, accents
and case ignored, never by ISO code (issue 14, item 7)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from quipu.cases.entry_forms import PersonStepForm
from quipu.tenancy.country_order import countries_by_name, name_sort_key
from quipu.tenancy.models import Country
from tests.indicators.conftest import framework  # noqa: F401 - the shipped framework

MEMBERS_PT = [
    "Argentina",
    "Bolívia",
    "Brasil",
    "Chile",
    "Colômbia",
    "Equador",
    "Paraguai",
    "Peru",
    "Uruguai",
    "Venezuela",
]


def test_accents_and_case_do_not_decide_the_order():
    names = ["Perú", "paraguay", "Åland", "Ecuador", "Austria"]
    assert sorted(names, key=name_sort_key) == ["Åland", "Austria", "Ecuador", "paraguay", "Perú"]


@pytest.mark.django_db
def test_the_same_countries_sort_differently_in_each_language():
    countries = list(Country.objects.filter(code__in=["DE", "BR", "ES", "CH"]))
    expected = {
        "es": ["Alemania", "Brasil", "España", "Suiza"],
        "pt-br": ["Alemanha", "Brasil", "Espanha", "Suíça"],
        "en": ["Brazil", "Germany", "Spain", "Switzerland"],
    }
    for language, names in expected.items():
        with translation.override(language):
            assert [c.name for c in countries_by_name(countries)] == names


@pytest.mark.django_db
def test_a_country_picker_lists_all_countries_by_name_when_drawn():
    form = PersonStepForm()
    with translation.override("en"):
        english = [label for value, label in form.fields["citizenship"].choices if value]
    with translation.override("es"):
        spanish = [label for value, label in form.fields["citizenship"].choices if value]
    assert english == sorted(english, key=name_sort_key) and len(english) > 240
    assert spanish == sorted(spanish, key=name_sort_key)
    assert english.index("Germany") > english.index("Brazil")
    assert spanish.index("Alemania") < spanish.index("Brasil")


def test_the_request_form_offers_member_states_by_their_portuguese_names(region, login):
    client = login("prosecutor.pe")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt-br"
    html = client.get(reverse("requests:new")).content.decode()
    select = re.search(r'<select name="receiving_country".*?</select>', html, re.S).group(0)
    offered = re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]+)</option>', select)
    # By ISO code Peru (PE) would come before Paraguai (PY).
    assert offered == [name for name in MEMBERS_PT if name in offered]
    assert offered.index("Paraguai") < offered.index("Peru")


def test_progress_overview_columns_follow_the_english_names(region, framework, login):  # noqa: F811
    client = login("secretariat")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("progress:overview")).content.decode()
    header = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    titles = re.findall(r'<abbr title="([^"]+)">', header)
    assert titles == sorted(titles, key=name_sort_key) and len(titles) == 10
    assert titles.index("Paraguay") < titles.index("Peru")
