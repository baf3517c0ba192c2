"""Rule 6, as the reader sees it: pages rendered in Spanish and Portuguese carry no raw field
names (`routeevent.event_type`), no HTCDS column codes (`hte_`, `prs_`) and no English picklist
values ("Recruitment") where the vocabulary has a translation (issue 14, item 6).

tests/web/test_translations.py checks that every msgid has a translation; this one renders the
pages that printed data the catalogue never saw: model field names, vocabulary codes, data
files (references, survey titles) and third-party pages (the API docs)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from quipu.cases.vocabulary import vocabulary_rows
from quipu.indicators.models import Indicator, Submission, Unit
from quipu.indicators.references import SHIPPED
from quipu.indicators.rounds import submission_assign
from tests.cooperation.requests.factories import (
    BORN,
    CITY,
    REQUESTER,
    linked_notice,
    owner_case,
    request_granted,
)
from tests.indicators.conftest import framework  # noqa: F401 - the shipped framework
from tests.indicators.rounds_helpers import round_open

LANGUAGES = {"es": "es", "pt_BR": "pt-br"}
HTCDS_CODE = re.compile(r"\b(?:org|prs|vic|per|cas|hte|spl|con)_[A-Za-z]\w*")
WORD = r"(?<![\w-]){}(?![\w-])"


class _VisibleText(HTMLParser):
    """The text a reader sees: no markup, scripts or styles; `title` attributes included,
    since a tooltip is read too."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name == "title" and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def model_field_names() -> set[str]:
    """Every `model.field` of the project, as _meta names them (what a template printed)."""
    return {
        f"{model._meta.model_name}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("quipu.")
        for field in model._meta.get_fields()
    }


def english_only_labels(locale: str) -> set[str]:
    """Vocabulary labels whose English differs from their `locale` translation: seeing one
    on a page in that language means a code or an English label leaked through."""
    column = {"es": "label_es", "pt_BR": "label_pt"}[locale]
    found = set()
    for row in vocabulary_rows():
        english, translated = row["label_en"].strip(), (row[column] or "").strip()
        # Labels of one short word ("Other", "Male") collide with ordinary names and codes.
        if translated and english != translated and (" " in english or len(english) > 6):
            found.add(english)
        if "_" in row["code"]:  # a code such as bank_account is never a word of a sentence
            found.add(row["code"])
    return found


def problems_on(html: str, locale: str) -> list[str]:
    text = visible_text(html)
    found = [name for name in model_field_names() if re.search(WORD.format(re.escape(name)), text)]
    found += HTCDS_CODE.findall(text)
    found += [
        f"English value {label!r}"
        for label in english_only_labels(locale)
        if re.search(WORD.format(re.escape(label)), text)
    ]
    found += [f"English reference {ref!r}" for ref in SHIPPED if ref in text]
    return found


@pytest.fixture
def pages(region, framework, login):  # noqa: F811
    """name -> (user, url): the pages issue 14 found raw or English text on, with data."""
    case = owner_case()
    granted = request_granted(
        categories=("identity", "identifiers", "route", "exploitation", "proceedings"), case=case
    )
    notice = linked_notice(case)
    own_side = notice.sides.get(institution__country_id="PE")  # the page is of one side
    survey_round = round_open("CL")
    answer = submission_assign(
        actor=region.user("focal.cl"),
        survey_round=survey_round,
        institution=region.institution("CL-POLICE"),
        responsible=region.user("caseworker.cl"),
    )
    yes_no = Indicator.objects.filter(unit=Unit.YES_NO, is_active=True).first()
    count = Indicator.objects.filter(unit=Unit.COUNT, is_active=True).first()
    return {
        "grant": (REQUESTER, reverse("requests:grant", args=[granted.pk])),
        "request": (REQUESTER, reverse("requests:detail", args=[granted.pk])),
        "notice": ("focal.pe", reverse("linkage:notice", args=[own_side.pk])),
        "indicators": ("secretariat", reverse("indicators:framework")),
        "surveys": ("secretariat", reverse("indicators:survey_list")),
        "survey": ("focal.cl", reverse("indicators:survey_fill", args=["quipu_baseline"])),
        "survey guide": ("focal.cl", reverse("indicators:survey_guide", args=["quipu_baseline"])),
        "survey answer": ("caseworker.cl", reverse("indicators:submission", args=[answer.pk])),
        "round": ("secretariat", reverse("indicators:round_detail", args=[survey_round.pk])),
        "progress": ("secretariat", reverse("progress:overview")),
        "progress yes/no": ("secretariat", reverse("progress:indicator", args=[yes_no.code])),
        "progress count": ("secretariat", reverse("progress:indicator", args=[count.code])),
        "progress country": ("focal.cl", reverse("progress:country", args=["CL"])),
        "api docs": ("secretariat", reverse("api:docs")),
    }


