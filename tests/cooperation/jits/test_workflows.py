"""Every transition of a JIT and its membership, allowed and forbidden, for every role."""

import pytest

from quipu.cooperation.jits.models import Event, Member, MemberState, State
from quipu.cooperation.jits.services import (
    jit_close,
    jit_invite,
    membership_answer,
    membership_leave,
)
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from quipu.notifications.models import Notification
from tests.cooperation.jits.conftest import jit_active, jit_proposed

EVERYONE = [
    "secretariat",
    "focal.co",
    "caseworker.co",
    "prosecutor.co",
    "consul.co",
    "analyst.co",
]


@pytest.mark.parametrize("username", EVERYONE)
def test_only_a_prosecutor_may_open_a_jit(region, username):
    if username == "prosecutor.co":
        jit = jit_proposed(region, by=username)
        assert jit.state == State.PROPOSED
        member = Member.objects.get(jit=jit, institution__code="CO-PROSECUTOR")
        assert member.state == MemberState.ACCEPTED
        return
    with pytest.raises(NotAllowed):
        jit_proposed(region, by=username)


def test_the_lead_country_must_be_a_members_country(region):
    with pytest.raises(InvalidInput):
        jit_proposed(region, lead="AR")


def test_an_invitation_notifies_the_invited_institutions_jit_workers(region, proposed):
    prosecutor_ve = region.user("prosecutor.ve")
    assert Notification.objects.filter(recipient=prosecutor_ve, kind="jits.invited").exists()
    assert not Notification.objects.filter(
        recipient=region.user("focal.ve"), kind="jits.invited"
    ).exists()


ANSWERS = [
    # (invited institution, user answering, allowed)
    ("VE-PROSECUTOR", "prosecutor.ve", True),
    ("VE-MINISTRY", "focal.ve", True),
    ("VE-PROSECUTOR", "focal.ve", False),  # the ministry is not the invited institution
    ("VE-POLICE", "caseworker.ve", False),  # a caseworker cannot commit the institution
    ("VE-PROSECUTOR", "analyst.ve", False),
    ("VE-PROSECUTOR", "consul.ve", False),
    ("VE-PROSECUTOR", "prosecutor.pe", False),
    ("VE-PROSECUTOR", "prosecutor.co", False),  # already a member: nothing to answer
    ("VE-PROSECUTOR", "secretariat", False),
]


@pytest.mark.parametrize("action", ["accept", "decline"])
@pytest.mark.parametrize(("invited", "username", "allowed"), ANSWERS)
def test_only_the_invited_institutions_prosecutor_or_focal_point_answers(
    region, invited, username, allowed, action
):
    jit = jit_proposed(region, invite=(invited,))
    if not allowed:
        with pytest.raises((NotAllowed, InvalidTransition)):
            membership_answer(actor=region.user(username), jit=jit, action=action)
        assert Member.objects.get(jit=jit, institution__code=invited).state == "invited"
        return
    member = membership_answer(actor=region.user(username), jit=jit, action=action)
    assert member.state == ("accepted" if action == "accept" else "declined")
    jit.refresh_from_db()
    assert jit.state == (State.ACTIVE if action == "accept" else State.PROPOSED)


def test_an_invitation_answered_once_cannot_be_answered_again(region, proposed):
    membership_answer(actor=region.user("prosecutor.ve"), jit=proposed, action="decline")
    with pytest.raises((InvalidTransition, NotAllowed)):
        membership_answer(actor=region.user("prosecutor.ve"), jit=proposed, action="accept")


def test_the_jit_stays_proposed_while_only_one_country_accepted(region):
    jit = jit_proposed(region, invite=("CO-MINISTRY", "VE-PROSECUTOR"))
    membership_answer(actor=region.user("focal.co"), jit=jit, action="accept")
    jit.refresh_from_db()
    assert jit.state == State.PROPOSED
    membership_answer(actor=region.user("prosecutor.ve"), jit=jit, action="accept")
    jit.refresh_from_db()
    assert jit.state == State.ACTIVE


