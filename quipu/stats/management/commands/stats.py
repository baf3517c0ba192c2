from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quipu.stats.categories import CATEGORIES, TOTAL, category_label
from quipu.stats.disclosure import disclosure_threshold
from quipu.stats.measures import MEASURES, UnknownMeasure
from quipu.stats.selectors import case_measure_values
from quipu.tenancy.models import Country

SUPPRESSED = "*"
REGION = "region"  # not a country code: those have two capital letters


class Command(BaseCommand):
    help = "Case-data statistics: print a measure per country for a year."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        measure = sub.add_parser("measure", help="Counts of one case measure per country.")
        measure.add_argument("--measure", required=True, choices=sorted(MEASURES))
        measure.add_argument("--year", required=True, type=int)
        measure.add_argument("--by", choices=sorted(CATEGORIES))
        measure.add_argument(
            "--country", action="append", help="ISO code; repeat for several (default: members)"
        )
        measure.add_argument(
            "--suppress", action="store_true", help="Suppress small cells, as regional views do."
        )
        measure.add_argument("--threshold", type=int, help="Smallest published count.")
        measure.add_argument(
            "--region", action="store_true", help="Add a row with the sum of the countries."
        )

    def handle(self, *args, action: str, **options):
        countries = [code.upper() for code in options["country"] or []] or list(
            Country.objects.filter(is_member=True).order_by("code").values_list("code", flat=True)
        )
        threshold = options["threshold"] or disclosure_threshold()
        by = options["by"]
        try:
            values = case_measure_values(
                measure=options["measure"],
                countries=countries,
                year=options["year"],
                by=by,
                suppress=options["suppress"],
                threshold=threshold,
                region=REGION if options["region"] else None,
            )
        except UnknownMeasure as error:
            raise CommandError(str(error)) from error
        keys = [*(CATEGORIES[by] if by else ()), TOTAL]
        header = [_("Country"), *(category_label(by, key) for key in keys)]
        rows = [
            [
                _("Regional total") if country == REGION else country,
                *(SUPPRESSED if row[key] is None else str(row[key]) for key in keys),
            ]
            for country, row in values.items()
        ]
        widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
        for line in [header, *rows]:
            cells = [line[0].ljust(widths[0])]
            cells += [cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)]
            self.stdout.write("  ".join(cells).rstrip())
        if options["suppress"]:
            self.stdout.write(
                _(
                    "%(mark)s suppressed: fewer than %(threshold)s, or hidden so that such a "
                    "count cannot be worked out from the totals."
                )
                % {"mark": SUPPRESSED, "threshold": threshold}
            )
