"""Picklists as data: quipu/cases/data/vocabularies.csv, loaded into `Term` after every migrate."""

import csv
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.utils.translation import get_language

VOCABULARY_FILE = Path(__file__).resolve().parent / "data" / "vocabularies.csv"


def vocabulary_rows() -> list[dict]:
    with VOCABULARY_FILE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def vocabularies_sync(term_model=None) -> int:
    """Make the Term table equal the CSV (new, changed and retired terms)."""
    from quipu.cases.models import Term

    term_model = term_model or Term
    rows = vocabulary_rows()
    wanted = {(r["vocabulary"], r["code"]): r for r in rows}
    with transaction.atomic():
        existing = {(t.vocabulary, t.code): t for t in term_model.objects.all()}
        for order, (key, row) in enumerate(wanted.items()):
            values = {
                "label_en": row["label_en"],
                "label_es": row["label_es"] or row["label_en"],
                "label_pt": row["label_pt"] or row["label_en"],
                "origin": row["origin"],
                "ctdc": row["ctdc"],
                "order": order,
                "active": True,
            }
            term = existing.get(key)
            if term is None:
                term_model.objects.create(vocabulary=key[0], code=key[1], **values)
            elif any(getattr(term, k) != v for k, v in values.items()):
                term_model.objects.filter(pk=term.pk).update(**values)
        retired = [t.pk for k, t in existing.items() if k not in wanted and t.active]
        term_model.objects.filter(pk__in=retired).update(active=False)
    terms_by_vocabulary.cache_clear()
    return len(wanted)


def vocabularies_sync_after_migrate(sender, **kwargs) -> None:
    vocabularies_sync()


@lru_cache(maxsize=1)
def terms_by_vocabulary() -> dict[str, dict[str, dict]]:
    """{vocabulary: {code: row}} from the CSV; the database copy is for joins and the admin."""
    found: dict[str, dict[str, dict]] = {}
    for row in vocabulary_rows():
        found.setdefault(row["vocabulary"], {})[row["code"]] = row
    return found


def codes(vocabulary: str) -> list[str]:
    return list(terms_by_vocabulary()[vocabulary])


def label(vocabulary: str, code: str) -> str:
    """The term's label in the active language; the code itself if unknown."""
    row = terms_by_vocabulary().get(vocabulary, {}).get(code)
    if row is None:
        return code
    language = (get_language() or "es")[:2]
    return row.get(f"label_{language}") or row["label_en"]


def choices(vocabulary: str) -> list[tuple[str, str]]:
    return [(code, label(vocabulary, code)) for code in codes(vocabulary)]


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


@lru_cache(maxsize=1)
def _codes_by_label() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for row in vocabulary_rows():
        index = found.setdefault(row["vocabulary"], {})
        for text in (row["label_en"], row["label_es"], row["label_pt"], row["code"]):
            if text:
                index.setdefault(_folded(text), row["code"])
    return found


def code_for(vocabulary: str, text: str) -> str | None:
    """The code a user meant by a code or a label in any of the three languages, or None.

    Spreadsheets such as HTCDS's own templates store labels ("Debt bondage ") rather than codes.
    """
    return _codes_by_label().get(vocabulary, {}).get(_folded(text))
