"""Reading and writing the CSV files of `quipu encode` and `quipu link-files`.

Bad input is collected as (row, column, message) and reported all at once, before anything is
written; messages are translated and never repeat a value from the file (DESIGN.md rule 4).
Row numbers are file lines, as in the importer: the header is line 1.
"""

from __future__ import annotations

import base64
import binascii
import csv
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from quipu.linkage.encoding import CLK_BYTES
from quipu.linkage.keys import LinkageKey, linkage_key, linkage_key_from_secret
from quipu.linkage.normalise import country_code, email_address, parse_date, phone_e164
from quipu.linkage.plain import PLAIN_FIELDS
from quipu.linkage.scoring import EncodedRecord, encoded_record

ENCODED_COLUMNS = ("clk", "birth_year", "sex", "tokens", "key_id")
TOKEN_PATTERN = re.compile(r"^[a-z_]+:[0-9a-f]{64}$")
MAX_REPORTED = 50


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class InputErrors(Exception):
    """Every problem found in a file; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} input errors")


@dataclass
class Table:
    path: Path
    header: list[str]
    rows: list[dict[str, str]]  # cells by column name, with the file line in "__line__"

    @property
    def encoded(self) -> bool:
        return "clk" in self.header


def table_read(path: Path) -> Table:
    """A CSV file (comma, semicolon or tab separated; UTF-8, with or without BOM)."""
    if not path.is_file():
        raise CommandError(_("The file %(file)s does not exist.") % {"file": path})
    with open(path, newline="", encoding="utf-8-sig") as handle:
        sample = handle.read(8192)
        handle.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(handle, dialect)
        header = [cell.strip() for cell in next(reader, [])]
        if not header or not any(header):
            raise CommandError(_("The file %(file)s is empty.") % {"file": path})
        rows = []
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            row = dict(zip(header, (cell.strip() for cell in cells), strict=False))
            row["__line__"] = str(line)
            rows.append(row)
    return Table(path=path, header=header, rows=rows)


def field_mapping(items: Sequence[str], header: Sequence[str]) -> dict[str, str]:
    """Standard field -> column: columns named as a field map to it unless --map says else."""
    mapping = {field: field for field in PLAIN_FIELDS if field in header}
    for item in items:
        field, sep, column = item.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            raise CommandError(_("Write each mapping as FIELD=COLUMN."))
        if field not in PLAIN_FIELDS:
            raise CommandError(
                _("Unknown field %(field)s; the fields are: %(fields)s.")
                % {"field": field, "fields": ", ".join(PLAIN_FIELDS)}
            )
        if column not in header:
            raise CommandError(_("The file has no column %(column)s.") % {"column": column})
        mapping[field] = column
    if not mapping:
        raise CommandError(
            _("No column of the file is a known field; map them with --map FIELD=COLUMN.")
        )
    return mapping


def record_ids(table: Table, id_column: str | None, errors: list[RowError]) -> list[str]:
    """The id of each row: from the id column, else the row's line number."""
    column = id_column or "id"
    if column not in table.header:
        if id_column:
            raise CommandError(_("The file has no column %(column)s.") % {"column": id_column})
        return [row["__line__"] for row in table.rows]
    ids, seen = [], set()
    for row in table.rows:
        value = row.get(column, "")
        if not value:
            errors.append(RowError(int(row["__line__"]), column, _("The id is empty.")))
        elif value in seen:
            errors.append(
                RowError(int(row["__line__"]), column, _("The id is repeated in the file."))
            )
        seen.add(value)
        ids.append(value)
    return ids


def plain_rows(
    table: Table, *, mapping: dict[str, str], id_column: str | None, country: str | None
) -> list[dict[str, str]]:
    """Rows with the standard field names and "id", checked field by field."""
    errors: list[RowError] = []
    if country and not country_code(country):
        raise CommandError(_("The country must be an ISO 3166-1 code, such as CO or COL."))
    ids = record_ids(table, id_column, errors)
    rows = []
    for record_id, row in zip(ids, table.rows, strict=True):
        values = {field: row.get(column, "") for field, column in mapping.items()}
        if country and not values.get("country"):
            values["country"] = country
        for field, message in _field_problems(values):
            errors.append(RowError(int(row["__line__"]), mapping.get(field, field), message))
        rows.append({"id": record_id, **values})
    if errors:
        raise InputErrors(errors)
    return rows


def _field_problems(values: dict[str, str]) -> Iterator[tuple[str, str]]:
    for field in ("country", "document_country"):
        if values.get(field) and not country_code(values[field]):
            yield field, _("The country must be an ISO 3166-1 code, such as CO or COL.")
    if values.get("date_of_birth") and parse_date(values["date_of_birth"]) is None:
        yield "date_of_birth", _("The date of birth cannot be read as a date.")
    region = values.get("country") or None
    if values.get("phone") and phone_e164(values["phone"], default_region=region) is None:
        yield (
            "phone",
            _(
                "The phone number cannot be read: write it with its country code (+57...) "
                "or give the country."
            ),
        )
    if values.get("email") and email_address(values["email"]) is None:
        yield "email", _("The e-mail address is not valid.")
    if values.get("document_number") and not (
        values.get("document_country") or values.get("country")
    ):
        yield (
            "document_number",
            _(
                "The document number needs its issuing country: a document_country column or "
                "--country."
            ),
        )


