"""Writes for survey submissions: draft saves, submission with the form's rules enforced on
the server, and the review steps (approve, return with comments, accept and lock, unlock).

Every write goes through `workflows.step`, so a locked (accepted) submission cannot be written
from the pages or the API alike; every step is audited and kept in the submission's history.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.errors import InvalidInput, NotAllowed
from quipu.indicators import kinds, workflows
from quipu.indicators.round_models import Submission, SubmissionEvent
from quipu.indicators.rounds import submission_url
from quipu.indicators.xlsform.definition import form_definition, language_pick
from quipu.indicators.xlsform.engine import COUNT_PREFIX, FilledForm, form_fill
from quipu.notifications.services import notify, recipients_with
from quipu.tenancy.permissions import denial_record
from quipu.tenancy.roles import Capability


class SubmissionInvalid(InvalidInput):
    """The answers break the form's rules; `problems` maps question paths to messages."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(
            _("The answers were not submitted: some need attention."), code="answers_invalid"
        )


def answers_filled(submission: Submission, answers: dict, *, language: str = "", check=False):
    """The form filled with `answers`; `language` is a form language (`Português (pt)`) or a
    reader's code (`pt-br`), by default the active one."""
    definition = form_definition(submission.round.survey)
    if language not in definition.languages:
        language = language_pick(
            definition.languages, definition.default_language, language or get_language() or "es"
        )
    return form_fill(definition, answers, language=language, check=check)


def answers_stored(filled: FilledForm) -> dict[str, str]:
    """What is kept: the relevant answers by path and the number of entries of each repeat."""
    stored = dict(filled.answers())
    for node in filled.walk():
        if node.question.kind == "repeat":
            stored[COUNT_PREFIX + node.path] = str(len(node.instances))
    return stored


def _begin(actor, submission: Submission, action: str, request) -> tuple[str, str]:
    """Check the transition and who may take it; a refusal is audited outside any rollback."""
    try:
        target, who = workflows.step(submission, action)
    except workflows.SubmissionLocked:
        denial_record(actor, capability="write_locked_submission", obj=submission, request=request)
        raise
    if not workflows.may_act_as(actor, submission, who):
        denial_record(actor, capability=f"submission_{action}", obj=submission, request=request)
        raise NotAllowed()
    return target, who


def _step_record(actor, submission, action, before, request, comment="", detail=None) -> None:
    SubmissionEvent.objects.create(
        submission=submission,
        actor=actor,
        action=action,
        from_state=before,
        to_state=submission.state,
        comment=comment,
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=submission,
        detail={"step": action, "from": before, "to": submission.state, **(detail or {})},
        request=request,
    )


def _locked_row(submission: Submission, action: str) -> Submission:
    """Lock the row, re-read the caller's instance, and check the step against the fresh state."""
    Submission.objects.select_for_update().filter(pk=submission.pk).values_list("pk").get()
    submission.refresh_from_db()
    workflows.step(submission, action)
    return submission


def submission_save(*, actor, submission: Submission, answers: dict, request=None) -> Submission:
    """Keep the answers as a draft: no rule is enforced yet; history notes the first save only."""
    _begin(actor, submission, workflows.SAVE, request)
    with transaction.atomic():
        submission = _locked_row(submission, workflows.SAVE)
        target, _who = workflows.step(submission, workflows.SAVE)
        before = submission.state
        submission.answers = answers_stored(answers_filled(submission, answers))
        submission.state = target
        submission.save(update_fields=["answers", "state", "updated_at"])
        if before != target:
            _step_record(actor, submission, workflows.SAVE, before, request)
        else:
            audit_record(
                actor=actor,
                action=Action.UPDATE,
                obj=submission,
                detail={"step": "save"},
                request=request,
            )
    return submission


def submission_submit(
    *, actor, submission: Submission, answers: dict | None = None, language: str = "", request=None
) -> Submission:
    """Submit for the focal point's approval; the form's required and constraint rules must
    hold on the server (SubmissionInvalid names each question path otherwise)."""
    _begin(actor, submission, workflows.SUBMIT, request)
    answers = submission.answers if answers is None else answers
    filled = answers_filled(submission, answers, language=language, check=True)
    if not filled.is_valid:
        raise SubmissionInvalid({node.path: node.error for node in filled.errors})
    with transaction.atomic():
        return submission_submitted_store(
            actor=actor, submission=submission, answers=answers_stored(filled), request=request
        )


def submission_submitted_store(
    *,
    actor,
    submission: Submission,
    answers: dict[str, str],
    step: str = workflows.SUBMIT,
    comment: str = "",
    detail: dict | None = None,
    request=None,
) -> Submission:
    """Inside the caller's transaction: lock the row, check it may still be submitted, keep
    `answers` (already checked) as submitted, record the step and tell the focal points."""
    submission = _locked_row(submission, workflows.SUBMIT)
    before = submission.state
    submission.answers = answers
    submission.state = workflows.S.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["answers", "state", "submitted_at", "updated_at"])
    _step_record(actor, submission, step, before, request, comment=comment, detail=detail)
    focal_points = recipients_with(
        Capability.APPROVE_DISCLOSURE, country=submission.institution.country_id
    ).exclude(pk=actor.pk)
    notify(recipients=focal_points, kind=kinds.SUBMITTED, url=submission_url(submission))
    return submission


def submission_review(
    *,
    actor,
    submission: Submission,
    action: str,
    comment: str = "",
    comments: dict[str, str] | None = None,
    request=None,
) -> Submission:
    """Approve, return (with comments on each question), accept (locks) or unlock (needs a
    reason): see workflows.py for who may take each step from which state."""
    if action not in workflows.REVIEW_ACTIONS:
        raise InvalidInput(code="unknown_action")
    _begin(actor, submission, action, request)
    comment = (comment or "").strip()
    comments = {path: text.strip() for path, text in (comments or {}).items() if text.strip()}
    if action == workflows.UNLOCK and not comment:
        raise InvalidInput(_("Give the reason for unlocking the values."), code="comment")
    if action == workflows.RETURN and not (comment or comments):
        raise InvalidInput(
            _("Say what needs correcting: a general comment or a comment on a question."),
            code="comment",
        )
    with transaction.atomic():
        submission = _locked_row(submission, action)
        target, _who = workflows.step(submission, action)
        before = submission.state
        submission.state = target
        fields = ["state", "updated_at"]
        if action == workflows.RETURN:
            submission.comments = comments
            fields.append("comments")
        elif action == workflows.APPROVE:
            submission.comments = {}
            fields.append("comments")
        submission.save(update_fields=fields)
        detail = {"questions_commented": len(comments)} if comments else {}
        _step_record(actor, submission, action, before, request, comment=comment, detail=detail)
        _review_notify(submission, action)
    return submission


def _review_notify(submission: Submission, action: str) -> None:
    url = submission_url(submission)
    country = submission.institution.country_id
    if action in (workflows.RETURN, workflows.UNLOCK):
        notify(recipients=[submission.responsible], kind=kinds.RETURNED, url=url)
    elif action == workflows.APPROVE:
        secretariat = recipients_with(Capability.MANAGE_REGION)
        notify(recipients=secretariat, kind=kinds.APPROVED, url=url)
    elif action == workflows.ACCEPT:
        focal_points = recipients_with(Capability.APPROVE_DISCLOSURE, country=country)
        notify(recipients=[submission.responsible, *focal_points], kind=kinds.ACCEPTED, url=url)
