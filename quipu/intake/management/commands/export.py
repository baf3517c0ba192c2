from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cases.models import Case
from quipu.intake.case_records import case_records
from quipu.intake.exports import EXPORT_FORMATS, export_write
from quipu.intake.generalise import records_generalised


class Command(BaseCommand):
    help = (
        "Export cases to CSV, CSV with HXL hashtags, XLSX, JSON or CTDC's layout. An operator's "
        "tool: it reads every case it is asked for, so it is audited; --deidentified leaves the "
        "personal fields out."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=EXPORT_FORMATS)
        parser.add_argument("--institution", help="code of the owning institution")
        parser.add_argument("--country", help="ISO code of the owning country")
        parser.add_argument("--deidentified", action="store_true")
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *args, format: str, institution, country, deidentified, out: Path, **options):
        cases = Case.objects.all()
        if institution:
            cases = cases.filter(owner__code=institution)
        if country:
            cases = cases.filter(owner__country_id=country.upper())
        if not out.parent.exists():
            raise CommandError(_("The folder of the output file does not exist."))
        personal = not deidentified and format != "ctdc"
        # An operator's tool with no user: the flag decides for every case at once.
        personal_ids = cases.values_list("id", flat=True) if personal else ()
        personal_ids = set(personal_ids)
        records = records_generalised(
            case_records(cases, personal_ids=personal_ids), personal_ids=personal_ids
        )
        rows = export_write(records, format, out)
        audit_record(
            actor=None,
            action=Action.EXPORT,
            object_type="cases.case",
            subject_country=(country or "").upper(),
            subject_institution=institution or "",
            detail={"format": format, "rows": rows, "personal": personal, "via": "command"},
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(rows)s rows written to %(file)s.") % {"rows": rows, "file": out}
            )
        )
