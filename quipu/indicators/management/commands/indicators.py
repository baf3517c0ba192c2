from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.indicators.baseline_form import baseline_form_write
from quipu.indicators.defaults import defaults_load
from quipu.indicators.framework_xlsx import framework_export_bytes, framework_workbook_read
from quipu.indicators.services import FrameworkInvalid, framework_apply, framework_validate


class Command(BaseCommand):
    help = "The indicator framework: load the defaults, import or export it as XLSX."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "framework-defaults",
            help="Load the shipped framework, population figures and baseline survey; "
            "replaces edited indicators of the same code.",
        )
        load = sub.add_parser("framework-import", help="Import the framework from XLSX.")
        load.add_argument("file", type=Path)
        save = sub.add_parser("framework-export", help="Export the framework as XLSX.")
        save.add_argument("file", type=Path)
        form = sub.add_parser("baseline-form", help="Rebuild the baseline XLSForm file.")
        form.add_argument("file", type=Path, nargs="?")

    def handle(self, *args, action: str, **options):
        if action == "framework-defaults":
            defaults_load(framework_if_empty=False)
            self.stdout.write(self.style.SUCCESS(_("Default framework loaded.")))
        elif action == "framework-import":
            self._import(options["file"])
        elif action == "framework-export":
            options["file"].write_bytes(framework_export_bytes())
            audit_record(
                actor=None,
                action=Action.EXPORT,
                object_type="indicators.indicator",
                detail={"format": "xlsx", "via": "command"},
            )
            self.stdout.write(self.style.SUCCESS(str(options["file"])))
        else:
            path = (
                baseline_form_write(options["file"]) if options["file"] else baseline_form_write()
            )
            self.stdout.write(self.style.SUCCESS(str(path)))

    def _import(self, file: Path) -> None:
        if not file.is_file():
            raise CommandError(_("The file does not exist."))
        content = file.read_bytes()
        axes_rows, indicator_rows, errors = framework_workbook_read(content)
        if not errors:
            axes, indicators, errors = framework_validate(axes_rows, indicator_rows)
        if errors:
            for error in errors[:100]:
                self.stderr.write(str(error))
            raise CommandError(str(FrameworkInvalid(errors).message))
        counts = framework_apply(axes=axes, indicators=indicators)
        audit_record(
            actor=None,
            action=Action.UPDATE,
            object_type="indicators.indicator",
            detail={"via": "command", **counts},
        )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Framework imported: %(created)s new, %(updated)s updated, "
                    "%(unchanged)s unchanged, %(deactivated)s deactivated."
                )
                % counts
            )
        )
