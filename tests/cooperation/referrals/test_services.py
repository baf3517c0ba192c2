"""Opening referrals: who may, which victims, what the home focal points are told; a consular
officer registers the victim they found and refers them to their own country."""

import pytest
from django.urls import reverse

from quipu.audit.models import AuditEntry
from quipu.cooperation.referrals.models import Referral
from quipu.cooperation.referrals.services import foreign_victim_refer, referral_transition
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from quipu.notifications.models import Notification
from quipu.tenancy.models import User
from tests.cooperation.referrals.factories import FIRST, foreign_victim, referral_sent

pytestmark = pytest.mark.django_db


def _user(username):
    return User.objects.get(username=username)


def test_a_caseworker_refers_a_victim_to_the_country_of_citizenship(region):
    referral = referral_sent()
    assert referral.home_country_id == "VE"
    assert referral.referring_country_id == "CO"
    assert referral.referring_institution.code == "CO-POLICE"
    assert referral.state == "sent"
    assert AuditEntry.objects.filter(
        action="create", object_type="referrals.referral", object_id=str(referral.pk)
    ).exists()


def test_rule4_a_new_referral_notifies_the_home_focal_points_with_no_personal_data(region):
    referral = referral_sent()
    notes = Notification.objects.filter(kind="referrals.new")
    assert {n.recipient.username for n in notes} == {"focal.ve"}
    assert notes.get().url == reverse("referrals:detail", args=[referral.pk])
    assert FIRST not in notes.get().title


def test_decisions_and_closing_notify_the_referring_user_and_institution(region):
    referral = referral_sent()
    focal = _user("focal.ve")
    referral_transition(actor=focal, referral=referral, action="accept")
    answered = Notification.objects.filter(kind="referrals.answered")
    assert {n.recipient.username for n in answered} == {"caseworker.co"}
    referral_transition(actor=focal, referral=referral, action="close", outcome="lost_contact")
    assert Notification.objects.filter(
        kind="referrals.closed", recipient__username="caseworker.co"
    ).exists()


def test_a_victim_of_the_same_citizenship_cannot_be_referred(region):
    victim = foreign_victim(citizenship="CO", key="national")
    with pytest.raises(InvalidInput):
        referral_sent(victim)


def test_rule1_a_victim_of_another_institution_cannot_be_referred(region):
    victim = foreign_victim(owner="CO-SHELTER")
    with pytest.raises(NotAllowed):
        referral_sent(victim)
    assert AuditEntry.objects.filter(action="denied", actor_username="caseworker.co").exists()


@pytest.mark.parametrize("username", ["focal.co", "prosecutor.co", "analyst.co", "secretariat"])
def test_roles_without_open_referrals_cannot_refer(region, username):
    with pytest.raises(NotAllowed):
        referral_sent(by=username)


def test_one_open_referral_per_victim(region):
    victim = foreign_victim()
    referral_sent(victim)
    with pytest.raises(InvalidTransition):
        referral_sent(victim)


def test_a_referral_needs_assistance_urgency_and_a_contact(region):
    victim = foreign_victim()
    for bad in (
        {"assistance": []},
        {"assistance": ["spa"]},
        {"urgency": "soon"},
        {"contact_name": " "},
    ):
        with pytest.raises(InvalidInput):
            referral_sent(victim, **bad)
    assert not Referral.objects.exists()


def test_a_consul_registers_a_national_found_abroad_and_refers_them_home(region):
    consul = _user("consul.ve")  # Venezuela's consulate in Colombia
    referral = foreign_victim_refer(
        actor=consul,
        person={"first_name": "Dayana", "second_name": "Rojas", "citizenship_id": "VE"},
        consent=True,
        share_with_home_country=True,
        referral={
            "assistance": ["documentation", "return"],
            "urgency": "routine",
            "contact_name": "Cónsul",
            "contact_phone": "+57 1 5550000",
        },
    )
    assert referral.referring_institution.code == "VE-CONSULATE-CO"
    assert (referral.referring_country_id, referral.home_country_id) == ("CO", "VE")
    assert referral.victim.case.owner.code == "VE-CONSULATE-CO"
    assert referral.victim.consent.share_with_home_country is True
    assert Notification.objects.filter(kind="referrals.new", recipient__username="focal.ve")


def test_a_consul_cannot_register_a_national_of_the_host_country(region):
    with pytest.raises(InvalidInput):
        foreign_victim_refer(
            actor=_user("consul.ve"),
            person={"first_name": "Ana", "second_name": "Díaz", "citizenship_id": "CO"},
            consent=False,
            share_with_home_country=False,
            referral={"assistance": ["health"], "urgency": "urgent", "contact_name": "Cónsul"},
        )
    assert not Referral.objects.exists()


@pytest.mark.parametrize("username", ["caseworker.co", "focal.co", "secretariat"])
def test_only_consular_officers_register_foreign_victims(region, username):
    with pytest.raises(NotAllowed):
        foreign_victim_refer(
            actor=_user(username),
            person={"first_name": "Ana", "second_name": "Díaz", "citizenship_id": "VE"},
            consent=False,
            share_with_home_country=False,
            referral={"assistance": ["health"], "urgency": "urgent", "contact_name": "X"},
        )


def test_a_referral_outlives_the_owner_replacing_or_deleting_the_case(region, login):
    referral = referral_sent()
    referral.victim.case.delete()
    referral.refresh_from_db()
    assert referral.victim_id is None and referral.events.count() == 1
    for username in ("caseworker.co", "focal.ve"):
        client = login(username)
        assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200
        assert client.get(reverse("api:referral", args=[referral.pk])).json()["victim"] is None


def test_sending_and_closing_issue_signed_receipts_for_both_countries(region):
    from quipu.cooperation.receipts.models import Receipt

    referral = referral_sent()
    referral_transition(actor=_user("focal.ve"), referral=referral, action="accept")
    referral_transition(
        actor=_user("focal.ve"), referral=referral, action="close", outcome="returned"
    )
    receipts = Receipt.objects.filter(object_type="referrals.referral", object_id=str(referral.pk))
    assert sorted(receipts.values_list("event", flat=True)) == ["referral.closed", "referral.sent"]
    for receipt in receipts:
        assert sorted(receipt.parties.values_list("code", flat=True)) == ["CO", "VE"]
        assert FIRST not in receipt.document_json
