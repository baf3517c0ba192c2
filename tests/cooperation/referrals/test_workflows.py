"""Every transition, allowed and forbidden, for every role: only the home country's focal point
answers, starts and closes; both parties, and nobody else, plan and update steps."""

from datetime import date, timedelta

import pytest

from quipu.cooperation.referrals.models import ReferralStep, State
from quipu.cooperation.referrals.services import referral_transition
from quipu.cooperation.referrals.steps import referral_step_add, referral_step_update
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from tests.cooperation.referrals.factories import referral_sent

pytestmark = pytest.mark.django_db

HOME_FOCAL = "focal.ve"  # a Colombian police caseworker refers a Venezuelan victim
USERS = [
    "focal.ve",
    "focal.co",
    "caseworker.co",
    "caseworker.ve",
    "prosecutor.ve",
    "prosecutor.co",
    "consul.ve",
    "consul.co",
    "analyst.ve",
    "secretariat",
]
STEP_PARTIES = {"focal.ve", "caseworker.co"}
# Each action with the state it starts from and the fields it needs.
ACTIONS = {
    "accept": (State.SENT, {}),
    "decline": (State.SENT, {"comment": "No es nacional según el registro civil."}),
    "start": (State.ACCEPTED, {}),
    "close": (State.IN_PROGRESS, {"outcome": "returned"}),
}


def _referral_in(state: str):
    referral = referral_sent()
    if state in (State.ACCEPTED, State.IN_PROGRESS):
        referral_transition(actor=_user(HOME_FOCAL), referral=referral, action="accept")
    if state == State.IN_PROGRESS:
        referral_transition(actor=_user(HOME_FOCAL), referral=referral, action="start")
    referral.refresh_from_db()
    return referral


def _user(username):
    from quipu.tenancy.models import User

    return User.objects.get(username=username)


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_only_the_home_focal_point_takes_each_transition(region, action, username):
    source, fields = ACTIONS[action]
    referral = _referral_in(source)
    if username == HOME_FOCAL:
        moved = referral_transition(
            actor=_user(username), referral=referral, action=action, **fields
        )
        assert moved.state != source
        assert moved.events.last().actor.username == username
    else:
        with pytest.raises(NotAllowed):
            referral_transition(actor=_user(username), referral=referral, action=action, **fields)
        referral.refresh_from_db()
        assert referral.state == source


@pytest.mark.parametrize("username", USERS)
def test_only_the_two_parties_plan_and_update_steps(region, username):
    referral = _referral_in(State.ACCEPTED)
    due = date.today() + timedelta(days=10)
    if username in STEP_PARTIES:
        step = referral_step_add(
            actor=_user(username), referral=referral, kind="documentation", due_on=due
        )
        referral_step_update(actor=_user(username), step=step, status="done")
        assert ReferralStep.objects.get(pk=step.pk).status == "done"
    else:
        with pytest.raises(NotAllowed):
            referral_step_add(
                actor=_user(username), referral=referral, kind="documentation", due_on=due
            )
        step = ReferralStep.objects.create(referral=referral, kind="shelter", due_on=due)
        with pytest.raises(NotAllowed):
            referral_step_update(actor=_user(username), step=step, status="done")


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("accept", State.ACCEPTED),
        ("decline", State.IN_PROGRESS),
        ("start", State.SENT),
        ("close", State.SENT),
        ("accept", State.IN_PROGRESS),
    ],
)
def test_a_transition_from_the_wrong_state_is_refused(region, action, state):
    referral = _referral_in(state)
    _, fields = ACTIONS[action]
    with pytest.raises(InvalidTransition):
        referral_transition(actor=_user(HOME_FOCAL), referral=referral, action=action, **fields)


def test_declining_needs_a_reason_and_closing_an_outcome(region):
    referral = _referral_in(State.SENT)
    with pytest.raises(InvalidInput):
        referral_transition(actor=_user(HOME_FOCAL), referral=referral, action="decline")
    referral_transition(actor=_user(HOME_FOCAL), referral=referral, action="accept")
    with pytest.raises(InvalidInput):
        referral_transition(
            actor=_user(HOME_FOCAL), referral=referral, action="close", outcome="moved"
        )


def test_the_history_records_who_did_what_and_when_with_the_comment(region):
    referral = _referral_in(State.SENT)
    referral_transition(
        actor=_user(HOME_FOCAL), referral=referral, action="accept", comment="Recibido."
    )
    referral_transition(actor=_user(HOME_FOCAL), referral=referral, action="start")
    referral_transition(
        actor=_user(HOME_FOCAL), referral=referral, action="close", outcome="integrated"
    )
    history = [
        (e.action, e.from_state, e.to_state, e.actor.username) for e in referral.events.all()
    ]
    assert history == [
        ("open", "", "sent", "caseworker.co"),
        ("accept", "sent", "accepted", "focal.ve"),
        ("start", "accepted", "in_progress", "focal.ve"),
        ("close", "in_progress", "closed", "focal.ve"),
    ]
    assert referral.events.get(action="accept").comment == "Recibido."
    referral.refresh_from_db()
    assert referral.outcome == "integrated"


def test_steps_wait_until_the_referral_is_accepted(region):
    referral = _referral_in(State.SENT)
    with pytest.raises(InvalidTransition):
        referral_step_add(
            actor=_user("caseworker.co"), referral=referral, kind="health", due_on=date.today()
        )


# Through the API: the answer a user gets for the same refusal depends on why it is refused.
API_ANSWER = {
    "focal.ve": 200,  # the home focal point
    "caseworker.co": 403,  # the referring side may not answer
    "focal.co": 404,  # a focal point, not of this referral: it does not exist for them
    "focal.pe": 404,
    "caseworker.ve": 404,
    "consul.ve": 404,
    "consul.co": 404,
    "prosecutor.ve": 403,  # no referral capability at all
    "analyst.ve": 403,
    "secretariat": 403,
}


@pytest.mark.parametrize(("username", "status"), sorted(API_ANSWER.items()))
def test_the_api_answers_each_role_trying_to_accept(region, login, username, status):
    from django.urls import reverse

    referral = _referral_in(State.SENT)
    response = login(username).post(
        reverse("api:referral-transition", args=[referral.pk]),
        {"action": "accept"},
        content_type="application/json",
    )
    assert response.status_code == status
    referral.refresh_from_db()
    assert referral.state == (State.ACCEPTED if status == 200 else State.SENT)
