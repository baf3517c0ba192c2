"""The referral pages: the forms validate and send, the lists filter and page, the detail shows
the history and the answer buttons to the home focal point only."""

import pytest
from django.urls import reverse

from quipu.cooperation.referrals.models import Referral, ReferralStep
from quipu.cooperation.referrals.services import referral_transition
from quipu.tenancy.models import User
from tests.cooperation.referrals.factories import foreign_victim, referral_sent

pytestmark = pytest.mark.django_db

FORM = {
    "assistance": ["documentation", "return"],
    "urgency": "urgent",
    "contact_name": "Sargento Pérez",
    "contact_email": "perez@policia.example",
}


def test_a_caseworker_refers_a_victim_with_the_form(region, login):
    victim = foreign_victim()
    client = login("caseworker.co")
    page = client.get(reverse("referrals:new")).content.decode()
    assert victim.case.reference in page
    response = client.post(reverse("referrals:new"), {**FORM, "victim": victim.pk})
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert referral.assistance == ["documentation", "return"]


def test_the_form_shows_errors_and_sends_nothing(region, login):
    victim = foreign_victim()
    response = login("caseworker.co").post(
        reverse("referrals:new"), {"victim": victim.pk, "urgency": "urgent", "contact_name": "X"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "assistance" in form.errors and form.non_field_errors()
    assert not Referral.objects.exists()


def test_the_form_offers_only_the_institutions_foreign_victims(region, login):
    own_national = foreign_victim(citizenship="CO", key="national")
    elsewhere = foreign_victim(owner="CO-SHELTER", key="shelter")
    choices = login("caseworker.co").get(reverse("referrals:new")).context["form"]
    ids = {victim.pk for victim in choices.fields["victim"].queryset}
    assert own_national.pk not in ids and elsewhere.pk not in ids


def test_a_consul_registers_and_refers_with_the_form(region, login):
    client = login("consul.bo")  # Bolivia's consulate in Brazil
    response = client.post(
        reverse("referrals:register"),
        {
            **FORM,
            "first_name": "Wilma",
            "second_name": "Quispe Mamani",
            "birthdate": "2001-02-03",
            "gender": "Feminine",
            "citizenship": "BO",
            "consent": "on",
            "share_with_home_country": "on",
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    referral = Referral.objects.get()
    assert (referral.referring_country_id, referral.home_country_id) == ("BR", "BO")
    detail = login("focal.bo").get(response["Location"]).content.decode()
    assert "Wilma" in detail


def test_sharing_without_consent_to_manage_is_a_form_error(region, login):
    response = login("consul.bo").post(
        reverse("referrals:register"),
        {
            **FORM,
            "first_name": "W",
            "second_name": "Q",
            "citizenship": "BO",
            "share_with_home_country": "on",
        },
    )
    assert "share_with_home_country" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_the_home_focal_point_accepts_plans_a_step_and_closes_from_the_page(region, login):
    referral = referral_sent()
    client = login("focal.ve")
    page = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert [t.action for t in page.context["transitions"]] == ["accept", "decline"]
    client.post(reverse("referrals:act", args=[referral.pk, "accept"]), {"comment": "Ok"})
    client.post(
        reverse("referrals:step_new", args=[referral.pk]),
        {"kind": "shelter", "due_on": "2030-01-01"},
    )
    step = ReferralStep.objects.get()
    client.post(reverse("referrals:step_change", args=[step.pk]), {f"s{step.pk}-status": "done"})
    client.post(reverse("referrals:act", args=[referral.pk, "close"]), {"outcome": "returned"})
    referral.refresh_from_db()
    step.refresh_from_db()
    assert (referral.state, referral.outcome, step.status) == ("closed", "returned", "done")
    history = client.get(reverse("referrals:detail", args=[referral.pk])).context["events"]
    assert [row["event"].action for row in history] == ["open", "accept", "close"]


def test_declining_without_a_reason_changes_nothing(region, login):
    referral = referral_sent()
    login("focal.ve").post(reverse("referrals:act", args=[referral.pk, "decline"]), {})
    referral.refresh_from_db()
    assert referral.state == "sent"


def test_the_referring_side_sees_no_answer_buttons_and_cannot_answer(region, login):
    referral = referral_sent()
    client = login("caseworker.co")
    assert client.get(reverse("referrals:detail", args=[referral.pk])).context["transitions"] == []
    response = client.post(reverse("referrals:act", args=[referral.pk, "accept"]))
    assert response.status_code == 403


def test_lists_filter_by_state_and_page(region, login):
    focal = User.objects.get(username="focal.ve")
    for number in range(27):
        referral = referral_sent(foreign_victim(key=f"many{number}"))
        if number < 2:
            referral_transition(actor=focal, referral=referral, action="accept")
    client = login("focal.ve")
    first = client.get(reverse("referrals:incoming"))
    assert len(first.context["rows"]) == 25 and first.context["page"].has_next()
    accepted = client.get(reverse("referrals:incoming"), {"state": "accepted"})
    assert len(accepted.context["rows"]) == 2
    outgoing = login("caseworker.co").get(reverse("referrals:list"), {"page": 2})
    assert len(outgoing.context["rows"]) == 2


def test_a_link_with_the_victims_id_preselects_the_victim(region, login):
    victim = foreign_victim()
    form = login("caseworker.co").get(reverse("referrals:new"), {"victim": victim.pk})
    assert f'<option value="{victim.pk}" selected>' in form.content.decode()
