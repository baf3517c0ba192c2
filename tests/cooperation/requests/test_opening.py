"""Opening a request: from a confirmed link or an own case, with clear errors next to the
fields; the receiving focal points are told, and the receipt of sending is issued."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quipu.cooperation.requests.models import InformationRequest, State
from quipu.cooperation.requests.services import information_request_open
from quipu.errors import InvalidInput, NotAllowed
from quipu.notifications.models import Notification
from tests.cooperation.requests.factories import (
    REQUESTER,
    linked_notice,
    owner_case,
    request_sent,
    user,
)

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    return {
        "receiving_country": "CO",
        "legal_basis": "mla_treaty",
        "legal_basis_details": "Convención de Palermo, art. 18",
        "purpose": "Identificar a la víctima de la carpeta 2025-114",
        "categories": ["identity", "route"],
        "urgency": "routine",
        "due_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
        **overrides,
    }


def test_a_prosecutor_opens_a_request_from_a_confirmed_link_to_the_other_country(region):
    notice = linked_notice(owner_case())
    found = request_sent(receiving_country="", notice=notice)
    assert (found.requesting_country_id, found.receiving_country_id) == ("PE", "CO")
    assert found.state == State.SENT and found.notice == notice
    assert found.events.get().action == "open"


def test_the_receiving_focal_points_are_notified_with_a_link_and_no_personal_data(region):
    found = request_sent()
    rows = Notification.objects.filter(kind="requests.new")
    assert {row.recipient.username for row in rows} == {"focal.co"}
    assert all(row.url == reverse("requests:detail", args=[found.pk]) for row in rows)


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"due_on": "2020-01-01"}, "due_on", "after today"),
        ({"receiving_country": "PE"}, "receiving_country", "another member country"),
        ({"receiving_country": ""}, "receiving_country", "Choose the country"),
        ({"categories": []}, "categories", "at least one category"),
        ({"purpose": ""}, "purpose", ""),
    ],
    ids=["past-due-date", "same-country", "no-country", "no-category", "no-purpose"],
)
def test_the_form_shows_each_error_next_to_its_field_and_sends_nothing(
    region, login, overrides, field, words
):
    client = login(REQUESTER)
    client.post(reverse("web:set_language"), {"language": "en"})
    response = client.post(reverse("requests:new"), _form(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field])
    assert not InformationRequest.objects.exists()


def test_the_form_sends_the_request_and_shows_it(region, login):
    response = login(REQUESTER).post(reverse("requests:new"), _form())
    found = InformationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:detail", args=[found.pk])
    assert found.legal_basis_details == "Convención de Palermo, art. 18"


def test_the_api_answers_field_errors_with_their_paths(region, login):
    client = login(REQUESTER)
    body = _form(due_on="2020-01-01", categories=["nothing"])
    response = client.post(
        reverse("api:information-requests"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"due_on", "categories"}
    response = client.post(
        reverse("api:information-requests"),
        _form(receiving_country="PE"),
        content_type="application/json",
    )
    assert response.status_code == 400 and "receiving_country" in response.json()


def test_the_api_opens_a_request(region, login):
    response = login(REQUESTER).post(
        reverse("api:information-requests"), _form(), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["state"] == "sent" and response.json()["receiving_country"] == "CO"


@pytest.mark.parametrize("username", ["caseworker.pe", "analyst.pe", "consul.pe", "secretariat"])
def test_only_prosecutors_and_focal_points_open_requests(region, username):
    with pytest.raises(NotAllowed):
        request_sent(by=username)


def test_a_request_cannot_start_from_another_countrys_case_or_link(region):
    with pytest.raises(NotAllowed):
        request_sent(case=owner_case())  # Colombia's case, Peru's prosecutor
    notice = linked_notice(owner_case(key="x"), requester="AR")
    with pytest.raises(NotAllowed):
        request_sent(notice=notice)


def test_the_service_refuses_a_past_due_date_and_the_own_country(region):
    with pytest.raises(InvalidInput):
        request_sent(due_on=timezone.localdate())
    with pytest.raises(InvalidInput):
        information_request_open(
            actor=user(REQUESTER),
            receiving_country="PE",
            legal_basis="police",
            purpose="x",
            categories=["route"],
            urgency="routine",
            due_on=timezone.localdate() + timedelta(days=3),
        )
