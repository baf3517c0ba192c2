"""Bounds on uploaded spreadsheets and text files, checked before a file is parsed.

Every importer (cases, indicator framework, XLSForm surveys, Kobo exports) reads files that a
user chose, so a small file must not be able to cost gigabytes or hours: a zip that unpacks
to a gibibyte, a sheet that claims five million rows, a row of a million columns, a cell of
a hundred megabytes. The limits are settings (QUIPU_IMPORT_MAX_*); each refusal names the
limit, and the row or column where there is one, in the reader's language.
"""

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from quipu.errors import InvalidInput

MB = 1024 * 1024
# A row is read whole before its cells can be counted (a CSV line, a sheet row's XML), so no
# row may be larger than this.
MAX_ROW_MB = 8
_CHUNK = 1 << 20

TOO_LARGE_UNPACKED = gettext_noop(
    "The file unpacks to more than %(limit)s MB, the most an import may hold."
)
TOO_MANY_ROWS = gettext_noop(
    "Row %(row)s: the file has more than %(limit)s rows, the most allowed."
)
TOO_MANY_COLUMNS = gettext_noop("Row %(row)s has more than %(limit)s columns, the most allowed.")
CELL_TOO_LONG = gettext_noop(
    "Row %(row)s: a cell is longer than %(limit)s characters, the most allowed."
)
ROW_TOO_LARGE = gettext_noop("Row %(row)s holds more than %(limit)s MB, the most a row may hold.")
NOT_XLSX = gettext_noop("The file is not a valid XLSX workbook.")


class FileRefused(InvalidInput):
    """A whole file refused. Keeps the English msgid and its parameters, so that the message
    can be stored once and shown again in each reader's language."""

    def __init__(self, msgid: str, *, code: str, row: int = 0, column: str = "", **params):
        self.msgid, self.row, self.column = msgid, row, column
        self.params = {"row": row, **params} if row else params
        self.code = code
        Exception.__init__(self, code)

    @property
    def message(self) -> str:
        text = gettext(self.msgid)
        return text % self.params if self.params else text


@dataclass(frozen=True)
class ImportLimits:
    unpacked_mb: int
    rows: int  # data rows, after the header
    columns: int
    cell_chars: int


def import_limits() -> ImportLimits:
    return ImportLimits(
        unpacked_mb=settings.QUIPU_IMPORT_MAX_UNPACKED_MB,
        rows=settings.QUIPU_IMPORT_MAX_ROWS,
        columns=settings.QUIPU_IMPORT_MAX_COLUMNS,
        cell_chars=settings.QUIPU_IMPORT_MAX_CELL_CHARS,
    )


def row_number_check(row: int, limits: ImportLimits) -> None:
    """`row` as numbered in the file, the header being row 1."""
    if row > limits.rows + 1:
        raise FileRefused(TOO_MANY_ROWS, code="too_many_rows", row=row, limit=limits.rows)


def cells_check(row: int, cells: list[str], limits: ImportLimits, header=None) -> None:
    """Too many cells or too long a cell in a row already read; the column is named when the
    header is known."""
    if len(cells) > limits.columns:
        raise FileRefused(TOO_MANY_COLUMNS, code="too_many_columns", row=row, limit=limits.columns)
    for position, cell in enumerate(cells):
        if len(cell) > limits.cell_chars:
            column = header[position] if header and position < len(header) else ""
            raise FileRefused(
                CELL_TOO_LONG,
                code="cell_too_long",
                row=row,
                column=column or str(position + 1),
                limit=limits.cell_chars,
            )


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark announces, if the text starts with one."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"  # Python reads the mark and its byte order, and drops it
    return None


# XLSX ----------------------------------------------------------------------------------------


