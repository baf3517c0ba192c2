from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quipu.indicators.surveys import SurveyInvalid, survey_import_audit, survey_store


class Command(BaseCommand):
    help = "XLSForm surveys. `quipu survey import FORM.xlsx` imports a form (KoboToolbox, ODK)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import", help="Import an XLSForm; the same file twice changes nothing."
        )
        load.add_argument("file", type=Path)

    def handle(self, *args, action: str, file: Path, **options):
        if not file.is_file():
            raise CommandError(_("The file does not exist."))
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
