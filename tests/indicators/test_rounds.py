"""Distribution and approval through the services: opening, assigning, notifications, drafts,
server-side rules on submit, history and audit, reminders, and which values feed which view."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from quipu.audit.models import AuditEntry
from quipu.errors import InvalidInput, NotAllowed
from quipu.indicators import kinds
from quipu.indicators.models import Submission, Survey
from quipu.indicators.round_selectors import submission_values_for
from quipu.indicators.rounds import (
    reminders_send,
    round_assign_kind,
    submission_assign,
    survey_round_open,
)
from quipu.indicators.submissions import (
    SubmissionInvalid,
    submission_review,
    submission_save,
    submission_submit,
)
from quipu.notifications.daily import daily_jobs
from quipu.notifications.models import Notification
from quipu.tenancy.models import Country
from tests.conftest import background_tasks_run
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


def _kinds_for(username: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient__username=username).values_list("kind", flat=True)
    )


def test_secretariat_opens_a_round_for_chosen_member_states_and_it_is_audited(region, framework):
    today = timezone.localdate()
    survey_round = survey_round_open(
        actor=region.user("secretariat"),
        title="Línea de base 2025",
        period="2025",
        survey=Survey.objects.get(form_id="quipu_baseline"),
        opens_on=today,
        due_on=today + datetime.timedelta(days=60),
        countries=list(Country.objects.filter(code__in=["AR", "CO"])),
    )
    assert sorted(survey_round.countries.values_list("code", flat=True)) == ["AR", "CO"]
    assert AuditEntry.objects.filter(object_type__icontains="surveyround", action="create").exists()


def test_a_focal_point_may_not_open_a_round(region, framework):
    today = timezone.localdate()
    with pytest.raises(NotAllowed):
        survey_round_open(
            actor=region.user("focal.co"),
            title="x",
            period="2025",
            survey=Survey.objects.get(form_id="quipu_baseline"),
            opens_on=today,
            due_on=today,
            countries=list(Country.objects.filter(code="CO")),
        )


def test_a_round_due_before_it_opens_is_refused(region, framework):
    today = timezone.localdate()
    with pytest.raises(InvalidInput):
        survey_round_open(
            actor=region.user("secretariat"),
            title="x",
            period="2025",
            survey=Survey.objects.get(form_id="quipu_baseline"),
            opens_on=today,
            due_on=today - datetime.timedelta(days=1),
            countries=list(Country.objects.filter(code="CO")),
        )


def test_assignment_notifies_the_responsible_person_in_the_app_and_by_email(
    region, survey_round, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submission_assign(
            actor=region.user("focal.co"),
            survey_round=survey_round,
            institution=region.institution("CO-POLICE"),
            responsible=region.user("caseworker.co"),
        )
    assert _kinds_for("caseworker.co") == [kinds.ASSIGNED]
    background_tasks_run()
    link = f"/indicators/submissions/{submission.pk}/"
    assert any(link in m.body and "caseworker" not in m.subject for m in mail.outbox)


def test_a_focal_point_assigns_only_institutions_of_their_own_country_in_the_round(
    region, survey_round
):
    with pytest.raises(NotAllowed):
        submission_assign(
            actor=region.user("focal.co"),
            survey_round=survey_round,
            institution=region.institution("PE-POLICE"),
            responsible=region.user("caseworker.pe"),
        )
    outside = round_open("AR", title="Ronda argentina")
    with pytest.raises(NotAllowed):
        submission_assign(
            actor=region.user("focal.co"),
            survey_round=outside,
            institution=region.institution("CO-POLICE"),
            responsible=region.user("caseworker.co"),
        )
    with pytest.raises(NotAllowed):
        submission_assign(
            actor=region.user("secretariat"),
            survey_round=survey_round,
            institution=region.institution("CO-POLICE"),
            responsible=region.user("caseworker.co"),
        )


def test_the_responsible_person_must_be_a_user_of_the_assigned_institution(region, survey_round):
    with pytest.raises(InvalidInput):
        submission_assign(
            actor=region.user("focal.co"),
            survey_round=survey_round,
            institution=region.institution("CO-POLICE"),
            responsible=region.user("prosecutor.co"),
        )


def test_assigning_by_type_reaches_every_institution_of_that_type_in_the_country(
    region, survey_round
):
    assigned, skipped = round_assign_kind(
        actor=region.user("focal.co"), survey_round=survey_round, kind="prosecutor"
    )
    codes = {s.institution.code for s in assigned} | {i.code for i in skipped}
    assert "CO-PROSECUTOR" in codes
    assert all(code.startswith("CO-") for code in codes)
    again, _ = round_assign_kind(
        actor=region.user("focal.co"), survey_round=survey_round, kind="prosecutor"
    )
    assert [s.pk for s in again] == [s.pk for s in assigned]


def test_a_draft_saves_and_resumes_with_the_answers_as_left(region, submission):
    partial = {"/data/respondent_role": "Analista", "/data/prevention/awareness_campaigns": "3"}
    saved = submission_save(
        actor=region.user("caseworker.co"), submission=submission, answers=partial
    )
    assert saved.state == "draft"
    fresh = Submission.objects.get(pk=submission.pk)
    assert fresh.answers["/data/respondent_role"] == "Analista"
    assert fresh.answers["/data/prevention/awareness_campaigns"] == "3"


def test_submit_enforces_required_answers_on_the_server(region, submission):
    answers = {k: v for k, v in VALID_ANSWERS.items() if k != "/data/respondent_role"}
    with pytest.raises(SubmissionInvalid) as error:
        submission_submit(
            actor=region.user("caseworker.co"), submission=submission, answers=answers
        )
    assert list(error.value.problems) == ["/data/respondent_role"]
    assert Submission.objects.get(pk=submission.pk).state == "not_started"


def test_submit_enforces_constraints_with_the_forms_own_message(region, submission):
    answers = {**VALID_ANSWERS, "/data/prevention/action_plan_year": "1980"}
    with pytest.raises(SubmissionInvalid) as error:
        submission_submit(
            actor=region.user("caseworker.co"),
            submission=submission,
            answers=answers,
            language="Español (es)",
        )
    assert "1990" in error.value.problems["/data/prevention/action_plan_year"]


def test_rule3_every_step_is_audited_notifies_each_party_and_keeps_a_history(region, submission):
    caseworker, focal, secretariat = (
        region.user(name) for name in ("caseworker.co", "focal.co", "secretariat")
    )
    submission_submit(actor=caseworker, submission=submission, answers=VALID_ANSWERS)
    assert kinds.SUBMITTED in _kinds_for("focal.co")
    submission_review(
        actor=focal,
        submission=submission,
        action="return",
        comments={"/data/prevention/awareness_campaigns": "¿Solo cuatro campañas?"},
    )
    assert kinds.RETURNED in _kinds_for("caseworker.co")
    submission.refresh_from_db()
    assert submission.comments == {"/data/prevention/awareness_campaigns": "¿Solo cuatro campañas?"}
    submission_submit(
        actor=caseworker,
        submission=submission,
        answers={**VALID_ANSWERS, "/data/prevention/awareness_campaigns": "14"},
    )
    submission_review(actor=focal, submission=submission, action="approve")
    assert kinds.APPROVED in _kinds_for("secretariat")
    submission_review(actor=secretariat, submission=submission, action="accept")
    assert kinds.ACCEPTED in _kinds_for("caseworker.co")
    assert kinds.ACCEPTED in _kinds_for("focal.co")
    submission.refresh_from_db()
    assert submission.is_locked and submission.comments == {}
    steps = list(submission.events.values_list("action", "from_state", "to_state"))
    assert steps == [
        ("submit", "not_started", "submitted"),
        ("return", "submitted", "returned"),
        ("submit", "returned", "submitted"),
        ("approve", "submitted", "approved"),
        ("accept", "approved", "accepted"),
    ]
    audited = AuditEntry.objects.filter(
        object_type__icontains="submission", object_id=str(submission.pk)
    )
    assert {e.detail.get("step") for e in audited} >= {"submit", "return", "approve", "accept"}


def test_unlocking_needs_a_stated_reason_and_is_kept_in_the_history(region, submission):
    Submission.objects.filter(pk=submission.pk).update(state="accepted")
    submission.refresh_from_db()
    with pytest.raises(InvalidInput):
        submission_review(actor=region.user("secretariat"), submission=submission, action="unlock")
    submission_review(
        actor=region.user("secretariat"),
        submission=submission,
        action="unlock",
        comment="Error de digitación señalado por el país.",
    )
    submission.refresh_from_db()
    assert submission.state == "returned"
    assert submission.events.get(action="unlock").comment.startswith("Error de digitación")


def test_returning_needs_a_comment(region, submission):
    Submission.objects.filter(pk=submission.pk).update(state="submitted")
    submission.refresh_from_db()
    with pytest.raises(InvalidInput):
        submission_review(actor=region.user("focal.co"), submission=submission, action="return")


def test_reminders_go_out_before_the_due_date_and_once_when_overdue(
    region, survey_round, submission
):
    due = survey_round.due_on
    assert reminders_send(today=due - datetime.timedelta(days=7)) == 1
    assert reminders_send(today=due - datetime.timedelta(days=7)) == 0  # same day, once
    assert _kinds_for("caseworker.co").count(kinds.REMINDER) == 1
    assert reminders_send(today=due + datetime.timedelta(days=1)) == 1
    assert reminders_send(today=due + datetime.timedelta(days=2)) == 0
    assert kinds.OVERDUE in _kinds_for("caseworker.co")
    assert kinds.OVERDUE in _kinds_for("focal.co")
    assert "indicators_reminders" in daily_jobs()


def test_a_submitted_answer_is_not_reminded(region, survey_round, submission):
    submission_submit(
        actor=region.user("caseworker.co"), submission=submission, answers=VALID_ANSWERS
    )
    assert reminders_send(today=survey_round.due_on - datetime.timedelta(days=1)) == 0


def test_only_accepted_values_feed_regional_views_and_pending_ones_are_marked(region, submission):
    submission_submit(
        actor=region.user("caseworker.co"), submission=submission, answers=VALID_ANSWERS
    )
    assert submission_values_for(country="CO", period="2025", include_pending=False) == []
    national = submission_values_for(country="CO", period="2025", include_pending=True)
    assert [(row["institution"], row["pending"]) for row in national] == [("CO-POLICE", True)]
    assert national[0]["answers"]["/data/prosecution/compensation_judgments"] == "2"
    submission_review(actor=region.user("focal.co"), submission=submission, action="approve")
    submission_review(actor=region.user("secretariat"), submission=submission, action="accept")
    regional = submission_values_for(country="CO", period="2025", include_pending=False)
    assert [(row["institution"], row["pending"]) for row in regional] == [("CO-POLICE", False)]
    assert submission_values_for(country="PE", period="2025", include_pending=True) == []
