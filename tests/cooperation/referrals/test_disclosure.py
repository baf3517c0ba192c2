"""What the home country sees follows the victim's consent alone (disclosure.py): the identity
with consent to share, only the fact of the referral and a contact without it; every view of
personal data is audited with the referral as purpose."""

import pytest
from django.urls import reverse

from quipu.audit.models import AuditEntry
from quipu.cooperation.referrals.disclosure import referral_disclosure
from quipu.cooperation.referrals.workflows import HOME
from tests.cooperation.referrals.factories import FIRST, SURNAME, foreign_victim, referral_sent

pytestmark = pytest.mark.django_db

DETAILS = "Necesita pasaporte; duerme en terminal de Cúcuta"
ABSENT_WITHOUT_CONSENT = (FIRST, "Carrasquero", "1998", "14/07", "14-07", DETAILS)


def _pages(client, referral):
    page = client.get(reverse("referrals:detail", args=[referral.pk]))
    api = client.get(reverse("api:referral", args=[referral.pk]))
    assert page.status_code == 200 and api.status_code == 200
    return page.content.decode(), api.content.decode(), api.json()


@pytest.mark.parametrize(
    "consent",
    [
        None,
        {"consent": False},
        {"consent": True, "share": False},
        {"consent": False, "share": True},
    ],
    ids=["no-consent-recorded", "no-consent", "consent-without-sharing", "sharing-without-consent"],
)
def test_rule1_without_consent_the_home_country_sees_only_the_fact_and_a_contact(
    region, login, consent
):
    if consent is None:
        victim = foreign_victim()
    else:
        victim = foreign_victim(consent=consent["consent"], share=consent.get("share", False))
    referral = referral_sent(victim)
    page, api, body = _pages(login("focal.ve"), referral)
    for value in ABSENT_WITHOUT_CONSENT:
        assert value not in page
        assert value not in api
    assert body["victim"] is None and body["identity_shared"] is False
    assert body["assistance"] == ["documentation", "shelter"]
    assert body["assistance_details"] == ""
    assert body["contact"]["email"] == "enlace@policia.example"
    assert body["referring_institution"] == "CO-POLICE"
    assert "enlace@policia.example" in page and "Oficial de enlace" in page
    assert not AuditEntry.objects.filter(actor_username="focal.ve", action="read").exists()


def test_with_consent_to_share_the_home_country_sees_the_identity_fields(region, login):
    referral = referral_sent(foreign_victim(consent=True, share=True))
    page, api, body = _pages(login("focal.ve"), referral)
    assert FIRST in page and SURNAME in page and DETAILS in page
    assert body["victim"] == {
        "first_name": FIRST,
        "middle_name": "",
        "second_name": SURNAME,
        "birthdate": "1998-07-14",
        "gender": "Feminine",
        "citizenship": "VE",
    }
    assert body["identity_shared"] is True and body["assistance_details"] == DETAILS


def test_rule3_every_view_of_personal_data_is_audited_with_the_referral_as_purpose(region, login):
    referral = referral_sent(foreign_victim(consent=True, share=True))
    _pages(login("focal.ve"), referral)
    reads = AuditEntry.objects.filter(actor_username="focal.ve", action="read")
    assert reads.count() == 2
    for entry in reads:
        assert entry.purpose == f"consular referral {referral.reference}"
        assert entry.object_type == "cases.person"
        assert entry.object_id == str(referral.victim.person_id)
        assert entry.subject_country == "CO"  # the owner's focal point sees the read
        assert entry.detail["referral"] == referral.pk
        assert FIRST not in str(entry.detail)


def test_the_referring_side_reads_its_own_record_whole_and_the_read_is_audited(region, login):
    referral = referral_sent()  # no consent recorded
    page, _api, body = _pages(login("caseworker.co"), referral)
    assert FIRST in page and body["victim"]["first_name"] == FIRST
    assert body["identity_shared"] is False  # shown to the referring side, not shared
    assert AuditEntry.objects.filter(
        actor_username="caseworker.co", action="read", purpose__contains=referral.reference
    ).exists()


def test_withdrawing_consent_hides_the_identity_again(region):
    victim = foreign_victim(consent=True, share=True)
    referral = referral_sent(victim)
    assert referral_disclosure(referral, side=HOME).identity["first_name"] == FIRST
    victim.consent.share_with_home_country = False
    victim.consent.save()
    assert referral_disclosure(referral, side=HOME).identity == {}


def test_lists_show_no_personal_data_to_either_side(region, login):
    referral = referral_sent(foreign_victim(consent=True, share=True))
    for username, route in (
        ("focal.ve", "referrals:incoming"),
        ("caseworker.co", "referrals:list"),
    ):
        client = login(username)
        page = client.get(reverse(route)).content.decode()
        box = "in" if username == "focal.ve" else "out"
        api = client.get(reverse("api:referrals"), {"box": box}).content.decode()
        assert referral.reference in page and referral.reference in api
        for value in (FIRST, "Carrasquero", "1998-07-14", DETAILS):
            assert value not in page and value not in api


def test_rule1_parties_of_other_referrals_and_other_countries_see_nothing(region, login):
    referral = referral_sent(foreign_victim(consent=True, share=True))
    for username in ("focal.co", "focal.pe", "caseworker.ve", "consul.ve", "prosecutor.ve"):
        client = login(username)
        page = client.get(reverse("referrals:detail", args=[referral.pk]))
        api = client.get(reverse("api:referral", args=[referral.pk]))
        assert page.status_code in (403, 404) and api.status_code in (403, 404)
        assert FIRST.encode() not in page.content + api.content
