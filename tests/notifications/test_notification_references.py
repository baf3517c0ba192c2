"""Notifications name their record (issue 14, item 4): the reference (REQ-, REF-, JIT-) and the
other country lead the translated title, so two requests no longer read the same; never any
personal data. Notifications made before the change get the reference from their link."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from quipu.cases.models import Victim
from quipu.cooperation.jits.models import Jit
from quipu.cooperation.referrals.services import referral_open
from quipu.intake.records import CaseRecord, PersonRecord
from quipu.intake.writer import records_write
from quipu.notifications.models import Notification
from tests.cooperation.jits.conftest import jit_proposed
from tests.cooperation.requests.factories import FIRST, request_sent


@pytest.fixture(autouse=True)
def receipt_signing_key(tmp_path, monkeypatch):
    monkeypatch.delenv("QUIPU_RECEIPT_SIGNING_KEY", raising=False)
    monkeypatch.setenv("QUIPU_RECEIPT_SIGNING_KEY_FILE", str(tmp_path / "receipt-signing.key"))


def titles_of(username: str) -> list[str]:
    return [row.title for row in Notification.objects.filter(recipient__username=username)]


def test_a_new_request_is_notified_with_its_reference_and_the_asking_country(region, login):
    first = request_sent(to="CO")  # by prosecutor.pe
    second = request_sent(to="CO")
    with translation.override("es"):
        titles = titles_of("focal.co")
    assert f"{first.reference} (Perú): Nueva solicitud de información para su país" in titles
    assert f"{second.reference} (Perú): Nueva solicitud de información para su país" in titles
    with translation.override("pt-br"):
        assert f"{first.reference} (Peru): " in " ".join(titles_of("focal.co"))
    # The list page shows them apart, in the user's language, and carries no personal data.
    html = login("focal.co").get(reverse("notifications:list")).content.decode()
    assert first.reference in html and second.reference in html
    assert FIRST not in html


def test_an_answer_names_the_request_and_the_country_that_answered(region):
    from quipu.cooperation.requests.services import information_request_transition

    sent = request_sent(to="CO")
    information_request_transition(
        actor=region.user("focal.co"),
        information_request=sent,
        action="ask",
        comment="¿Qué carpeta?",
    )
    with translation.override("en"):
        assert any(
            title.startswith(f"{sent.reference} (Colombia): ")
            for title in titles_of("prosecutor.pe")
        )


def test_a_referral_is_notified_with_its_reference(region):
    records_write(
        owner=region.institution("PE-POLICE"),
        records=[
            CaseRecord(
                row=1,
                source_key="test:referral-title",
                case={"reference": "PE-REF-TITLE", "kind": "TIP", "status": "Active"},
                people=[
                    PersonRecord(
                        person={"first_name": "Luz", "gender": "Feminine", "citizenship_id": "CO"},
                        victim={"age_group": "18--20"},
                    )
                ],
            )
        ],
    )
    victim = Victim.objects.get(case__reference="PE-REF-TITLE")
    made = referral_open(
        actor=region.user("caseworker.pe"),
        victim=victim,
        assistance=["shelter"],
        urgency="routine",
        contact_name="Oficina de atención",
    )
    with translation.override("es"):
        titles = titles_of("focal.co")
    assert made.reference.startswith("REF-")
    assert any(title.startswith(f"{made.reference} (Perú): ") for title in titles)
    assert not any("Luz" in title for title in titles)


def test_a_jit_invitation_is_notified_with_the_teams_reference_and_lead_country(region):
    jit: Jit = jit_proposed(region)  # Colombia leads, Venezuela's prosecutors are invited
    with translation.override("es"):
        titles = titles_of("prosecutor.ve")
    assert jit.reference.startswith("JIT-")
    assert any(title.startswith(f"{jit.reference} (Colombia): ") for title in titles)


def test_a_notification_without_a_reference_keeps_the_kinds_title(region):
    row = Notification(recipient=region.user("focal.co"), kind="requests.new", url="/")
    with translation.override("es"):
        assert row.title == "Nueva solicitud de información para su país"


def test_existing_notifications_get_their_reference_from_their_link(region):
    user = region.user("focal.co")
    rows = [
        Notification.objects.create(
            recipient=user, kind="requests.new", url="/cooperation/requests/42/"
        ),
        Notification.objects.create(
            recipient=user, kind="referrals.new", url="/cooperation/referrals/7/"
        ),
        Notification.objects.create(
            recipient=user, kind="jits.activity", url="/cooperation/jits/3/"
        ),
        Notification.objects.create(recipient=user, kind="linkage.new", url="/linkage/notices/9/"),
    ]
    backfill = importlib.import_module(
        "quipu.notifications.migrations.0003_notification_reference_backfill"
    )
    backfill.references_from_links(apps, None)
    references = [Notification.objects.get(pk=row.pk).reference for row in rows]
    assert references == ["REQ-000042", "REF-000007", "JIT-00003", ""]
