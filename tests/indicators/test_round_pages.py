"""Survey-round pages: opening, assigning, tracking (overdue included), filling with drafts,
review with comments per question, and locked values refused through the UI."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from quipu.indicators.models import Submission, SurveyRound
from quipu.indicators.rounds import submission_assign
from tests.indicators.rounds_helpers import VALID_ANSWERS, round_open

pytestmark = pytest.mark.django_db


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


def _page(client, submission):
    return client.get(reverse("indicators:submission", args=[submission.pk]))


def test_secretariat_opens_a_round_from_the_page(login, region, framework):
    client = login("secretariat")
    from quipu.indicators.models import Survey

    today = timezone.localdate()
    response = client.post(
        reverse("indicators:round_new"),
        {
            "title": "Línea de base 2025",
            "period": "2025",
            "survey": Survey.objects.get(form_id="quipu_baseline").pk,
            "opens_on": today.isoformat(),
            "due_on": (today + datetime.timedelta(days=30)).isoformat(),
            "countries": ["AR", "BR"],
        },
    )
    survey_round = SurveyRound.objects.get(title="Línea de base 2025")
    assert response.status_code == 302
    assert sorted(survey_round.countries.values_list("code", flat=True)) == ["AR", "BR"]


def test_focal_point_assigns_by_name_and_by_type_from_the_tracking_page(
    login, region, survey_round
):
    client = login("focal.co")
    url = reverse("indicators:round_assign", args=[survey_round.pk])
    police, caseworker = region.institution("CO-POLICE"), region.user("caseworker.co")
    response = client.post(url, {"institution": police.pk, "responsible": caseworker.pk})
    assert response.status_code == 302
    client.post(url, {"kind": "prosecutor"})
    codes = set(survey_round.submissions.values_list("institution__code", flat=True))
    assert {"CO-POLICE", "CO-PROSECUTOR"} <= codes
    page = client.get(reverse("indicators:round_detail", args=[survey_round.pk]))
    assert b'data-institution="CO-POLICE"' in page.content
    assert b"PE-" not in page.content  # the focal point tracks their own country only


def test_an_assignment_without_a_responsible_person_is_refused(login, region, survey_round):
    client = login("focal.co")
    url = reverse("indicators:round_assign", args=[survey_round.pk])
    response = client.post(url, {"institution": region.institution("CO-POLICE").pk})
    assert response.status_code == 422
    assert not survey_round.submissions.exists()


def test_tracking_shows_every_state_and_overdue(login, region, survey_round):
    focal_pe = region.user("focal.pe")
    states = {
        "PE-POLICE": ("caseworker.pe", "not_started"),
        "PE-PROSECUTOR": ("prosecutor.pe", "draft"),
        "PE-MINISTRY": ("analyst.pe", "submitted"),
        "PE-CONSULATE-AR": ("consul.pe", "returned"),
    }
    for code, (username, state) in states.items():
        institution = region.institution(code) if code != "PE-CONSULATE-AR" else None
        if institution is None:
            institution = (
                region.institution("PE-POLICE")
                .country.institutions.filter(kind="consulate")
                .first()
            )
        submission = submission_assign(
            actor=focal_pe,
            survey_round=survey_round,
            institution=institution,
            responsible=region.user(username),
        )
        Submission.objects.filter(pk=submission.pk).update(state=state)
    page = login("secretariat").get(reverse("indicators:round_detail", args=[survey_round.pk]))
    for state in ("not_started", "draft", "submitted", "returned"):
        assert f'data-state="{state}"'.encode() in page.content
    SurveyRound.objects.filter(pk=survey_round.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    page = login("secretariat").get(reverse("indicators:round_detail", args=[survey_round.pk]))
    assert page.content.count(b'data-state="overdue"') == 2  # not started and draft
    assert b'data-state="submitted"' in page.content
    assert b'data-state="returned"' in page.content  # it was submitted in time


def test_a_draft_saved_on_the_page_is_there_when_the_user_comes_back(login, submission):
    client = login("caseworker.co")
    url = reverse("indicators:submission", args=[submission.pk])
    response = client.post(url, {"/data/respondent_role": "Comisaria", "__save__": "1"})
    assert response.status_code == 200
    submission.refresh_from_db()
    assert submission.state == "draft"
    again = _page(client, submission)
    assert b'value="Comisaria"' in again.content


def test_the_fill_page_saves_as_the_user_types(login, submission):
    client = login("caseworker.co")
    url = reverse("indicators:submission", args=[submission.pk])
    response = client.post(url, {"/data/respondent_role": "Oficial"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    submission.refresh_from_db()
    assert submission.answers["/data/respondent_role"] == "Oficial"


def test_submitting_on_the_page_enforces_the_rules_on_the_server(login, submission):
    client = login("caseworker.co")
    url = reverse("indicators:submission", args=[submission.pk])
    answers = {**VALID_ANSWERS, "/data/prevention/action_plan_year": "1980", "__submit__": "1"}
    response = client.post(url, answers)
    assert response.status_code == 422
    assert b"1990" in response.content
    submission.refresh_from_db()
    assert submission.state == "draft"  # kept as a draft while it is fixed
    assert submission.answers["/data/prevention/action_plan_year"] == "1980"
    response = client.post(url, {**VALID_ANSWERS, "__submit__": "1"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == "submitted"


def test_comments_on_a_returned_answer_show_next_to_the_question(login, submission):
    Submission.objects.filter(pk=submission.pk).update(state="submitted", answers=VALID_ANSWERS)
    client = login("focal.co")
    response = client.post(
        reverse("indicators:submission_act", args=[submission.pk, "return"]),
        {"comment:/data/prevention/awareness_campaigns": "Confirme el número de campañas."},
    )
    assert response.status_code == 302
    page = _page(login("caseworker.co"), submission)
    text = page.content.decode()
    question = text.index('id="q-data-prevention-awareness-campaigns-field"')
    comment = text.index("Confirme el número de campañas.")
    next_question = text.index('id="q-data-prevention-officials-trained-field"')
    assert question < comment < next_question


def test_locked_values_cannot_be_written_through_the_page(login, submission):
    Submission.objects.filter(pk=submission.pk).update(state="accepted", answers=VALID_ANSWERS)
    client = login("caseworker.co")
    url = reverse("indicators:submission", args=[submission.pk])
    changed = {**VALID_ANSWERS, "/data/prevention/awareness_campaigns": "99"}
    refused = client.post(url, {**changed, "__save__": "1"})
    assert refused.status_code == 409
    assert b">99<" not in refused.content and b'value="99"' not in refused.content
    assert client.post(url, {**changed, "__submit__": "1"}).status_code == 409
    submission.refresh_from_db()
    assert submission.answers["/data/prevention/awareness_campaigns"] == "4"


def test_reviewers_see_the_answers_and_the_steps_open_to_them(login, submission):
    Submission.objects.filter(pk=submission.pk).update(state="submitted", answers=VALID_ANSWERS)
    page = _page(login("focal.co"), submission)
    assert reverse("indicators:submission_act", args=[submission.pk, "approve"]).encode() in (
        page.content
    )
    page = _page(login("secretariat"), submission)
    assert b"submission_act" not in page.content
    assert reverse("indicators:submission_act", args=[submission.pk, "approve"]).encode() not in (
        page.content
    )


def test_rule1_other_institutions_and_countries_do_not_see_the_submission(login, submission):
    assert _page(login("prosecutor.co"), submission).status_code == 404
    assert _page(login("focal.pe"), submission).status_code == 404


def test_the_round_list_shows_assignments_to_the_institution(login, submission):
    page = login("caseworker.co").get(reverse("indicators:round_list"))
    assert reverse("indicators:submission", args=[submission.pk]).encode() in page.content
