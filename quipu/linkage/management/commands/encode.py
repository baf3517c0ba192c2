from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quipu.linkage.management.files import (
    InputErrors,
    encode_all,
    encoded_csv_write,
    errors_report,
    field_mapping,
    key_load,
    plain_rows,
    table_read,
)


class Command(BaseCommand):
    help = (
        "Encode a CSV of people for cross-border matching: the output holds only ids, "
        "Bloom-filter encodings (CLK), birth year, sex and keyed identifier tokens."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument(
            "--map", action="append", default=[], metavar="FIELD=COLUMN", dest="mappings"
        )
        parser.add_argument("--key-file", type=Path)
        parser.add_argument("--id-column")
        parser.add_argument(
            "--country", help="issuing country of documents and region of phones, if no column"
        )
        parser.add_argument("--group", default="", help="group written to no file; for logs")

    def handle(self, *args, file: Path, out: Path, mappings, key_file, id_column, country, **kw):
        table = table_read(file)
        if table.encoded:
            raise CommandError(_("The file %(file)s is already encoded.") % {"file": file})
        key = key_load(key_file)
        try:
            rows = plain_rows(
                table,
                mapping=field_mapping(mappings, table.header),
                id_column=id_column,
                country=country,
            )
        except InputErrors as errors:
            raise errors_report(errors, self.stderr) from None
        records = encode_all(rows, key=key, group=kw.get("group") or "")
        encoded_csv_write(records, out, key_id=key.key_id)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(rows)s rows encoded into %(out)s.") % {"rows": len(records), "out": out}
            )
        )
