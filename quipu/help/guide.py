"""The user guide (docs/user-guide/*.md) as pages of the app, in the reader's language.

English is the original in docs/user-guide/; translations keep the same file names under
docs/user-guide/es/ and docs/user-guide/pt-BR/. A page not yet translated is shown in English
with a note. Only the shipped files are rendered, and raw HTML in them is not passed through
(markdown-it-py with html off), so a page cannot inject markup; links between pages and to
img/ are rewritten to the app's own addresses, links leaving the guide become plain text."""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from markdown_it import MarkdownIt

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "user-guide"
IMAGE_DIR = GUIDE_DIR / "img"
INDEX = "index"
# Django language code -> folder of its translation ("" is the English original).
LANGUAGE_FOLDERS = {"en": "", "es": "es", "pt-br": "pt-BR"}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
IMAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.(png|svg|jpg)$")


@dataclass(frozen=True)
class GuidePage:
    slug: str
    title: str
    html: str
    language: str  # the language the text is in
    fallback: bool  # True: the reader's language has no translation of this page yet


def _file_name(slug: str) -> str:
    return "README.md" if slug == INDEX else f"{slug}.md"


def guide_slugs() -> list[str]:
    """Every page of the English original: the index, then in the order the index lists
    them, then any it does not list."""
    slugs = sorted(path.stem for path in GUIDE_DIR.glob("*.md") if path.name != "README.md")
    index = GUIDE_DIR / "README.md"
    listed = (
        re.findall(r"\]\(([a-z0-9-]+)\.md\)", index.read_text("utf-8")) if index.is_file() else []
    )
    ordered = [slug for slug in dict.fromkeys(listed) if slug in slugs]
    return [INDEX, *ordered, *(slug for slug in slugs if slug not in ordered)]


def guide_page_exists(slug: str) -> bool:
    return bool(_SLUG.match(slug)) and (GUIDE_DIR / _file_name(slug)).is_file()


def _source(slug: str, language: str) -> tuple[Path, str, bool]:
    folder = LANGUAGE_FOLDERS.get(language, "")
    if folder:
        translated = GUIDE_DIR / folder / _file_name(slug)
        if translated.is_file():
            return translated, language, False
        return GUIDE_DIR / _file_name(slug), "en", True
    return GUIDE_DIR / _file_name(slug), "en", False


def guide_page(slug: str, language: str) -> GuidePage | None:
    """The page in `language`, else in English; None for a page the guide does not have."""
    if not guide_page_exists(slug):
        return None
    path, shown, fallback = _source(slug, language)
    title, html = _render(str(path), path.stat().st_mtime_ns)
    return GuidePage(slug=slug, title=title, html=html, language=shown, fallback=fallback)


def guide_titles(language: str) -> list[tuple[str, str]]:
    """(slug, title) of every page, titles in `language` where translated."""
    pages = (guide_page(slug, language) for slug in guide_slugs())
    return [(page.slug, page.title) for page in pages if page is not None]


@lru_cache(maxsize=128)
def _render(path: str, _mtime: int) -> tuple[str, str]:
    """(title, html) of one Markdown file; cached until the file changes."""
    text = Path(path).read_text(encoding="utf-8")
    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = markdown.parse(text)
    title = ""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1" and not title:
            title = tokens[index + 1].content
        for child in token.children or []:
            if child.type == "link_open":
                child.attrSet("href", _link(child.attrGet("href") or ""))
            elif child.type == "image":
                child.attrSet("src", _image(child.attrGet("src") or ""))
                child.attrSet("loading", "lazy")
    return title, markdown.renderer.render(tokens, markdown.options, {})


def _link(href: str) -> str:
    parts = urlsplit(href)
    if parts.scheme in {"http", "https", "mailto"} or href.startswith("#"):
        return href
    name = Path(parts.path).name
    if parts.path.endswith(".md") and "/" not in parts.path.removeprefix("./"):
        slug = INDEX if name == "README.md" else name.removesuffix(".md")
        if guide_page_exists(slug):
            anchor = f"#{parts.fragment}" if parts.fragment else ""
            return reverse("help:page", args=[slug]) + anchor
    if parts.path.startswith(("img/", "../img/")):
        return _image(parts.path)
    return "#"  # outside the guide (the operator's guide, code): not served here


def _image(src: str) -> str:
    """Translations sit one folder down and show the original's images as ../img/."""
    src = src.removeprefix("../")
    name = src.removeprefix("img/")
    if src.startswith("img/") and IMAGE_NAME.match(name):
        return reverse("help:image", args=[name])
    return ""
