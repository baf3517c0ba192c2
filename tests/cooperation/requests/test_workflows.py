"""Every transition, allowed and forbidden, for every role and side: the receiving country's
focal point answers and revokes, the requesting side clarifies and withdraws, nobody else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quipu.cooperation.requests.models import Grant, State
from quipu.cooperation.requests.services import information_request_transition
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from tests.cooperation.requests.factories import OWNER_FOCAL, owner_case, request_sent, user

pytestmark = pytest.mark.django_db

USERS = [
    "focal.co",  # receiving side
    "prosecutor.pe",  # requesting side (opened it)
    "focal.pe",  # requesting side (same country, OPEN_REQUESTS)
    "prosecutor.co",
    "caseworker.co",
    "caseworker.pe",
    "consul.pe",
    "analyst.co",
    "analyst.pe",
    "focal.ar",
    "prosecutor.ar",
    "secretariat",
]
RECEIVING = {"focal.co"}
REQUESTING = {"prosecutor.pe", "focal.pe"}
# action -> (state it starts from, side that may take it, extra fields)
ACTIONS = {
    "approve": (State.SENT, RECEIVING, {}),
    "approve_part": (State.SENT, RECEIVING, {"categories": ["identity"]}),
    "ask": (State.SENT, RECEIVING, {"comment": "¿Qué delito investigan?"}),
    "clarify": (State.CLARIFICATION, REQUESTING, {"comment": "Trata con fines laborales."}),
    "refuse": (State.SENT, RECEIVING, {"comment": "Fuera del tratado."}),
    "withdraw": (State.SENT, REQUESTING, {}),
    "revoke": (State.APPROVED, RECEIVING, {"comment": "El proceso fue archivado."}),
}


def _request_in(state: str):
    found = request_sent()
    focal = user(OWNER_FOCAL)
    if state == State.CLARIFICATION:
        information_request_transition(
            actor=focal, information_request=found, action="ask", comment="¿Cuál causa?"
        )
    if state == State.APPROVED:
        information_request_transition(
            actor=focal, information_request=found, action="approve", cases=[owner_case()]
        )
    found.refresh_from_db()
    return found


def _fields(action: str) -> dict:
    fields = dict(ACTIONS[action][2])
    if action in ("approve", "approve_part"):
        fields["cases"] = [owner_case()]
    return fields


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_only_the_right_side_takes_each_transition(region, action, username):
    source, allowed, _ = ACTIONS[action]
    found = _request_in(source)
    if username in allowed:
        moved = information_request_transition(
            actor=user(username), information_request=found, action=action, **_fields(action)
        )
        assert moved.state != source
        last = moved.events.last()
        assert (last.actor.username, last.from_state, last.to_state) == (
            username,
            source,
            moved.state,
        )
    else:
        with pytest.raises(NotAllowed):
            information_request_transition(
                actor=user(username), information_request=found, action=action, **_fields(action)
            )
        found.refresh_from_db()
        assert found.state == source


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("approve", State.CLARIFICATION),
        ("approve", State.APPROVED),
        ("approve_part", State.CLARIFICATION),
        ("ask", State.CLARIFICATION),
        ("clarify", State.SENT),
        ("refuse", State.APPROVED),
        ("withdraw", State.APPROVED),
        ("revoke", State.SENT),
    ],
)
def test_a_transition_from_the_wrong_state_is_refused(region, action, state):
    found = _request_in(state)
    side = ACTIONS[action][1]
    with pytest.raises(InvalidTransition):
        information_request_transition(
            actor=user(sorted(side)[0]), information_request=found, action=action, **_fields(action)
        )


def test_clarification_goes_back_to_the_receiving_country_and_the_history_shows_it(region):
    found = _request_in(State.CLARIFICATION)
    information_request_transition(
        actor=user("prosecutor.pe"),
        information_request=found,
        action="clarify",
        comment="Trata con fines laborales.",
    )
    information_request_transition(
        actor=user(OWNER_FOCAL), information_request=found, action="refuse", comment="No."
    )
    history = [(e.action, e.from_state, e.to_state, e.actor.username) for e in found.events.all()]
    assert history == [
        ("open", "", "sent", "prosecutor.pe"),
        ("ask", "sent", "clarification", "focal.co"),
        ("clarify", "clarification", "sent", "prosecutor.pe"),
        ("refuse", "sent", "refused", "focal.co"),
    ]
    assert found.events.get(action="clarify").comment == "Trata con fines laborales."


def test_asking_refusing_and_revoking_need_a_comment(region):
    found = _request_in(State.SENT)
    for action in ("ask", "refuse"):
        with pytest.raises(InvalidInput):
            information_request_transition(
                actor=user(OWNER_FOCAL), information_request=found, action=action
            )


def test_approval_needs_a_record_and_a_requested_category(region):
    found = _request_in(State.SENT)
    focal = user(OWNER_FOCAL)
    with pytest.raises(InvalidInput):
        information_request_transition(actor=focal, information_request=found, action="approve")
    with pytest.raises(InvalidInput):
        information_request_transition(
            actor=focal,
            information_request=found,
            action="approve_part",
            categories=["proceedings"],  # not requested
            cases=[owner_case()],
        )
    found.refresh_from_db()
    assert found.state == State.SENT and not Grant.objects.exists()


def test_the_owner_cannot_grant_another_countrys_records(region):
    found = _request_in(State.SENT)
    with pytest.raises(NotAllowed):
        information_request_transition(
            actor=user(OWNER_FOCAL),
            information_request=found,
            action="approve",
            cases=[owner_case("AR-POLICE")],
        )


def test_a_partial_approval_grants_only_the_chosen_categories_with_the_default_expiry(region):
    found = _request_in(State.SENT)
    information_request_transition(
        actor=user(OWNER_FOCAL),
        information_request=found,
        action="approve_part",
        categories=["route"],
        cases=[owner_case()],
    )
    grant = Grant.objects.get(information_request=found)
    assert grant.categories == ["route"]
    assert grant.expires_on == timezone.localdate() + timedelta(days=90)
    assert [c.reference for c in grant.cases.all()] == ["CO-POLICE-REQ-main"]
