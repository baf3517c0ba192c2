"""The referring institution withdraws a referral it no longer needs, with the reason, until
assistance starts; the home country is told, and a new referral of the victim can follow."""

import pytest
from django.urls import reverse

from quipu.audit.models import Action, AuditEntry
from quipu.cooperation.receipts.models import Receipt
from quipu.cooperation.referrals.models import State
from quipu.cooperation.referrals.services import referral_transition
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from quipu.notifications.models import Notification
from quipu.tenancy.models import User
from tests.cooperation.referrals.factories import FIRST, referral_sent

pytestmark = pytest.mark.django_db

REASON = "La víctima regresó por sus propios medios."


def _user(username):
    return User.objects.get(username=username)


def _withdraw(referral, username="caseworker.co", comment=REASON):
    return referral_transition(
        actor=_user(username), referral=referral, action="withdraw", comment=comment
    )


@pytest.mark.parametrize("accepted_first", [False, True])
def test_the_referring_caseworker_withdraws_and_the_home_country_is_told(region, accepted_first):
    referral = referral_sent()
    if accepted_first:
        referral_transition(actor=_user("focal.ve"), referral=referral, action="accept")
    withdrawn = _withdraw(referral)
    assert withdrawn.state == State.WITHDRAWN
    event = withdrawn.events.last()
    assert event.action == "withdraw" and event.comment == REASON
    told = Notification.objects.filter(kind="referrals.withdrawn")
    assert {n.recipient.username for n in told} == {"focal.ve"}
    assert told.get().url == reverse("referrals:detail", args=[referral.pk])
    receipt = Receipt.objects.get(event="referral.withdrawn", object_id=str(referral.pk))
    assert sorted(receipt.parties.values_list("code", flat=True)) == ["CO", "VE"]
    assert FIRST not in receipt.document_json and REASON not in receipt.document_json
    audits = AuditEntry.objects.filter(action=Action.UPDATE, object_id=str(referral.pk))
    audit = audits.order_by("seq").last()
    assert audit.detail["action"] == "withdraw" and REASON not in str(audit.detail)


def test_a_withdrawal_needs_its_reason(region):
    referral = referral_sent()
    with pytest.raises(InvalidInput):
        _withdraw(referral, comment="  ")
    referral.refresh_from_db()
    assert referral.state == State.SENT


@pytest.mark.parametrize("username", ["focal.ve", "focal.co", "prosecutor.co", "consul.ve"])
def test_only_the_referring_side_withdraws(region, username):
    referral = referral_sent()
    with pytest.raises(NotAllowed):
        _withdraw(referral, username=username)
    referral.refresh_from_db()
    assert referral.state == State.SENT


def test_once_assistance_started_the_home_country_closes_it_instead(region):
    referral = referral_sent()
    focal = _user("focal.ve")
    referral_transition(actor=focal, referral=referral, action="accept")
    referral_transition(actor=focal, referral=referral, action="start")
    with pytest.raises(InvalidTransition):
        _withdraw(referral)


def test_a_withdrawn_referral_frees_the_victim_for_a_new_one(region):
    referral = referral_sent()
    _withdraw(referral)
    again = referral_sent(referral.victim)
    assert again.pk != referral.pk and again.state == State.SENT


def test_the_page_offers_withdrawal_to_the_referring_side_only(region, login):
    referral = referral_sent()
    page = login("caseworker.co").get(reverse("referrals:detail", args=[referral.pk]))
    html = page.content.decode()
    assert reverse("referrals:act", args=[referral.pk, "withdraw"]) in html
    assert 'id="withdraw_comment"' in html
    home = login("focal.ve").get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert reverse("referrals:act", args=[referral.pk, "withdraw"]) not in home
    assert reverse("referrals:act", args=[referral.pk, "accept"]) in home

    response = login("caseworker.co").post(
        reverse("referrals:act", args=[referral.pk, "withdraw"]), {"comment": REASON}, follow=True
    )
    assert "La derivación fue retirada." in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == State.WITHDRAWN
    after = login("caseworker.co").get(reverse("referrals:detail", args=[referral.pk]))
    assert reverse("referrals:act", args=[referral.pk, "withdraw"]) not in after.content.decode()


def test_the_dashboard_counts_withdrawn_referrals(region, login):
    _withdraw(referral_sent())
    body = login("secretariat").get(reverse("api:cooperation-dashboard")).json()
    figures = next(s for s in body["sections"] if s["code"] == "referrals")["figures"]
    assert figures["VE"]["withdrawn"] == 1 and figures["VE"]["open"] == 0


def test_the_api_withdraws_and_names_the_missing_reason(region, login):
    referral = referral_sent()
    url = reverse("api:referral-transition", args=[referral.pk])
    client = login("caseworker.co")
    refused = client.post(url, {"action": "withdraw"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["comment"] == ["Indique el motivo."]
    home = login("focal.ve").post(
        url, {"action": "withdraw", "comment": REASON}, content_type="application/json"
    )
    assert home.status_code == 403
    done = login("caseworker.co").post(
        url, {"action": "withdraw", "comment": REASON}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["state"] == "withdrawn"
