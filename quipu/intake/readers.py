"""Reading CSV and XLSX files as rows of strings, streaming, with the row numbers users see."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zipfile import BadZipFile

from django.utils.translation import gettext_lazy as _

from quipu.errors import InvalidInput

ENCODINGS = ("utf-8-sig", "cp1252")  # Excel on Windows still writes cp1252 CSVs
MAX_CELL = 32_767  # Excel's own cell limit; anything longer is not a real export
csv.field_size_limit(MAX_CELL * 4)


@dataclass
class Sheet:
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (row number as shown in the file, cells)


def open_sheet(path: Path) -> Sheet:
    """The first sheet of an XLSX file, or a CSV file; raises InvalidInput when unreadable."""
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _xlsx_sheet(path)
    if suffix in {".csv", ".txt"}:
        return _csv_sheet(path)
    raise InvalidInput(_("Only CSV and XLSX files can be imported."), code="unsupported_file")


def data_rows_estimate(path: Path) -> int | None:
    """About how many rows follow the header, for a progress bar: a CSV's line count (a cell
    holding a line break counts twice), an XLSX sheet's recorded dimension; None if unknown."""
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt"}:
        lines, last = 0, b"\n"
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
        lines += last != b"\n"  # a last line without its line break
        return max(lines - 1, 0)
    if suffix in {".xlsx", ".xlsm"}:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            workbook = load_workbook(path, read_only=True)
            last_row = workbook.worksheets[0].max_row
            workbook.close()
        except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError):
            return None  # open_sheet says why the file cannot be read
        return max(last_row - 1, 0) if last_row else None
    return None


def _csv_sheet(path: Path) -> Sheet:
    """Streams the file: only the first 64 KiB are read up front, to choose encoding and dialect."""
    with path.open("rb") as probe:
        head = probe.read(65536)
    if b"\x00" in head[:4096]:
        raise InvalidInput(_("The file is not a text CSV file."), code="binary_file")
    encoding = _encoding(head)
    handle = path.open(newline="", encoding=encoding)
    reader = csv.reader(handle, _sniff(head.decode(encoding, errors="ignore")))
    try:
        header = next(reader)
    except StopIteration:
        handle.close()
        raise InvalidInput(_("The file is empty."), code="empty_file") from None
    except (csv.Error, UnicodeDecodeError):
        handle.close()
        raise InvalidInput(_("The file is not a valid CSV file."), code="bad_csv") from None
    return Sheet(header=[h.strip() for h in header], rows=_numbered_csv_rows(reader, handle))


def _encoding(head: bytes) -> str:
    # A cut multi-byte character at the end of the sample is not an encoding error.
    for encoding in ENCODINGS:
        try:
            head.decode(encoding)
            return encoding
        except UnicodeDecodeError as error:
            if encoding.startswith("utf-8") and error.start >= len(head) - 3:
                return encoding
    return ENCODINGS[-1]


def _sniff(sample: str):
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _numbered_csv_rows(reader, handle) -> Iterator[tuple[int, list[str]]]:
    try:
        for number, cells in enumerate(reader, start=2):
            if any(map(str.strip, cells)):
                yield number, cells
    except (csv.Error, UnicodeDecodeError):
        raise InvalidInput(
            _("Line %(line)s is not valid CSV, or not in the file's encoding.")
            % {"line": reader.line_num},
            code="bad_csv",
        ) from None
    finally:
        handle.close()


def _xlsx_sheet(path: Path) -> Sheet:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError):
        raise InvalidInput(_("The file is not a valid XLSX workbook."), code="bad_xlsx") from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [_cell_text(v).strip() for v in next(rows)]
    except StopIteration:
        raise InvalidInput(_("The file is empty."), code="empty_file") from None

    def numbered() -> Iterator[tuple[int, list[str]]]:
        for number, values in enumerate(rows, start=2):
            cells = [_cell_text(v) for v in values]
            if any(cell.strip() for cell in cells):
                yield number, cells
        workbook.close()

    return Sheet(header=header, rows=numbered())


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)
