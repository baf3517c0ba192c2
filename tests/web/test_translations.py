"""Rule 6: every user-visible string in templates and code is translated into es and pt-BR."""

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po
from django.utils.translation.template import templatize

QUIPU = Path(__file__).resolve().parents[2] / "quipu"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
}


def _msgids_in(source: str) -> set[tuple[str, str | None]]:
    """(msgid, context or None) of each message, as the catalogue keys them."""
    found = set()
    for _, function, message, _ in extract_python(io.BytesIO(source.encode()), KEYWORDS, [], {}):
        context = None
        if function.startswith("pgettext"):
            context, message = message[0], message[1]
        found.add((message[0] if isinstance(message, tuple) else message, context))
    return {m for m in found if m[0]}


def user_visible_msgids() -> dict[tuple[str, str | None], str]:
    """(msgid, context) -> the file it comes from, for every template and Python module."""
    found: dict[tuple[str, str | None], str] = {}
    for path in QUIPU.rglob("*.html"):
        for msgid in _msgids_in(templatize(path.read_text(), origin=str(path))):
            found.setdefault(msgid, str(path.relative_to(QUIPU)))
    for path in QUIPU.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for msgid in _msgids_in(path.read_text()):
            found.setdefault(msgid, str(path.relative_to(QUIPU)))
    return found


@pytest.mark.parametrize("locale", ["es", "pt_BR"])
def test_rule6_every_user_visible_string_is_translated(locale):
    with open(QUIPU / "locale" / locale / "LC_MESSAGES" / "django.po", "rb") as handle:
        catalog = read_po(handle)
    missing = []
    for (msgid, context), origin in sorted(
        user_visible_msgids().items(), key=lambda item: (item[0][0], item[0][1] or "")
    ):
        message = catalog.get(msgid, context=context)
        strings = (
            (message.string if isinstance(message.string, tuple) else (message.string,))
            if message
            else ()
        )
        if message is None or message.fuzzy or not all(strings):
            missing.append(f"{origin}: {msgid!r}")
    assert not missing, f"{len(missing)} strings lack a {locale} translation:\n" + "\n".join(
        missing
    )


def test_the_extractor_sees_template_and_code_strings():
    msgids = {msgid for msgid, _ in user_visible_msgids()}
    assert "Sign in" in msgids  # a template string
    assert "Audit trail" in msgids  # a Python string
    assert len(msgids) > 100
