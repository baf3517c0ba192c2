"""The lead country's prosecutor removes another institution from a JIT: its users lose the
workspace at once, are told, and may be invited again."""

import pytest
from django.urls import reverse

from quipu.cooperation.jits.models import Event, MemberState
from quipu.cooperation.jits.selectors import jits_visible_to
from quipu.cooperation.jits.services import jit_close, jit_invite, member_remove
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from quipu.notifications.models import Notification

REMOVERS = [
    ("prosecutor.co", None),  # a prosecutor of the lead country's accepted member
    ("prosecutor.ve", NotAllowed),  # an accepted member, not of the lead country
    ("focal.co", NotAllowed),  # the lead country, not a member
    ("caseworker.co", NotAllowed),
    ("secretariat", NotAllowed),
]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("username", "refusal"), REMOVERS)
def test_only_the_lead_countrys_prosecutor_removes(region, active, username, refusal):
    venezuela = region.institution("VE-PROSECUTOR")
    if refusal is not None:
        with pytest.raises(refusal):
            member_remove(actor=region.user(username), jit=active, institution=venezuela)
        assert active.members.get(institution=venezuela).state == MemberState.ACCEPTED
        return
    member = member_remove(actor=region.user(username), jit=active, institution=venezuela)
    assert member.state == MemberState.REMOVED
    assert not jits_visible_to(user=region.user("prosecutor.ve")).filter(pk=active.pk).exists()
    told = Notification.objects.filter(kind="jits.removed")
    assert {n.recipient.username for n in told} >= {"prosecutor.ve"}
    assert all(n.recipient.membership.institution == venezuela for n in told)
    event = Event.objects.filter(jit=active).last()
    assert (event.action, event.institution_id) == ("remove", venezuela.pk)


def test_an_open_invitation_can_be_withdrawn_and_sent_again(region, active):
    lead = region.user("prosecutor.co")
    peru = region.institution("PE-PROSECUTOR")
    jit_invite(actor=lead, jit=active, institution=peru)
    assert member_remove(actor=lead, jit=active, institution=peru).state == MemberState.REMOVED
    assert jit_invite(actor=lead, jit=active, institution=peru).state == MemberState.INVITED


def test_the_lead_does_not_remove_itself_nor_a_stranger_nor_after_closing(region, active):
    lead = region.user("prosecutor.co")
    with pytest.raises(InvalidInput):
        member_remove(actor=lead, jit=active, institution=region.institution("CO-PROSECUTOR"))
    with pytest.raises(InvalidInput):
        member_remove(actor=lead, jit=active, institution=region.institution("BR-PROSECUTOR"))
    jit_close(actor=lead, jit=active)
    with pytest.raises(InvalidTransition):
        member_remove(actor=lead, jit=active, institution=region.institution("VE-PROSECUTOR"))


def test_the_workspace_offers_removal_to_the_lead_and_the_removed_lose_the_page(
    region, active, login
):
    venezuela = region.institution("VE-PROSECUTOR")
    remove = reverse("jits:remove", args=[active.pk, venezuela.pk])
    page = login("prosecutor.co").get(reverse("jits:detail", args=[active.pk])).content.decode()
    assert remove in page
    assert reverse("jits:remove", args=[active.pk, region.institution("CO-PROSECUTOR").pk]) not in (
        page
    )
    other = login("prosecutor.ve").get(reverse("jits:detail", args=[active.pk])).content.decode()
    assert "/remove/" not in other

    assert login("prosecutor.co").post(remove).status_code == 302
    assert login("prosecutor.ve").get(reverse("jits:detail", args=[active.pk])).status_code == 404


def test_the_api_removes_by_institution_code(region, active, login):
    url = reverse("api:jit-removal", args=[active.pk])
    refused = login("prosecutor.ve").post(
        url, {"institution": "CO-PROSECUTOR"}, content_type="application/json"
    )
    assert refused.status_code == 403
    stranger = login("prosecutor.co").post(
        url, {"institution": "BR-PROSECUTOR"}, content_type="application/json"
    )
    assert stranger.status_code == 400 and "institution" in stranger.json()
    done = login("prosecutor.co").post(
        url, {"institution": "VE-PROSECUTOR"}, content_type="application/json"
    )
    assert done.status_code == 200
    states = {m["institution"]: m["state"] for m in done.json()["members"]}
    assert states["VE-PROSECUTOR"] == "removed"
