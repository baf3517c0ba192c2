"""The secretariat sees counts and ages of open referrals, never a record or personal data."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quipu.cooperation.referrals.models import Referral
from quipu.cooperation.referrals.services import referral_transition
from quipu.tenancy.models import User
from tests.cooperation.referrals.factories import FIRST, foreign_victim, referral_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def referrals(region):
    first = referral_sent(foreign_victim(consent=True, share=True))
    second = referral_sent(foreign_victim(citizenship="PE", first="Rosa", key="pe"))
    closed = referral_sent(foreign_victim(citizenship="EC", first="Maria", key="ec"))
    referral_transition(
        actor=User.objects.get(username="focal.ec"), referral=closed, action="accept"
    )
    referral_transition(
        actor=User.objects.get(username="focal.ec"),
        referral=closed,
        action="close",
        outcome="other",
    )
    Referral.objects.filter(pk=first.pk).update(sent_at=timezone.now() - timedelta(days=10))
    Referral.objects.filter(pk=second.pk).update(sent_at=timezone.now() - timedelta(days=4))
    return first, second


def test_the_secretariat_sees_counts_and_median_ages_of_open_referrals_only(referrals, login):
    body = login("secretariat").get(reverse("api:referral-counts")).json()
    assert body["open_total"] == 2
    assert body["median_age_days"] == 7
    assert body["oldest_age_days"] == 10
    assert {(g["key"], g["count"]) for g in body["by_home_country"]} == {("VE", 1), ("PE", 1)}
    assert [(g["key"], g["count"]) for g in body["by_referring_country"]] == [("CO", 2)]
    assert [(g["key"], g["count"]) for g in body["by_state"]] == [("sent", 2)]


def test_the_secretariat_page_and_api_show_no_record_and_no_personal_data(referrals, login):
    client = login("secretariat")
    page = client.get(reverse("referrals:figures")).content.decode()
    api = client.get(reverse("api:referral-counts")).content.decode()
    for referral in referrals:
        assert referral.reference not in page and referral.reference not in api
    for value in (FIRST, "Rosa", "enlace@policia.example", "CO-POLICE"):
        assert value not in page and value not in api


def test_the_secretariat_cannot_open_a_referral_or_its_list(referrals, login):
    client = login("secretariat")
    assert client.get(reverse("referrals:detail", args=[referrals[0].pk])).status_code in (403, 404)
    assert client.get(reverse("api:referral", args=[referrals[0].pk])).status_code in (403, 404)
    assert client.get(reverse("referrals:list")).status_code == 403
    assert client.get(reverse("api:referrals")).status_code == 403


@pytest.mark.parametrize("username", ["focal.co", "analyst.ve", "caseworker.co"])
def test_only_the_secretariat_reads_the_regional_figures(region, login, username):
    client = login(username)
    assert client.get(reverse("referrals:figures")).status_code == 403
    assert client.get(reverse("api:referral-counts")).status_code == 403


def test_the_cooperation_dashboard_counts_referrals_sent_and_received_per_country(referrals, login):
    body = login("secretariat").get(reverse("api:cooperation-dashboard")).json()
    section = next(s for s in body["sections"] if s["code"] == "referrals")
    figures = section["figures"]
    assert figures["CO"]["sent"] == 3
    assert figures["VE"]["received"] == 1 and figures["VE"]["open"] == 1
    assert figures["EC"]["received"] == 1 and figures["EC"]["open"] == 0
    assert figures[""]["received"] == 3
    assert figures["EC"]["days_to_answer"] is not None
    assert FIRST not in str(body) and "REF-" not in str(body)
    page = login("secretariat").get(reverse("dashboard:overview"))
    assert page.status_code == 200 and FIRST.encode() not in page.content
