from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.indicators.baseline_form import baseline_form_write
from quipu.indicators.defaults import defaults_load
from quipu.indicators.framework_xlsx import framework_export_bytes, framework_workbook_read
from quipu.indicators.services import FrameworkInvalid, framework_apply, framework_validate
from quipu.progress.exports import FORMATS, export_bytes
from quipu.progress.selectors import Reading, member_countries
from quipu.progress.values import period_year


class Command(BaseCommand):
    help = (
        "The indicator framework: load the defaults, import or export it as XLSX; export "
        "indicator values."
    )

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
        values = sub.add_parser(
            "export",
            help="Export indicator values for a period as XLSX, CSV or DHIS2 dataValueSets JSON "
            "(accepted answers only; small case counts suppressed unless one country is asked "
            "for with --no-suppress).",
        )
        values.add_argument("--format", choices=FORMATS, required=True)
        values.add_argument("--period", required=True, help="A year, such as 2024.")
        values.add_argument("--out", type=Path, required=True)
        values.add_argument(
            "--country", action="append", default=[], help="ISO code; repeat for several."
        )
        values.add_argument(
            "--no-suppress",
            action="store_true",
            help="Publish small counts: only for one country's own export (needs one --country).",
        )
        values.add_argument(
            "--org-unit",
            action="append",
            default=[],
            metavar="XX=CODE",
            help="DHIS2 org unit code for a country, when it is not the ISO code.",
        )

    def handle(self, *args, action: str, **options):
        if action == "framework-defaults":
            defaults_load(framework_if_empty=False)
            self.stdout.write(self.style.SUCCESS(_("Default framework loaded.")))
        elif action == "framework-import":
            self._import(options["file"])
        elif action == "export":
            self._export(options)
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

    def _export(self, options) -> None:
        period = options["period"]
        if not period_year(period):
            raise CommandError(_("The period must be a year, such as 2024."))
        members = [country.code for country in member_countries()]
        countries = [code.upper() for code in options["country"]] or members
        unknown = sorted(set(countries) - set(members))
        if unknown:
            raise CommandError(_("Not a member state: %(codes)s.") % {"codes": ", ".join(unknown)})
        if options["no_suppress"] and len(countries) != 1:
            raise CommandError(_("--no-suppress exports one country's own figures only."))
        org_units = {}
        for pair in options["org_unit"]:
            code, _sep, unit = pair.partition("=")
            if not unit:
                raise CommandError(_("Write --org-unit as XX=CODE."))
            org_units[code.upper()] = unit
        reading = Reading(include_pending=False, suppress=not options["no_suppress"])
        content = export_bytes(
            format=options["format"],
            period=period,
            countries=countries,
            reading=reading,
            org_units=org_units,
        )
        options["out"].write_bytes(content)
        self.stdout.write(self.style.SUCCESS(str(options["out"])))

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
