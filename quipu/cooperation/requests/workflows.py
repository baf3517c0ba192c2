"""The request's state machine: which action moves it from which states to which, and which
side may take it (REQUESTER: the requesting country's OPEN_REQUESTS holders; RECEIVING: the
receiving country's ANSWER_REQUESTS holders, its focal points).

    (open) --> sent --approve--> approved --revoke--> revoked
               sent --approve_part--> partial --revoke--> revoked
               sent --ask--> clarification --clarify--> sent
               sent, clarification --refuse--> refused
               sent, clarification --withdraw--> withdrawn

Answers are due by the request's due date; the daily job reminds and flags overdue ones.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from quipu.cooperation.requests.models import State
from quipu.tenancy.roles import Capability

REQUESTER = "requester"
RECEIVING = "receiving"

SIDE_CAPABILITY = {REQUESTER: Capability.OPEN_REQUESTS, RECEIVING: Capability.ANSWER_REQUESTS}


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    side: str
    label: object  # a lazy translation: the button
    needs_comment: bool = False
    grants: bool = False  # creates the Grant (records, categories, expiry)

    @property
    def capability(self) -> Capability:
        return SIDE_CAPABILITY[self.side]


OPEN = (State.SENT, State.CLARIFICATION)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "approve", (State.SENT,), State.APPROVED, RECEIVING, _("Approve all"), grants=True
        ),
        Transition(
            "approve_part",
            (State.SENT,),
            State.PARTIAL,
            RECEIVING,
            _("Approve in part"),
            grants=True,
        ),
        Transition(
            "ask",
            (State.SENT,),
            State.CLARIFICATION,
            RECEIVING,
            _("Ask for clarification"),
            needs_comment=True,
        ),
        Transition(
            "clarify",
            (State.CLARIFICATION,),
            State.SENT,
            REQUESTER,
            _("Send the clarification"),
            needs_comment=True,
        ),
        Transition("refuse", OPEN, State.REFUSED, RECEIVING, _("Refuse"), needs_comment=True),
        Transition("withdraw", OPEN, State.WITHDRAWN, REQUESTER, _("Withdraw the request")),
        Transition(
            "revoke",
            (State.APPROVED, State.PARTIAL),
            State.REVOKED,
            RECEIVING,
            _("Revoke the grant"),
            needs_comment=True,
        ),
    )
}


def transitions_for(state: str, sides: set[str]) -> list[Transition]:
    """The actions the user's sides may take from `state`."""
    return [t for t in TRANSITIONS.values() if state in t.sources and t.side in sides]
