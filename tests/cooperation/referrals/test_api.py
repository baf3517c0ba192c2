"""The referrals API: open, transitions and steps through the same services as the pages; bad
input is a JSON error naming the field."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from quipu.cooperation.referrals.models import Referral
from tests.cooperation.referrals.factories import FIRST, foreign_victim, referral_sent

pytestmark = pytest.mark.django_db

OPEN = {
    "assistance": ["legal_aid", "health"],
    "urgency": "immediate",
    "contact_name": "Guardia de turno",
    "contact_phone": "+57 601 5550101",
}


def test_a_caseworker_opens_a_referral_through_the_api(region, login):
    victim = foreign_victim(consent=True, share=False)
    response = login("caseworker.co").post(
        reverse("api:referrals"), {**OPEN, "victim": victim.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["home_country"] == "VE" and body["state"] == "sent"
    assert body["assistance"] == ["health", "legal_aid"]


def test_bad_input_names_each_field_in_the_json_error(region, login):
    response = login("caseworker.co").post(
        reverse("api:referrals"),
        {"assistance": ["spa"], "urgency": "soon", "victim": 999999},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert {"assistance", "urgency", "victim", "contact_name"} <= set(errors)
    assert "0" in errors["assistance"]  # the path to the bad item


def test_a_victim_of_another_institution_is_not_a_valid_choice(region, login):
    victim = foreign_victim(owner="PE-POLICE")
    response = login("caseworker.co").post(
        reverse("api:referrals"), {**OPEN, "victim": victim.pk}, content_type="application/json"
    )
    assert response.status_code == 400 and "victim" in response.json()
    assert not Referral.objects.exists()


def test_the_home_focal_point_answers_and_plans_steps_through_the_api(region, login):
    referral = referral_sent()
    client = login("focal.ve")
    url = reverse("api:referral-transition", args=[referral.pk])
    refused = client.post(url, {"action": "decline"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["comment"] == ["Indique el motivo."]
    accepted = client.post(url, {"action": "accept"}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    again = client.post(url, {"action": "accept"}, content_type="application/json")
    assert again.status_code == 409
    due = (date.today() + timedelta(days=7)).isoformat()
    step = client.post(
        reverse("api:referral-steps", args=[referral.pk]),
        {"kind": "documentation", "due_on": due},
        content_type="application/json",
    )
    assert step.status_code == 201, step.content
    changed = client.patch(
        reverse("api:referral-step", args=[step.json()["id"]]),
        {"status": "done"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["status"] == "done"
    detail = client.get(reverse("api:referral", args=[referral.pk])).json()
    assert [e["action"] for e in detail["history"]] == ["open", "accept"]
    assert detail["steps"][0]["status"] == "done"


def test_the_referring_side_cannot_answer_its_own_referral(region, login):
    referral = referral_sent()
    response = login("caseworker.co").post(
        reverse("api:referral-transition", args=[referral.pk]),
        {"action": "accept"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_stranger_gets_404_for_transitions_and_steps(region, login):
    referral = referral_sent()
    client = login("focal.pe")
    for name in ("api:referral-transition", "api:referral-steps"):
        response = client.post(
            reverse(name, args=[referral.pk]), {"action": "accept"}, content_type="application/json"
        )
        assert response.status_code == 404
        assert FIRST.encode() not in response.content


def test_the_list_filters_by_box_and_state_and_rejects_unknown_values(region, login):
    referral_sent()
    client = login("focal.ve")
    assert client.get(reverse("api:referrals"), {"box": "in"}).json()["count"] == 1
    assert client.get(reverse("api:referrals"), {"box": "out"}).json()["count"] == 0
    assert (
        client.get(reverse("api:referrals"), {"box": "in", "state": "closed"}).json()["count"] == 0
    )
    bad = client.get(reverse("api:referrals"), {"box": "sideways", "state": "lost"})
    assert bad.status_code == 400 and set(bad.json()) == {"box", "state"}
