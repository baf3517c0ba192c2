"""Importing a KoboToolbox export into a survey round: each row becomes the submitted answer of
the institution it names, checked by the same form rules as an answer sent from the page.

All or nothing: every row is checked first, and one bad row writes nothing; the report names
each bad row and field, never a value. The same file twice changes nothing the second time.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from quipu.indicators import workflows
from quipu.indicators.kobo import INSTITUTION_COLUMN, KoboFileInvalid, KoboRow, Problem
from quipu.indicators.kobo_formats import kobo_read
from quipu.indicators.round_models import Submission, SubmissionState, SurveyRound
from quipu.indicators.submissions import (
    answers_filled,
    answers_stored,
    submission_submitted_store,
)
from quipu.indicators.xlsform.definition import form_definition
from quipu.tenancy.permissions import denial_record, principal_for, scoped
from quipu.tenancy.roles import Capability

IMPORT = "import"  # the step's name in a submission's history and the audit log
SOURCES = {"csv": "CSV", "json": "JSON"}
REVIEWED = (SubmissionState.SUBMITTED, SubmissionState.APPROVED, SubmissionState.ACCEPTED)
_POSITIONS = re.compile(r"\[\d+\]")


class KoboImportInvalid(InvalidInput):
    """Nothing was imported; `problems` names each bad row and field with the reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(_("Nothing was imported: the file needs correcting."), code="kobo_rows")


@dataclass
class KoboImportResult:
    source: str  # "csv" or "json"
    imported: list[Submission] = field(default_factory=list)
    unchanged: list[Submission] = field(default_factory=list)

    @property
    def summary(self) -> str:
        count = len(self.imported)
        return ngettext(
            "%(count)s answer imported and submitted for approval; unchanged: %(unchanged)s.",
            "%(count)s answers imported and submitted for approval; unchanged: %(unchanged)s.",
            count,
        ) % {"count": count, "unchanged": len(self.unchanged)}


@dataclass
class _Planned:
    row: KoboRow
    submission: Submission
    answers: dict[str, str]
    unchanged: bool = False  # already submitted with these answers: nothing to write


def importable_submissions(*, actor, survey_round: SurveyRound):
    """The round's submissions `actor` may import answers for: the country's for a focal
    point, all of them for the secretariat."""
    rows = survey_round.submissions.select_related("institution", "round", "round__survey")
    return (
        scoped(actor, rows, Capability.APPROVE_DISCLOSURE)
        | scoped(actor, rows, Capability.MANAGE_REGION)
    ).distinct()


def may_import(actor) -> bool:
    principal = principal_for(actor)
    return principal.can(Capability.MANAGE_REGION) or principal.can(Capability.APPROVE_DISCLOSURE)


def submissions_import(
    *,
    actor,
    survey_round: SurveyRound,
    content: bytes,
    institution_code: str = "",
    request=None,
) -> KoboImportResult:
    """Import a Kobo CSV or JSON export into `survey_round`. Rows name their institution in an
    `institution_code` column; `institution_code` here serves a file of one row. Raises
    KoboImportInvalid (nothing written) when any row breaks a rule."""
    if not may_import(actor):
        denial_record(actor, capability="import_submissions", obj=survey_round, request=request)
        raise NotAllowed()
    definition = form_definition(survey_round.survey)
    try:
        kobo_file = kobo_read(content=content, definition=definition)
    except KoboFileInvalid as error:
        raise KoboImportInvalid(error.problems) from None
    institution_code = institution_code.strip()
    if institution_code and len(kobo_file.rows) > 1:
        raise KoboImportInvalid(
            [
                Problem(
                    _(
                        "An institution chosen for the whole file serves a file of one "
                        "submission; name each row's institution in a column %(column)s."
                    )
                    % {"column": INSTITUTION_COLUMN}
                )
            ]
        )
    reachable = {
        s.institution.code: s
        for s in importable_submissions(actor=actor, survey_round=survey_round)
    }
    result = KoboImportResult(source=kobo_file.source)
    planned, problems, seen = [], [], {}
    metadata = {q.path for q in definition.walk() if q.is_metadata}
    for row in kobo_file.rows:
        item = _row_check(
            actor,
            survey_round,
            row,
            institution_code,
            reachable,
            seen,
            definition,
            metadata,
            request=request,
        )
        problems.extend(row.problems)
        if item is None or row.problems:
            continue
        if item.unchanged:
            result.unchanged.append(item.submission)
        else:
            planned.append(item)
    if problems:
        raise KoboImportInvalid(problems)
    with transaction.atomic():
        for item in planned:
            result.imported.append(_write(actor, item, kobo_file.source, request))
    return result


def _row_check(
    actor, survey_round, row, option_code, reachable, seen, definition, metadata, *, request=None
):
    """The row's submission and its answers as stored, or None with problems on the row."""
    code = row.institution_code or option_code
    if row.institution_code and option_code and row.institution_code != option_code:
        row.problem(
            INSTITUTION_COLUMN, _("This row names another institution than the one chosen.")
        )
        return None
    if not code:
        row.problem(
            INSTITUTION_COLUMN,
            _("Name the institution: a column %(column)s with its code.")
            % {"column": INSTITUTION_COLUMN},
        )
        return None
    submission = reachable.get(code)
    if submission is None:
        hidden = survey_round.submissions.filter(institution__code=code).first()
        if hidden is not None:
            denial_record(actor, capability="import_submissions", obj=hidden, request=request)
        row.problem(
            INSTITUTION_COLUMN,
            _("This round is not assigned to the institution named, or not within your reach."),
        )
        return None
    if code in seen:
        row.problem(
            INSTITUTION_COLUMN,
            _("Row %(row)s is already for this institution.") % {"row": seen[code]},
        )
        return None
    seen[code] = row.number
    filled = answers_filled(submission, row.answers, check=True)
    for node in filled.errors:
        row.problem(row.field_of(node.path, definition.root), node.error)
    answers = answers_stored(filled)
    same = _comparable(answers, metadata) == _comparable(submission.answers, metadata)
    if same and submission.state in REVIEWED:
        return _Planned(row=row, submission=submission, answers=answers, unchanged=True)
    _state_check(row, submission)
    return _Planned(row=row, submission=submission, answers=answers)


def _state_check(row: KoboRow, submission: Submission) -> None:
    try:
        workflows.step(submission, workflows.SUBMIT)
    except workflows.SubmissionLocked as error:
        row.problem(INSTITUTION_COLUMN, str(error.message))
    except InvalidTransition:
        row.problem(
            INSTITUTION_COLUMN,
            _(
                "This institution's answers are awaiting review: they must be returned for "
                "correction before new ones are imported."
            ),
        )


def _comparable(answers: dict[str, str], metadata: set[str]) -> dict[str, str]:
    """The answers without the form's metadata (start, end, today), which change each time."""
    return {k: v for k, v in answers.items() if _POSITIONS.sub("", k) not in metadata}


def _write(actor, item: _Planned, source: str, request) -> Submission:
    """Stored as a web submission is: the row is locked and its state checked again."""
    detail = {"source": f"kobo_{source}", "row": item.row.number}
    if item.row.uuid:
        detail["kobo_uuid"] = item.row.uuid
    return submission_submitted_store(
        actor=actor,
        submission=item.submission,
        answers=item.answers,
        step=IMPORT,
        comment=_("Imported from a KoboToolbox %(format)s export.") % {"format": SOURCES[source]},
        detail=detail,
        request=request,
    )