def xlsx_check(
    source: Path | BinaryIO, limits: ImportLimits | None = None, *, all_sheets: bool = False
) -> int:
    """Refuse a workbook before openpyxl loads it: its declared unpacked size, then a byte
    scan of its first sheet, or of every sheet (dimension, rows, cells and bytes per row).
    Returns the number of the first sheet's last row (0 when it has none).

    The declared sizes can be trusted: zipfile stops reading a member at its declared size
    and a member that holds more fails its CRC check, which reads as a damaged file.
    """
    limits = limits or import_limits()
    try:
        with zipfile.ZipFile(source) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            if unpacked > limits.unpacked_mb * MB:
                raise FileRefused(
                    TOO_LARGE_UNPACKED, code="too_large_unpacked", limit=limits.unpacked_mb
                )
            last_rows = []
            for sheet in _sheet_paths(source, all_sheets):
                with archive.open(sheet) as stream:
                    last_rows.append(_sheet_scan(stream, limits))
    except FileRefused:
        raise
    except Exception:  # noqa: BLE001 - a damaged zip fails in zipfile, zlib or openpyxl alike
        raise FileRefused(NOT_XLSX, code="bad_xlsx") from None
    if hasattr(source, "seek"):
        source.seek(0)
    return last_rows[0] if last_rows else 0


def _sheet_paths(source, all_sheets: bool) -> list[str]:
    """The members of the worksheets, in order (the first is openpyxl's `worksheets[0]`),
    found as openpyxl finds them (manifest, workbook, relationships), without reading shared
    strings or any sheet."""
    from openpyxl.reader.excel import ExcelReader

    reader = ExcelReader(source, read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_workbook()
        paths = [
            rel.target
            for _sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
        return paths if all_sheets else paths[:1]
    finally:
        reader.archive.close()


_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet\b")
_DIMENSION = re.compile(rb"dimension\b[^>]*?\bref=\"[A-Z]*(\d*)(?::([A-Z]+)(\d+))?\"")
_ROW_NUMBER = re.compile(rb"\br=\"(\d+)\"")


def _sheet_scan(stream, limits: ImportLimits) -> int:
    """One streaming pass over the sheet's XML at C speed: no element is built. Returns the
    number of the last row."""
    buffer = stream.read(_CHUNK)
    root = _ROOT.search(buffer)
    prefix = (root.group(1) + b":") if root and root.group(1) else b""
    _dimension_check(buffer, limits)
    row_tag = re.compile(rb"<" + re.escape(prefix) + rb"row\b([^>]*)>")
    cell_tags = [b"<" + prefix + b"c" + end for end in (b" ", b">", b"/")]
    row_bytes_limit = MAX_ROW_MB * MB
    rows = row = cells = 0
    row_bytes = 0
    offset = 0  # bytes of the stream before `buffer`
    row_start = None  # offset of the current row's tag in the stream
    while buffer:
        more = stream.read(_CHUNK)
        # Keep a tag cut by the chunk's end for the next round.
        cut = buffer.rfind(b"<") if more else len(buffer)
        cut = len(buffer) if cut <= 0 else cut
        text, carry = buffer[:cut], buffer[cut:]
        position = 0
        for match in row_tag.finditer(text):
            cells += sum(text.count(tag, position, match.start()) for tag in cell_tags)
            _row_bounds_check(row, cells, limits)
            rows += 1
            number = _ROW_NUMBER.search(match.group(1))
            row = int(number.group(1)) if number else row + 1
            row_number_check(max(row, rows), limits)
            row_start, cells, position = offset + match.start(), 0, match.start()
        cells += sum(text.count(tag, position) for tag in cell_tags)
        _row_bounds_check(row, cells, limits)
        if row_start is not None:
            row_bytes = offset + len(text) - row_start
            if row_bytes > row_bytes_limit:
                raise FileRefused(ROW_TOO_LARGE, code="row_too_large", row=row, limit=MAX_ROW_MB)
        offset += len(text)
        buffer = carry + more
    return max(row, rows)


def _row_bounds_check(row: int, cells: int, limits: ImportLimits) -> None:
    if cells > limits.columns:
        raise FileRefused(
            TOO_MANY_COLUMNS, code="too_many_columns", row=max(row, 1), limit=limits.columns
        )


def _dimension_check(head: bytes, limits: ImportLimits) -> None:
    """The sheet's recorded extent (A1:XFD1048576), refused before any row is read."""
    from openpyxl.utils import column_index_from_string

    found = _DIMENSION.search(head)
    if not found or not found.group(2):
        return
    last_column, last_row = found.group(2).decode(), int(found.group(3))
    row_number_check(last_row, limits)
    if column_index_from_string(last_column) > limits.columns:
        raise FileRefused(TOO_MANY_COLUMNS, code="too_many_columns", row=1, limit=limits.columns)
