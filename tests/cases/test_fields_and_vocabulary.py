"""Picklists are data with three languages; multi-selects keep present, absent and unknown."""

import pytest

from quipu.cases.fields import CodeSet, has_code
from quipu.cases.models import Term, Victim
from quipu.cases.vocabulary import label, vocabulary_rows


def test_codeset_keeps_present_absent_and_unknown():
    codes = CodeSet.of(present={"DebtBondage"}, absent={"Threats", "DebtBondage"})
    assert codes.state("DebtBondage") is True
    assert codes.state("Threats") is False
    assert codes.state("SexualAbuse") is None
    assert CodeSet.load(codes.dump()) == codes
    assert CodeSet.load("") == CodeSet() and not CodeSet()


def test_rule6_every_picklist_term_has_spanish_portuguese_and_english_labels():
    missing = [
        f"{r['vocabulary']}:{r['code']}"
        for r in vocabulary_rows()
        if not (r["label_en"] and r["label_es"] and r["label_pt"])
    ]
    assert not missing, missing


@pytest.mark.django_db
def test_terms_table_mirrors_the_vocabulary_file_after_migrate():
    assert Term.objects.count() == len(vocabulary_rows())
    term = Term.objects.get(vocabulary="exploitation_type", code="ForcedLabour")
    assert term.ctdc == "isForcedLabour"


def test_labels_follow_the_active_language():
    from django.utils import translation

    with translation.override("pt-br"):
        portuguese = label("exploitation_type", "ForcedLabour")
    with translation.override("es"):
        spanish = label("exploitation_type", "ForcedLabour")
    assert spanish != portuguese
    assert label("exploitation_type", "NoSuchCode") == "NoSuchCode"


@pytest.mark.django_db
def test_has_code_finds_present_codes_only(region):
    victims = Victim.objects.filter(has_code("exploitation_types", "SexualExploitation"))
    assert victims.count() == 10
    assert not Victim.objects.filter(has_code("exploitation_types", "Sexual")).exists()
