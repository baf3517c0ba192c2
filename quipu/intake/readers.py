"""Reading CSV and XLSX files as rows of strings, streaming, with the row numbers users see."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from quipu.errors import InvalidInput
from quipu.file_limits import (
    CELL_TOO_LONG,
    MAX_ROW_MB,
    MB,
    NOT_XLSX,
    ROW_TOO_LARGE,
    FileRefused,
    ImportLimits,
    bom_encoding,
    cells_check,
    import_limits,
    row_number_check,
    xlsx_check,
)

ENCODINGS = ("utf-8-sig", "cp1252")  # Excel on Windows still writes cp1252 CSVs
BAD_CSV_LINE = gettext_noop("Line %(line)s is not valid CSV, or not in the file's encoding.")
XLSX_DAMAGED_AT = gettext_noop("The workbook is damaged: it cannot be read past row %(row)s.")


@dataclass
class Sheet:
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (row number as shown in the file, cells)
    rows_estimate: int | None = None  # rows after the header, when known without reading them


def open_sheet(path: Path, limits: ImportLimits | None = None) -> Sheet:
    """The first sheet of an XLSX file, or a CSV file; raises InvalidInput when unreadable or
    beyond the import limits (FileRefused, naming the limit and the row)."""
    limits = limits or import_limits()
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _xlsx_sheet(path, limits)
    if suffix in {".csv", ".txt"}:
        return _csv_sheet(path, limits)
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

        try:
            workbook = load_workbook(path, read_only=True)
            last_row = workbook.worksheets[0].max_row
            workbook.close()
        except Exception:  # noqa: BLE001 - open_sheet says why the file cannot be read
            return None
        return max(last_row - 1, 0) if last_row else None
    return None


def _csv_sheet(path: Path, limits: ImportLimits) -> Sheet:
    """Streams the file: only the first 64 KiB are read up front, to choose encoding and dialect."""
    with path.open("rb") as probe:
        head = probe.read(65536)
    encoding = bom_encoding(head)  # UTF-16 is read only with its byte-order mark
    if encoding is None:
        if b"\x00" in head[:4096]:
            raise InvalidInput(_("The file is not a text CSV file."), code="binary_file")
        encoding = _encoding(head)
    # Process-wide, so set on every read: the csv module refuses a longer cell as it reads it.
    csv.field_size_limit(limits.cell_chars)
    handle = path.open(newline="", encoding=encoding)
    lines = _RowText(handle, MAX_ROW_MB * MB)
    reader = csv.reader(lines, _sniff(head.decode(encoding, errors="ignore")))
    try:
        header = next(reader)
        cells_check(1, header, limits)
        if lines.overflowed:
            raise _RowTooLarge
    except StopIteration:
        handle.close()
        raise InvalidInput(_("The file is empty."), code="empty_file") from None
    except Exception as error:
        handle.close()
        raise _csv_refusal(error, row=1, line=reader.line_num, limits=limits) from None
    lines.used = 0
    header = [h.strip() for h in header]
    return Sheet(header=header, rows=_numbered_csv_rows(reader, handle, lines, limits, header))


class _RowTooLarge(Exception):
    pass


class _RowText:
    """The file's lines for csv.reader, never more than `limit` characters for one row: a line
    of a hundred million commas would otherwise become as many cells in memory before they
    could be counted. The part read is still handed over once, so that a row that is too
    long because of one cell is refused for that cell; the row is refused after it."""

    def __init__(self, handle, limit: int):
        self.handle, self.limit, self.used = handle, limit, 0

    def __iter__(self):
        return self

    @property
    def overflowed(self) -> bool:
        return self.used > self.limit

    def __next__(self) -> str:
        if self.overflowed:
            raise _RowTooLarge
        line = self.handle.readline(self.limit - self.used + 1)
        if not line:
            raise StopIteration
        self.used += len(line)
        return line


def _csv_refusal(error: BaseException, *, row: int, line: int, limits: ImportLimits):
    """The refusal for an error raised while the csv module read row `row`."""
    if isinstance(error, FileRefused):
        return error
    if isinstance(error, _RowTooLarge):
        return FileRefused(ROW_TOO_LARGE, code="row_too_large", row=row, limit=MAX_ROW_MB)
    if isinstance(error, csv.Error) and "field larger than field limit" in str(error):
        return FileRefused(CELL_TOO_LONG, code="cell_too_long", row=row, limit=limits.cell_chars)
    if isinstance(error, (csv.Error, UnicodeDecodeError)):
        return FileRefused(BAD_CSV_LINE, code="bad_csv", row=row, line=line)
    return error


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


def _numbered_csv_rows(
    reader, handle, lines: _RowText, limits: ImportLimits, header: list[str]
) -> Iterator[tuple[int, list[str]]]:
    number = 1
    try:
        for number, cells in enumerate(reader, start=2):
            row_number_check(number, limits)
            cells_check(number, cells, limits, header)
            if lines.overflowed:  # cut at the limit: the rest of the row was never read
                raise FileRefused(ROW_TOO_LARGE, code="row_too_large", row=number, limit=MAX_ROW_MB)
            lines.used = 0
            if any(map(str.strip, cells)):
                yield number, cells
    except (FileRefused, _RowTooLarge, csv.Error, UnicodeDecodeError) as error:
        # A refusal names its row; the csv module's errors come while reading the next one.
        failed = number if isinstance(error, FileRefused) else number + 1
        raise _csv_refusal(error, row=failed, line=reader.line_num, limits=limits) from None
    finally:
        handle.close()


def _xlsx_sheet(path: Path, limits: ImportLimits) -> Sheet:
    from openpyxl import load_workbook

    last_row = xlsx_check(path, limits)  # before openpyxl reads shared strings or the sheet
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [_cell_text(v).strip() for v in next(rows)]
    except StopIteration:
        raise InvalidInput(_("The file is empty."), code="empty_file") from None
    except Exception:  # noqa: BLE001 - openpyxl, zipfile, zlib and the XML parser each fail their way
        raise FileRefused(NOT_XLSX, code="bad_xlsx") from None
    cells_check(1, header, limits)

    def numbered() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            for number, values in enumerate(rows, start=2):
                row_number_check(number, limits)
                cells = [_cell_text(v) for v in values]
                cells_check(number, cells, limits, header)
                if any(cell.strip() for cell in cells):
                    yield number, cells
        except FileRefused:
            raise
        except Exception:  # noqa: BLE001 - a damaged part of the zip, found while streaming
            raise FileRefused(XLSX_DAMAGED_AT, code="bad_xlsx", row=number) from None
        finally:
            workbook.close()

    return Sheet(header=header, rows=numbered(), rows_estimate=max(last_row - 1, 0))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)
