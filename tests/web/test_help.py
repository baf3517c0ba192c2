"""The user guide served by the app in the reader's language, and the Help link of every page
(issue 14, item 7)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from quipu.help import guide

pytestmark = pytest.mark.django_db
LANGUAGES = ("es", "pt-br", "en")
HEADINGS = {"es": "Registrar un caso", "pt-br": "Registrar um caso", "en": "Registering a case"}
HELP_LABEL = {"es": "Ayuda", "pt-br": "Ajuda", "en": "Help"}
HELP_LINK = re.compile(r'<a class="help-link" href="([^"]+)"[^>]*>([^<]+)</a>')


def _help_link(response) -> tuple[str, str]:
    return HELP_LINK.search(response.content.decode()).groups()


def _article(response) -> str:
    html = response.content.decode()
    return html[html.index("<article") : html.index("</article>")]


def test_every_page_of_the_guide_is_translated_into_spanish_and_portuguese():
    english = sorted(path.name for path in guide.GUIDE_DIR.glob("*.md"))
    for folder in ("es", "pt-BR"):
        assert sorted(p.name for p in (guide.GUIDE_DIR / folder).glob("*.md")) == english


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_guide_page_renders_in_the_readers_language_without_raw_markdown(language):
    client = Client()
    for slug in guide.guide_slugs():
        response = client.get(reverse("help:page", args=[slug]), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, slug
        article = _article(response)
        assert f'lang="{language}"' in article, slug
        assert "<h1>" in article, slug
        text = re.sub(r"<pre>.*?</pre>|<code>.*?</code>", "", article, flags=re.S)
        for raw in ("**", "](", "![", "\n# ", "\n## ", "|---"):
            assert raw not in text, (slug, raw)
        assert "no está traducida" not in article and "ainda não foi traduzida" not in article


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cases_page_is_in_the_readers_language(language):
    response = Client().get(reverse("help:page", args=["cases"]), HTTP_ACCEPT_LANGUAGE=language)
    assert HEADINGS[language] in response.content.decode()


def test_links_and_images_point_to_the_apps_own_addresses():
    response = Client().get(reverse("help:page", args=["index"]), HTTP_ACCEPT_LANGUAGE="pt-br")
    article = _article(response)
    assert 'href="/help/focal-point/"' in article
    assert 'src="/help/img/login-es.png"' in article
    image = Client().get("/help/img/login-es.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert Client().get("/help/img/..%2Fother-roles.md").status_code == 404
    assert Client().get("/help/img/nothing.png").status_code == 404
    assert Client().get(reverse("help:page", args=["nothing"])).status_code == 404


def test_a_page_without_translation_is_shown_in_english_with_a_note(tmp_path, monkeypatch):
    (tmp_path / "README.md").write_text("# Guide\n\nSee [the cases](cases.md).\n")
    (tmp_path / "cases.md").write_text("# Cases\n\nOnly in English <script>alert(1)</script>\n")
    (tmp_path / "es").mkdir()
    (tmp_path / "es" / "README.md").write_text("# Guía\n")
    monkeypatch.setattr(guide, "GUIDE_DIR", tmp_path)
    response = Client().get(reverse("help:page", args=["cases"]), HTTP_ACCEPT_LANGUAGE="es")
    article = _article(response)
    assert "Esta página aún no está traducida a su idioma" in article
    assert 'lang="en"' in article and "Only in English" in article
    assert "<script>" not in article  # raw HTML in a page is not passed through
    translated = Client().get(reverse("help:page", args=["index"]), HTTP_ACCEPT_LANGUAGE="es")
    assert "<h1>Guía</h1>" in translated.content.decode()
    assert "no está traducida" not in translated.content.decode()


@pytest.mark.parametrize(
    ("username", "view_name", "page"),
    [
        ("caseworker.co", "cases:list", "cases"),
        ("caseworker.co", "web:home", "cases"),
        ("prosecutor.pe", "web:home", "information-requests"),
        ("prosecutor.pe", "jits:list", "joint-investigation-teams"),
        ("consul.co", "web:home", "consular-referrals"),
        ("analyst.cl", "web:home", "statistics"),
        ("secretariat", "web:home", "secretariat"),
        ("secretariat", "progress:overview", "progress"),
        ("focal.co", "web:home", "focal-point"),
        ("focal.co", "requests:inbox", "information-requests"),
        ("focal.co", "helpline:inbox", "helpline-reports"),
        ("focal.co", "audit:trail", "focal-point"),
    ],
)
def test_the_help_link_of_a_page_leads_to_the_guide_page_of_its_topic(
    region, login, username, view_name, page
):
    client = login(username)
    for language in LANGUAGES:
        response = client.get(reverse(view_name), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        href, label = _help_link(response)
        assert href == reverse("help:page", args=[page])
        assert label == HELP_LABEL[language]


def test_the_guide_is_open_to_anonymous_readers_and_the_sign_in_page_links_it(region):
    login_page = Client().get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="es")
    href, label = _help_link(login_page)
    assert (href, label) == (reverse("help:page", args=["index"]), "Ayuda")
    guide_page = Client().get(href, HTTP_ACCEPT_LANGUAGE="es")
    assert guide_page.status_code == 200
    assert "Guía del usuario" in guide_page.content.decode()
