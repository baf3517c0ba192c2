"""`quipu link-files LEFT RIGHT --out PAIRS.csv`: one-to-one pairs of records of two files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quipu.linkage.management.files import (
    InputErrors,
    ProgressBar,
    Table,
    csv_write_atomic,
    encode_all,
    encoded_rows,
    errors_report,
    field_mapping,
    key_ids,
    key_load,
    plain_rows,
    table_read,
)
from quipu.linkage.plain import link_plain
from quipu.linkage.scoring import link_encoded, one_to_one


class Command(BaseCommand):
    help = (
        "Link two CSV files of people, plaintext or encoded by `quipu encode`, and write "
        "one-to-one pairs: left_id, right_id, match_probability."
    )

    def add_arguments(self, parser):
        parser.add_argument("left", type=Path)
        parser.add_argument("right", type=Path)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--mode", choices=["encoded", "plain"], default="encoded")
        parser.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb")
        parser.add_argument("--id-column")
        parser.add_argument(
            "--map", action="append", default=[], metavar="FIELD=COLUMN", dest="mappings"
        )
        parser.add_argument("--threshold", type=float, default=0.5)
        parser.add_argument("--key-file", type=Path)
        parser.add_argument(
            "--country", help="issuing country of documents and region of phones, if no column"
        )

    def handle(self, *args, left: Path, right: Path, out: Path, mode: str, **options):
        if not 0 < options["threshold"] <= 1:
            raise CommandError(_("The threshold must be a probability above 0 and at most 1."))
        tables = {"left": table_read(left), "right": table_read(right)}
        try:
            if mode == "plain":
                pairs = self._plain(tables, options)
            else:
                pairs = self._encoded(tables, options)
        except InputErrors as errors:
            raise errors_report(errors, self.stderr) from None
        chosen = one_to_one(pairs)
        csv_write_atomic(
            out,
            ["left_id", "right_id", "match_probability"],
            ([p.left_id, p.right_id, f"{p.match_probability:.6f}"] for p in chosen),
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(pairs)s pairs written to %(out)s.") % {"pairs": len(chosen), "out": out}
            )
        )

    def _rows(self, table: Table, options: dict) -> list[dict[str, str]]:
        return plain_rows(
            table,
            mapping=field_mapping(options["mappings"], table.header),
            id_column=options["id_column"],
            country=options["country"],
        )

    def _plain(self, tables: dict[str, Table], options: dict):
        for table in tables.values():
            if table.encoded:
                raise CommandError(
                    _("Plain mode needs plaintext files; %(file)s is encoded.")
                    % {"file": table.path}
                )
        rows = {side: self._rows(table, options) for side, table in tables.items()}
        bar = ProgressBar(_("Linking"), 1)
        pairs = link_plain(
            rows["left"],
            rows["right"],
            backend=options["backend"],
            threshold=options["threshold"],
            progress=bar.stage,
        )
        bar.close()
        return pairs

    def _encoded(self, tables: dict[str, Table], options: dict):
        key = None
        records = {}
        for side, table in tables.items():
            if table.encoded:
                records[side] = encoded_rows(table, id_column=options["id_column"], group=side)
                continue
            key = key or key_load(options["key_file"])
            rows = self._rows(table, options)
            records[side] = encode_all(rows, key=key, group=side)
        used = set().union(*(key_ids(t) for t in tables.values() if t.encoded))
        if key is not None:
            used.add(key.key_id)
        if len(used) > 1:
            raise CommandError(_("The files were encoded with different linkage keys."))
        bar = ProgressBar(_("Linking"), 1)
        pairs = link_encoded(
            records["left"],
            records["right"],
            backend=options["backend"],
            threshold=options["threshold"],
            progress=bar.stage,
        )
        bar.close()
        return pairs
