"""The survey-round API: rounds, assignments, drafts, steps, server-side rules, and locked
values refused with 409."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from quipu.indicators.models import Submission, Survey
from quipu.indicators.rounds import submission_assign
from quipu.indicators.workflows import SubmissionLocked
from tests.indicators.rounds_helpers import VALID_ANSWERS, round_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(region):
    def as_user(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(region.user(username))
        return client

    return as_user


@pytest.fixture
def survey_round(region, framework):
    return round_open("CO", "PE")


@pytest.fixture
def submission(region, survey_round):
    return submission_assign(
        actor=region.user("focal.co"),
        survey_round=survey_round,
        institution=region.institution("CO-POLICE"),
        responsible=region.user("caseworker.co"),
    )


def _url(name, *args):
    return reverse(f"api:{name}", args=args)


def test_secretariat_opens_a_round_and_a_focal_point_may_not(api, framework):
    today = timezone.localdate()
    body = {
        "title": "Seguimiento 2026",
        "period": "2026",
        "survey": Survey.objects.get(form_id="quipu_baseline").pk,
        "opens_on": today.isoformat(),
        "due_on": (today + datetime.timedelta(days=20)).isoformat(),
        "countries": ["CL", "UY"],
    }
    response = api("secretariat").post(_url("indicator-rounds"), body, format="json")
    assert response.status_code == 201
    assert response.json()["countries"] == ["CL", "UY"]
    assert api("focal.co").post(_url("indicator-rounds"), body, format="json").status_code == 403


def test_focal_point_assigns_through_the_api_and_the_round_shows_tracking(api, survey_round):
    client = api("focal.co")
    response = client.post(
        _url("indicator-round-assign", survey_round.pk),
        {"institution": "CO-POLICE", "responsible": "caseworker.co"},
        format="json",
    )
    assert response.status_code == 201
    detail = client.get(_url("indicator-round", survey_round.pk)).json()
    assert [row["country"] for row in detail["tracking"]] == ["CO"]
    assert detail["tracking"][0]["submissions"][0]["tracking_state"] == "not_started"
    missing = client.post(
        _url("indicator-round-assign", survey_round.pk), {"institution": "CO-POLICE"}, format="json"
    )
    assert missing.status_code == 400 and "institution" in missing.json()


def test_a_draft_saved_through_the_api_is_returned_as_left(api, submission):
    client = api("caseworker.co")
    url = _url("indicator-submission", submission.pk)
    response = client.put(url, {"answers": {"/data/respondent_role": "Jefe"}}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "draft"
    assert client.get(url).json()["answers"]["/data/respondent_role"] == "Jefe"


def test_answers_keyed_by_something_other_than_a_path_are_refused(api, submission):
    response = api("caseworker.co").put(
        _url("indicator-submission", submission.pk), {"answers": {"role": "x"}}, format="json"
    )
    assert response.status_code == 400
    assert "role" in response.json()["answers"]


def test_submit_through_the_api_names_each_broken_rule_by_question_path(api, submission):
    answers = {**VALID_ANSWERS, "/data/prevention/action_plan_year": "1980"}
    del answers["/data/respondent_role"]
    response = api("caseworker.co").post(
        _url("indicator-submission-step", submission.pk, "submit"),
        {"answers": answers},
        format="json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "answers_invalid"
    assert set(body["answers"]) == {"/data/respondent_role", "/data/prevention/action_plan_year"}


def test_the_whole_flow_through_the_api(api, submission):
    step = lambda who, action, **body: api(who).post(  # noqa: E731
        _url("indicator-submission-step", submission.pk, action), body, format="json"
    )
    assert step("caseworker.co", "submit", answers=VALID_ANSWERS).json()["state"] == "submitted"
    assert step("caseworker.co", "approve").status_code == 403
    returned = step("focal.co", "return", comments={"/data/respondent_role": "Cargo completo"})
    assert returned.json()["comments"] == {"/data/respondent_role": "Cargo completo"}
    assert step("caseworker.co", "submit").json()["state"] == "submitted"
    assert step("focal.co", "approve").json()["state"] == "approved"
    assert step("focal.co", "accept").status_code == 403
    accepted = step("secretariat", "accept").json()
    assert accepted["state"] == "accepted" and accepted["locked"] is True
    assert [event["action"] for event in accepted["history"]] == [
        "submit",
        "return",
        "submit",
        "approve",
        "accept",
    ]
    assert step("secretariat", "unlock").status_code == 422  # no reason given
    assert step("secretariat", "unlock", comment="Corrección pedida").json()["state"] == "returned"


def test_locked_values_cannot_be_written_through_the_api(api, submission):
    Submission.objects.filter(pk=submission.pk).update(state="accepted", answers=VALID_ANSWERS)
    client = api("caseworker.co")
    changed = {**VALID_ANSWERS, "/data/prevention/awareness_campaigns": "99"}
    response = client.put(
        _url("indicator-submission", submission.pk), {"answers": changed}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "submission_locked"
    with translation.override("es"):
        assert response.json()["detail"] == str(SubmissionLocked.default_message)
    response = client.post(
        _url("indicator-submission-step", submission.pk, "submit"),
        {"answers": changed},
        format="json",
    )
    assert response.status_code == 409
    submission.refresh_from_db()
    assert submission.answers["/data/prevention/awareness_campaigns"] == "4"


def test_a_step_out_of_order_answers_409(api, submission):
    response = api("focal.co").post(
        _url("indicator-submission-step", submission.pk, "approve"), {}, format="json"
    )
    assert response.status_code == 409


def test_rule1_submission_lists_are_scoped_to_institution_country_or_region(api, submission):
    def ids(who):
        return [row["id"] for row in api(who).get(_url("indicator-submissions")).json()["results"]]

    assert ids("caseworker.co") == [submission.pk]
    assert ids("focal.co") == [submission.pk]
    assert ids("secretariat") == [submission.pk]
    assert ids("focal.pe") == []
    assert ids("prosecutor.co") == []
    assert api("focal.pe").get(_url("indicator-submission", submission.pk)).status_code == 404


def test_rule_messages_come_in_the_readers_language(api, submission):
    answers = {**VALID_ANSWERS, "/data/prevention/action_plan_year": "1980"}
    response = api("caseworker.co").post(
        _url("indicator-submission-step", submission.pk, "submit"),
        {"answers": answers},
        format="json",
        HTTP_ACCEPT_LANGUAGE="pt-br",
    )
    assert response.status_code == 422
    assert response.json()["answers"]["/data/prevention/action_plan_year"] == [
        "Escreva um ano entre 1990 e 2100."
    ]
