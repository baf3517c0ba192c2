"""The referral's state machine: which action moves it from which states to which, and which
side of the referral may take it.

    sent --accept--> accepted --start--> in_progress --close--> closed
    sent --decline--> declined            accepted ----close--> closed
    sent, accepted --withdraw--> withdrawn

Only the home country's focal point (ANSWER_REFERRALS) answers, starts and closes; the
referring institution may withdraw its referral, with the reason, until assistance starts
(after that the home country closes it with an outcome). Both sides add and update the
assistance steps while the referral is open (see services.py).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from quipu.cooperation.referrals.models import State

HOME = "home"  # the focal point of the victim's country of citizenship
REFERRING = "referring"  # the institution that opened the referral


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    side: str
    label: object  # a lazy translation: the button
    done: object  # a lazy translation: what the page says once the step is taken
    needs_comment: bool = False
    needs_outcome: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "accept",
            (State.SENT,),
            State.ACCEPTED,
            HOME,
            _("Accept the referral"),
            _("The referral was accepted."),
        ),
        Transition(
            "decline",
            (State.SENT,),
            State.DECLINED,
            HOME,
            _("Decline the referral"),
            _("The referral was declined."),
            needs_comment=True,
        ),
        Transition(
            "start",
            (State.ACCEPTED,),
            State.IN_PROGRESS,
            HOME,
            _("Start the assistance"),
            _("The assistance has started."),
        ),
        Transition(
            "close",
            (State.ACCEPTED, State.IN_PROGRESS),
            State.CLOSED,
            HOME,
            _("Close the referral"),
            _("The referral was closed."),
            needs_outcome=True,
        ),
        Transition(
            "withdraw",
            (State.SENT, State.ACCEPTED),
            State.WITHDRAWN,
            REFERRING,
            _("Withdraw the referral"),
            _("The referral was withdrawn."),
            needs_comment=True,
        ),
    )
}

# The states in which assistance steps may be added or changed.
STEP_STATES = (State.ACCEPTED, State.IN_PROGRESS)


def transitions_from(state: str, sides: set[str] | None = None) -> list[Transition]:
    """The transitions out of `state`; with `sides`, only those one of these sides takes."""
    return [
        t for t in TRANSITIONS.values() if state in t.sources and (sides is None or t.side in sides)
    ]
