"""Audit purposes are stored in English in the chain and shown in the reader's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from quipu.audit.models import Action
from quipu.audit.purposes import purpose_label
from quipu.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stored", "spanish", "portuguese"),
    [
        ("import", "Importación", "Importação"),
        ("case search", "Búsqueda de casos", "Busca de casos"),
        ("consular referral REF-000007", "Derivación consular REF-000007", None),
        ("joint investigation team JIT-00002", None, "Equipe conjunta de investigação JIT-00002"),
        ("REQ-CO-2026-0003", "REQ-CO-2026-0003", "REQ-CO-2026-0003"),  # a request's reference
        ("importing", "importing", "importing"),  # only whole words are recognised
    ],
)
def test_each_registered_purpose_reads_in_the_readers_language(stored, spanish, portuguese):
    for language, expected in (("es", spanish), ("pt-br", portuguese)):
        if expected is not None:
            with translation.override(language):
                assert purpose_label(stored) == expected


def test_the_trail_shows_the_translated_purpose_and_keeps_the_stored_one(region, login):
    entry = audit_record(
        actor=region.user("focal.co"),
        action=Action.READ,
        object_type="cases.case",
        subject_country="CO",
        purpose="case search",
    )
    page = login("focal.co").get(reverse("audit:trail"), HTTP_ACCEPT_LANGUAGE="pt-BR")
    assert "Busca de casos" in page.content.decode()
    entry.refresh_from_db()
    assert entry.purpose == "case search"