CLOSERS = [
    ("prosecutor.co", None),  # the lead country's member
    ("prosecutor.ve", NotAllowed),  # a member, not of the lead country
    ("focal.co", NotAllowed),  # the lead country, but not a member
    ("caseworker.co", NotAllowed),
    ("analyst.co", NotAllowed),
    ("consul.co", NotAllowed),
    ("prosecutor.pe", NotAllowed),
    ("secretariat", NotAllowed),
]


@pytest.mark.parametrize(("username", "refusal"), CLOSERS)
def test_only_a_member_of_the_lead_country_closes_the_jit(region, active, username, refusal):
    if refusal is None:
        jit = jit_close(actor=region.user(username), jit=active)
        assert jit.state == State.CLOSED
        prosecutor_ve = region.user("prosecutor.ve")
        assert Notification.objects.filter(recipient=prosecutor_ve, kind="jits.closed").exists()
        return
    with pytest.raises(refusal):
        jit_close(actor=region.user(username), jit=active)


def test_a_proposed_jit_may_be_closed_and_a_closed_one_not_again(region, proposed):
    jit_close(actor=region.user("prosecutor.co"), jit=proposed)
    with pytest.raises(InvalidTransition):
        jit_close(actor=region.user("prosecutor.co"), jit=proposed)


INVITERS = [
    ("prosecutor.co", None),
    ("prosecutor.ve", None),  # any accepted member's prosecutor
    ("focal.co", NotAllowed),  # not a member
    ("prosecutor.pe", NotAllowed),
    ("caseworker.co", NotAllowed),
    ("secretariat", NotAllowed),
]


@pytest.mark.parametrize(("username", "refusal"), INVITERS)
def test_an_accepted_members_prosecutor_invites(region, active, username, refusal):
    institution = region.institution("PE-PROSECUTOR")
    if refusal is None:
        member = jit_invite(actor=region.user(username), jit=active, institution=institution)
        assert member.state == MemberState.INVITED
        return
    with pytest.raises(refusal):
        jit_invite(actor=region.user(username), jit=active, institution=institution)


def test_a_member_cannot_be_invited_twice_but_one_who_declined_can(region, proposed):
    co = region.user("prosecutor.co")
    with pytest.raises(InvalidTransition):
        jit_invite(actor=co, jit=proposed, institution=region.institution("VE-PROSECUTOR"))
    membership_answer(actor=region.user("prosecutor.ve"), jit=proposed, action="decline")
    member = jit_invite(actor=co, jit=proposed, institution=region.institution("VE-PROSECUTOR"))
    assert member.state == MemberState.INVITED


def test_a_member_not_of_the_lead_country_leaves_and_the_lead_does_not(region, active):
    with pytest.raises(InvalidTransition):
        membership_leave(actor=region.user("prosecutor.co"), jit=active)
    member = membership_leave(actor=region.user("prosecutor.ve"), jit=active)
    assert member.state == MemberState.LEFT
    with pytest.raises(NotAllowed):
        membership_leave(actor=region.user("prosecutor.ve"), jit=active)


def test_the_history_records_every_step_with_who_took_it(region):
    jit = jit_active(region)
    jit_close(actor=region.user("prosecutor.co"), jit=jit)
    steps = list(Event.objects.filter(jit=jit).values_list("action", "to_state"))
    assert steps == [
        ("open", "proposed"),
        ("invite", "invited"),
        ("accept", "accepted"),
        ("activate", "active"),
        ("close", "closed"),
    ]
    assert Event.objects.filter(jit=jit, actor__isnull=True).count() == 0


@pytest.mark.postgres
def test_on_postgresql_a_jit_opens_activates_and_closes_with_its_history(region):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("run with QUIPU_DATABASE_URL=postgresql://...")
    jit = jit_active(region, invite=("VE-PROSECUTOR", "PE-PROSECUTOR"))
    assert jit.state == State.ACTIVE
    jit_close(actor=region.user("prosecutor.co"), jit=jit)
    assert Event.objects.filter(jit=jit).count() == 6