def encoded_rows(table: Table, *, id_column: str | None, group: str) -> list[EncodedRecord]:
    """The records of a file that `quipu encode` wrote, checked cell by cell."""
    errors: list[RowError] = []
    ids = record_ids(table, id_column, errors)
    records = []
    for record_id, row in zip(ids, table.rows, strict=True):
        line = int(row["__line__"])
        try:
            clk = base64.b64decode(row.get("clk", ""), validate=True)
        except (binascii.Error, ValueError):
            clk = b""
        if len(clk) != CLK_BYTES:
            errors.append(RowError(line, "clk", _("The CLK is not 128 bytes in base64.")))
        year = row.get("birth_year", "")
        if year and not (year.isdigit() and 1800 <= int(year) <= 2100):
            errors.append(RowError(line, "birth_year", _("The birth year is not a year.")))
        sex = row.get("sex", "")
        if sex not in {"", "F", "M"}:
            errors.append(RowError(line, "sex", _("The sex must be F, M or empty.")))
        tokens = frozenset(row.get("tokens", "").split())
        if any(not TOKEN_PATTERN.match(token) for token in tokens):
            errors.append(RowError(line, "tokens", _("A token is not of the form kind:hex.")))
        records.append(
            EncodedRecord(
                record_id=record_id,
                group=group,
                clk=clk,
                birth_year=int(year) if year.isdigit() else None,
                sex=sex or None,
                tokens=tokens,
            )
        )
    if errors:
        raise InputErrors(errors)
    return records


def key_ids(table: Table) -> set[str]:
    return {row.get("key_id", "") for row in table.rows} - {""}


def key_load(key_file: Path | None) -> LinkageKey:
    """The key in --key-file (which must exist and be owner-only), else the configured key."""
    if key_file is None:
        return linkage_key()
    if not key_file.is_file():
        raise CommandError(_("The key file %(file)s does not exist.") % {"file": key_file})
    if stat.S_IMODE(key_file.stat().st_mode) & 0o077:
        raise CommandError(
            _("The key file is readable by other users; make it owner-only (chmod 600).")
        )
    return linkage_key_from_secret(key_file.read_text(encoding="utf-8").strip())


def encode_all(
    rows: Sequence[dict[str, str]], *, key: LinkageKey, group: str, stream: TextIO | None = None
) -> list[EncodedRecord]:
    bar = ProgressBar(_("Encoding"), len(rows), stream)
    records = []
    for row in rows:
        records.append(encoded_record(row, record_id=row["id"], group=group, key=key))
        bar.advance()
    bar.close()
    return records


def encoded_csv_write(records: Iterable[EncodedRecord], path: Path, *, key_id: str) -> None:
    """Only ids and encodings: never a plaintext column (DESIGN.md rule 2)."""
    rows = (
        [
            record.record_id,
            base64.b64encode(record.clk).decode(),
            record.birth_year or "",
            record.sex or "",
            " ".join(sorted(record.tokens)),
            key_id,
        ]
        for record in records
    )
    csv_write_atomic(path, ["id", *ENCODED_COLUMNS], rows)


def csv_write_atomic(path: Path, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write beside the target and rename, so a failed run leaves no half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def errors_report(errors: InputErrors, stderr) -> CommandError:
    """Write the first errors (row and column, never the value) and return the final error."""
    for entry in errors.errors[:MAX_REPORTED]:
        stderr.write(
            _("Row %(row)s, column %(column)s: %(message)s")
            % {"row": entry.row, "column": entry.column, "message": entry.message}
        )
    rows = len({entry.row for entry in errors.errors})
    return CommandError(
        _("%(count)s errors in %(rows)s rows: nothing was written.")
        % {"count": len(errors.errors), "rows": rows}
    )


class ProgressBar:
    """A one-line bar on a terminal's stderr; silent when stderr is a file or a pipe."""

    WIDTH = 30

    def __init__(self, label: str, total: int, stream: TextIO | None = None):
        self.label, self.total, self.done = label, max(total, 1), 0
        self.stream = stream or sys.stderr
        self.shown = -1
        self.active = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._draw()

    def advance(self, steps: int = 1) -> None:
        self.done = min(self.total, self.done + steps)
        self._draw()

    def stage(self, label: str, done: int, total: int) -> None:
        """A scoring.Progress callback: stages instead of rows."""
        self.label, self.total, self.done = label, max(total, 1), done
        self.shown = -1
        self._draw()

    def close(self) -> None:
        if self.active:
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self) -> None:
        percent = self.done * 100 // self.total
        if not self.active or percent == self.shown:
            return
        self.shown = percent
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label:<24} [{bar}] {percent:3d}%")
        self.stream.flush()
