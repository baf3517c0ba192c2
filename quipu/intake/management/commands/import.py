import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quipu.errors import InvalidInput
from quipu.intake.formats.registry import FORMAT_NAMES
from quipu.intake.imports import UNEXPECTED_FAILURE, import_file
from quipu.intake.selectors import error_message
from quipu.intake.shares import shares_presented
from quipu.tenancy.models import Institution

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Import cases from a CSV or XLSX file (HTCDS template, CTDC, Quipu template)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--institution", required=True, help="code of the owning institution")
        parser.add_argument("--format", default="auto", choices=FORMAT_NAMES)
        parser.add_argument(
            "--confirm-foreign",
            action="store_true",
            help="confirm that the rows are the institution's cases even if most concern "
            "other countries, or the file is a pooled CTDC dataset",
        )

    def handle(
        self,
        *args,
        file: Path,
        institution: str,
        format: str,
        confirm_foreign: bool = False,
        **options,
    ):
        owner = Institution.objects.filter(code=institution).first()
        if owner is None:
            raise CommandError(_("No institution has the code %(code)s.") % {"code": institution})
        if not file.exists():
            raise CommandError(_("The file does not exist."))
        try:
            result = import_file(
                path=file, owner=owner, requested=format, foreign_confirmed=confirm_foreign
            )
        except InvalidInput as error:
            raise CommandError(str(error.message)) from None
        except Exception as error:  # noqa: BLE001 - a message and a non-zero exit, no traceback
            logger.error("import failed: %s", type(error).__name__)  # never the text: values
            raise CommandError(_(UNEXPECTED_FAILURE)) from None
        if not result.ok:
            for entry in result.errors[:50]:
                self.stderr.write(
                    _("Row %(row)s, column %(column)s: %(message)s")
                    % {
                        "row": entry["row"],
                        "column": entry["column"],
                        "message": error_message(entry)["message"],
                    }
                )
            raise CommandError(
                _("%(count)s errors in %(rows)s rows: nothing was imported.")
                % {"count": result.error_count, "rows": result.rows}
            )
        if result.held:
            shown = shares_presented(result.country_check, owner)
            raise CommandError(
                _("Nothing was imported.")
                + " "
                + shown["summary"]
                + " "
                + _("Run the command again with --confirm-foreign to import the file.")
            )
        summary = result.summary
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(rows)s rows (%(format)s): %(created)s new, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "rows": result.rows,
                    "format": result.format,
                    "created": summary.created,
                    "updated": summary.updated,
                    "unchanged": summary.unchanged,
                }
            )
        )
