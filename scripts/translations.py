"""List untranslated catalogue entries, or fill them from a JSON file.

    python scripts/translations.py todo             # msgids lacking es or pt_BR
    python scripts/translations.py apply new.json   # {"msgid": {"es": "...", "pt_BR": "..."}}

A message with a context (pgettext) is keyed "[context] msgid".

Run `make messages` afterwards so the catalogues keep gettext's own layout.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parents[1] / "quipu" / "locale"
LANGUAGES = ("es", "pt_BR")


def _catalog(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle)


def _missing(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return message.fuzzy or not all(strings)


def _key(message) -> str:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return f"[{message.context}] {msgid}" if message.context else msgid


def todo() -> dict:
    found: dict = {}
    for language in LANGUAGES:
        for message in _catalog(language):
            if message.id and _missing(message):
                found.setdefault(_key(message), {})[language] = ""
    return found


def apply(translations: dict) -> None:
    for language in LANGUAGES:
        catalog = _catalog(language)
        for message in catalog:
            # msgmerge's notes of a fuzzy entry's former msgid, which babel keeps as comments
            message.user_comments = [c for c in message.user_comments if not c.startswith("| ")]
            text = translations.get(_key(message), {}).get(language)
            if message.id and text:
                message.string = tuple(text) if isinstance(message.id, tuple) else text
                message.flags.discard("fuzzy")
        with (LOCALE / language / "LC_MESSAGES" / "django.po").open("wb") as handle:
            write_po(handle, catalog, width=79)


if __name__ == "__main__":
    if sys.argv[1] == "todo":
        print(json.dumps(todo(), ensure_ascii=False, indent=1))
    else:
        apply(json.loads(Path(sys.argv[2]).read_text()))
