from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quipu.errors import DomainError
from quipu.indicators.kobo_import import KoboImportInvalid, submissions_import
from quipu.indicators.round_models import SurveyRound
from quipu.indicators.surveys import SurveyInvalid, survey_import_audit, survey_store
from quipu.tenancy.models import User


class Command(BaseCommand):
    help = (
        "XLSForm surveys. `quipu survey import FORM.xlsx` imports a form (KoboToolbox, ODK); "
        "`quipu survey import-submissions FILE --round ID` imports answers exported from "
        "KoboToolbox (CSV or JSON) into a survey round."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import", help="Import an XLSForm; the same file twice changes nothing."
        )
        load.add_argument("file", type=Path)
        answers = sub.add_parser(
            "import-submissions",
            help="Import a KoboToolbox CSV or JSON export into a round: all rows or none.",
        )
        answers.add_argument("file", type=Path)
        answers.add_argument(
            "--round", dest="round_id", type=int, required=True, help="the survey round's id"
        )
        answers.add_argument(
            "--institution", default="", help="institution code, for a file of one submission"
        )
        answers.add_argument(
            "--actor",
            default="",
            help="user name the import acts as (default: who opened the round)",
        )

    def handle(self, *args, action: str, file: Path, **options):
        if not file.is_file():
            raise CommandError(_("The file does not exist."))
        if action == "import-submissions":
            self._submissions(file, **options)
            return
        try:
            survey, outcome = survey_store(content=file.read_bytes(), file_name=file.name)
        except SurveyInvalid as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(str(error.message)) from None
        survey_import_audit(actor=None, survey=survey, outcome=outcome)
        text = {
            "created": _("Form %(form)s imported."),
            "updated": _("Form %(form)s updated."),
            "unchanged": _("Form %(form)s was already imported; nothing changed."),
        }[outcome]
        self.stdout.write(self.style.SUCCESS(text % {"form": survey.form_id}))
        self.stdout.write(
            _("%(count)s questions, languages: %(languages)s")
            % {
                "count": survey.questions.count(),
                "languages": ", ".join(survey.languages) or "—",
            }
        )

    def _submissions(self, file: Path, *, round_id: int, institution: str, actor: str, **options):
        rounds = SurveyRound.objects.select_related("survey", "opened_by")
        survey_round = rounds.filter(pk=round_id).first()
        if survey_round is None:
            raise CommandError(_("No survey round has the id %(id)s.") % {"id": round_id})
        user = survey_round.opened_by
        if actor:
            user = User.objects.filter(username=actor, is_active=True).first()
            if user is None:
                raise CommandError(_("No active user has that user name."))
        try:
            result = submissions_import(
                actor=user,
                survey_round=survey_round,
                content=file.read_bytes(),
                institution_code=institution,
            )
        except KoboImportInvalid as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(error.message)) from None
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(self.style.SUCCESS(result.summary))
