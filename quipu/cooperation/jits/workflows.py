"""The JIT's state machine and its members' one, with who may take each step.

    JIT:     proposed --activate--> active --close--> closed
             proposed ----------------close--> closed
    member:  invited --accept--> accepted --leave--> left
             invited --decline--> declined
             invited, accepted --remove--> removed
             declined, left, removed --invite--> invited

`activate` is taken by the system when an acceptance brings members of two or more countries;
`close` is for an accepted member of the lead country, and so is `remove`: the lead cuts off
another institution at once, say when one of its officers is suspected of leaking. Nothing
changes once closed.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from quipu.cooperation.jits.models import MemberState, State

# Who may take a step (see services.py for how each is checked):
SYSTEM = "system"  # taken by the service itself when its condition holds
LEAD_MEMBER = "lead_member"  # a WORK_IN_JIT user of an accepted member of the lead country
MEMBER_OPENER = "member_opener"  # an OPEN_JIT user of an accepted member
INVITED = "invited"  # a prosecutor (OPEN_JIT) or focal point (APPROVE_DISCLOSURE) of the invitee
MEMBER = "member"  # a WORK_IN_JIT user of an accepted member not of the lead country
LEAD_OPENER = "lead_opener"  # an OPEN_JIT user of an accepted member of the lead country

MIN_COUNTRIES = 2


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    who: str
    label: object


JIT_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("activate", (State.PROPOSED,), State.ACTIVE, SYSTEM, _("Activate")),
        Transition(
            "close", (State.PROPOSED, State.ACTIVE), State.CLOSED, LEAD_MEMBER, _("Close the JIT")
        ),
    )
}

MEMBER_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "invite",
            ("", MemberState.DECLINED, MemberState.LEFT, MemberState.REMOVED),
            MemberState.INVITED,
            MEMBER_OPENER,
            _("Invite"),
        ),
        Transition("accept", (MemberState.INVITED,), MemberState.ACCEPTED, INVITED, _("Accept")),
        Transition("decline", (MemberState.INVITED,), MemberState.DECLINED, INVITED, _("Decline")),
        Transition("leave", (MemberState.ACCEPTED,), MemberState.LEFT, MEMBER, _("Leave the JIT")),
        Transition(
            "remove",
            (MemberState.INVITED, MemberState.ACCEPTED),
            MemberState.REMOVED,
            LEAD_OPENER,
            _("Remove"),
        ),
    )
}

# How the history names each step (`open` creates the JIT; the others are transitions above).
ACTION_LABELS = {
    "open": _("Opened the JIT"),
    "activate": _("The JIT became active"),
    "close": _("Closed the JIT"),
    "invite": _("Invited an institution"),
    "accept": _("Accepted the invitation"),
    "decline": _("Declined the invitation"),
    "leave": _("Left the JIT"),
    "remove": _("Removed an institution"),
}

# The JIT's states in which the workspace and the membership may change.
WRITABLE_STATES = (State.PROPOSED, State.ACTIVE)