def _get(client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("locale", ["es", "pt_BR"])
def test_rule6_pages_show_no_raw_field_names_codes_or_english_values(pages, login, locale):
    problems = []
    for name, (user, url) in pages.items():
        html = _get(login(user), url, LANGUAGES[locale])
        assert f'lang="{LANGUAGES[locale]}"' in html, name
        problems += [f"{name}: {problem}" for problem in problems_on(html, locale)]
    assert not problems, "\n".join(problems)


def test_the_checker_catches_what_issue_14_found():
    """The page checker itself: the grant page's old output fails it, in both languages."""
    old = (
        "<ul><li>Ruta: <code>routeevent.event_type, routeevent.country</code></li>"
        "<li>Recruitment — VE Maracaibo 2025-08-01</li><li>hte_Country</li></ul>"
    )
    for locale in ("es", "pt_BR"):
        found = problems_on(old, locale)
        assert "routeevent.event_type" in found and "hte_Country" in found
        assert "English value 'Recruitment'" in found
    assert not problems_on("<p>Captación — Venezuela, Maracaibo, 01/08/2025</p>", "es")


def test_grant_page_reads_in_the_reader_s_language(pages, login):
    user, url = pages["grant"]
    spanish = visible_text(_get(login(user), url, "es"))
    assert "Tipo de identificador" in spanish and "Número de teléfono" in spanish
    assert "Explotación" in spanish and "Colombia" in spanish and CITY in spanish
    assert "09/03/1997" in spanish  # the birth date, as Spanish writes it
    portuguese = visible_text(_get(login(user), url, "pt-br"))
    assert "Exploração" in portuguese and "Número de telefone" in portuguese
    english = visible_text(_get(login(user), url, "en"))
    assert BORN.strftime("%-d %b %Y") in english  # "9 Mar 1997": day first, not 03/09/1997
    assert "03/09/1997" not in english


def test_survey_title_and_references_follow_the_language(pages, login):
    user, url = pages["surveys"]
    titles = {
        language: visible_text(_get(login(user), url, language))
        for language in ("es", "pt-br", "en")
    }
    assert "Encuesta de línea de base" in titles["es"]
    assert "Pesquisa de linha de base" in titles["pt-br"]
    assert "Baseline survey" in titles["en"]
    user, url = pages["indicators"]
    framework_es = visible_text(_get(login(user), url, "es"))
    assert "Protocolo de Palermo" in framework_es and "Palermo Protocol" not in framework_es


def test_api_docs_page_is_translated_and_leads_back_to_the_app(pages, login):
    user, url = pages["api docs"]
    html = _get(login(user), url, "pt-br")
    assert "Documentação da API do Quipu" in html
    assert f'href="{reverse("web:home")}"' in html
    assert "<script>" not in html and "<style>" not in html and 'style="' not in html


def test_survey_review_messages_are_sentences(region, framework, login):  # noqa: F811
    survey_round = round_open("CL")
    answer = Submission.objects.create(
        round=survey_round,
        institution=region.institution("CL-POLICE"),
        responsible=region.user("caseworker.cl"),
        state="submitted",
    )
    client = login("focal.cl")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    url = reverse("indicators:submission_act", args=[answer.pk, "approve"])
    page = client.post(url, follow=True).content.decode()
    assert "Respuestas aprobadas." in page and "Hecho:" not in page
