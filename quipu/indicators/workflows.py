"""The approval state machine of a survey submission (DHIS2's approve-then-accept).

not_started ─save─> draft ─submit─> submitted ─approve─> approved ─accept─> accepted (locked)
     └──────────submit───────────────┘   └─return─> returned   └─return─> returned
returned ─save─> returned ─submit─> submitted          accepted ─unlock─> returned

Who acts (see docs in /tmp/decisions/indicators.md):
- fill (save, submit): any user of the assigned institution, the responsible person included;
- approve, and return a submitted answer: the country's focal point (APPROVE_DISCLOSURE, at
  country scope: approving is deciding what leaves the country);
- accept, return an approved answer, and unlock with a reason: the secretariat (MANAGE_REGION).
"""

from django.utils.translation import gettext_lazy as _

from quipu.errors import InvalidTransition
from quipu.indicators.round_models import Submission, SubmissionState
from quipu.tenancy.permissions import principal_for, scoped
from quipu.tenancy.roles import Capability

S = SubmissionState
SAVE, SUBMIT, APPROVE, RETURN, ACCEPT, UNLOCK = (
    "save",
    "submit",
    "approve",
    "return",
    "accept",
    "unlock",
)
FILLER, FOCAL_POINT, SECRETARIAT = "filler", "focal_point", "secretariat"
ACTION_LABELS = {
    SAVE: _("Save the draft"),
    SUBMIT: _("Submit"),
    APPROVE: _("Approve"),
    RETURN: _("Return for correction"),
    ACCEPT: _("Accept and lock"),
    UNLOCK: _("Unlock"),
}
ACTIONS = tuple(ACTION_LABELS)
# What the reviewer reads once a step is done: a sentence per action, not "Done: <button>".
ACTION_DONE = {
    SAVE: _("Draft saved."),
    SUBMIT: _("Answers submitted."),
    APPROVE: _("Answers approved."),
    RETURN: _("Answers returned for correction."),
    ACCEPT: _("Answers accepted and locked."),
    UNLOCK: _("Answers unlocked."),
}
REVIEW_ACTIONS = (APPROVE, RETURN, ACCEPT, UNLOCK)

# state -> action -> (target state, who may act)
TRANSITIONS: dict[str, dict[str, tuple[str, str]]] = {
    S.NOT_STARTED: {SAVE: (S.DRAFT, FILLER), SUBMIT: (S.SUBMITTED, FILLER)},
    S.DRAFT: {SAVE: (S.DRAFT, FILLER), SUBMIT: (S.SUBMITTED, FILLER)},
    S.RETURNED: {SAVE: (S.RETURNED, FILLER), SUBMIT: (S.SUBMITTED, FILLER)},
    S.SUBMITTED: {APPROVE: (S.APPROVED, FOCAL_POINT), RETURN: (S.RETURNED, FOCAL_POINT)},
    S.APPROVED: {ACCEPT: (S.ACCEPTED, SECRETARIAT), RETURN: (S.RETURNED, SECRETARIAT)},
    S.ACCEPTED: {UNLOCK: (S.RETURNED, SECRETARIAT)},
}


class SubmissionLocked(InvalidTransition):
    default_message = _(
        "These values are locked: the secretariat accepted them. They can be changed only "
        "after the secretariat unlocks them, giving a reason."
    )


def step(submission: Submission, action: str) -> tuple[str, str]:
    """(target state, who may act) for `action` from the submission's state; a locked
    submission answers SubmissionLocked to any write, other impossible steps InvalidTransition."""
    if submission.is_locked and action in (SAVE, SUBMIT):
        raise SubmissionLocked(code="submission_locked")
    found = TRANSITIONS.get(submission.state, {}).get(action)
    if found is None:
        raise InvalidTransition(code=f"{submission.state}_{action}")
    return found


def may_fill(user, submission: Submission) -> bool:
    principal = principal_for(user)
    return principal.institution_id is not None and (
        principal.institution_id == submission.institution_id
    )


def may_review(user, submission: Submission) -> bool:
    """A focal point of the submission's country (the round includes that country)."""
    rows = Submission.objects.filter(pk=submission.pk)
    return scoped(user, rows, Capability.APPROVE_DISCLOSURE).exists()


def may_accept(user) -> bool:
    return principal_for(user).can(Capability.MANAGE_REGION)


def may_act_as(user, submission: Submission, who: str) -> bool:
    if who == FILLER:
        return may_fill(user, submission)
    if who == FOCAL_POINT:
        return may_review(user, submission)
    return may_accept(user)


def actions_open(user, submission: Submission) -> list[str]:
    """The actions `user` may take on the submission now."""
    return [
        action
        for action, (_target, who) in TRANSITIONS.get(submission.state, {}).items()
        if may_act_as(user, submission, who)
    ]
