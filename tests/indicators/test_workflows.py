"""The approval state machine: every step from every state, for every role, through the
services (the pages and the API call the same ones)."""

import pytest

from quipu.errors import InvalidTransition, NotAllowed
from quipu.indicators import workflows
from quipu.indicators.models import Submission, SubmissionState
from quipu.indicators.rounds import submission_assign
from quipu.indicators.submissions import submission_review, submission_save, submission_submit
from tests.indicators.rounds_helpers import VALID_ANSWERS, round_open

pytestmark = pytest.mark.django_db

# Who each test user is to a submission of CO-POLICE (caseworker.co is its responsible person).
ACTORS = {
    "filler": "caseworker.co",
    "focal_point": "focal.co",
    "secretariat": "secretariat",
    "foreign_focal_point": "focal.pe",
    "other_institution_of_the_country": "prosecutor.co",
    "analyst_of_the_country": "analyst.co",
}
ROLE_OF = {"filler": "filler", "focal_point": "focal_point", "secretariat": "secretariat"}


@pytest.fixture
def submission(region, framework):
    survey_round = round_open("CO", "PE")
    return submission_assign(
        actor=region.user("focal.co"),
        survey_round=survey_round,
        institution=region.institution("CO-POLICE"),
        responsible=region.user("caseworker.co"),
    )


def _act(actor, submission, action):
    if action == workflows.SAVE:
        return submission_save(actor=actor, submission=submission, answers=VALID_ANSWERS)
    if action == workflows.SUBMIT:
        return submission_submit(actor=actor, submission=submission, answers=VALID_ANSWERS)
    return submission_review(
        actor=actor,
        submission=submission,
        action=action,
        comment="Motivo del paso",
        comments={"/data/prevention/awareness_campaigns": "Revise la cifra."},
    )


@pytest.mark.parametrize("state", SubmissionState.values)
@pytest.mark.parametrize("actor_name", ACTORS)
def test_each_step_is_allowed_only_from_its_state_and_to_its_role(
    region, submission, state, actor_name
):
    actor = region.user(ACTORS[actor_name])
    for action in workflows.ACTIONS:
        Submission.objects.filter(pk=submission.pk).update(state=state, answers=VALID_ANSWERS)
        submission.refresh_from_db()
        expected = workflows.TRANSITIONS.get(state, {}).get(action)
        if expected is not None and ROLE_OF.get(actor_name) == expected[1]:
            _act(actor, submission, action)
            submission.refresh_from_db()
            assert submission.state == expected[0], (state, action, actor_name)
            event = submission.events.order_by("-pk").first()
            if expected[0] != state or action != workflows.SAVE:
                assert (event.action, event.from_state, event.to_state) == (
                    action,
                    state,
                    expected[0],
                )
        else:
            wanted = NotAllowed if expected is not None else InvalidTransition
            with pytest.raises(wanted):
                _act(actor, submission, action)
            submission.refresh_from_db()
            assert submission.state == state, (state, action, actor_name)


def test_every_state_but_accepted_leads_somewhere_and_accepted_only_unlocks():
    assert set(workflows.TRANSITIONS) == set(SubmissionState.values)
    assert list(workflows.TRANSITIONS[SubmissionState.ACCEPTED]) == [workflows.UNLOCK]


def test_a_locked_submission_answers_writes_with_the_locked_error(region, submission):
    Submission.objects.filter(pk=submission.pk).update(state="accepted", answers=VALID_ANSWERS)
    submission.refresh_from_db()
    for action in (workflows.SAVE, workflows.SUBMIT):
        with pytest.raises(workflows.SubmissionLocked):
            _act(region.user("caseworker.co"), submission, action)
    submission.refresh_from_db()
    assert submission.answers == VALID_ANSWERS
