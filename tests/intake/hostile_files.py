"""Hostile files built for real: a zip bomb, sheets of millions of rows written as XML, a
million columns, a huge cell. Each is cheap to make and small on disk, as an attacker's is."""

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook

from quipu.intake.formats.quipu_template import NAMES

SHEET = "xl/worksheets/sheet1.xml"
MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def inline_row(number: int, values: Iterable[str]) -> bytes:
    cells = b"".join(
        b'<c t="inlineStr"><is><t>' + value.encode() + b"</t></is></c>" for value in values
    )
    return b'<row r="%d">' % number + cells + b"</row>"


def sheet_head(dimension: str = "") -> bytes:
    tag = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="' + MAIN + b'">' + tag


def xlsx_with_sheet(path: Path, parts: Iterable[bytes]) -> Path:
    """A workbook made by openpyxl whose first sheet's XML is `parts`, streamed into the zip."""
    made = io.BytesIO()
    Workbook().save(made)
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for member in source.infolist():
            if member.filename == SHEET:
                with out.open(SHEET, "w", force_zip64=True) as sheet:
                    for part in parts:
                        sheet.write(part)
            else:
                out.writestr(member, source.read(member.filename))
    return path


def template_sheet(path: Path, rows: Iterable[bytes], dimension: str = "") -> Path:
    """The Quipu template's header, then `rows` of sheet XML."""
    head = sheet_head(dimension) + b"<sheetData>" + inline_row(1, NAMES)
    return xlsx_with_sheet(path, [head, *rows, b"</sheetData></worksheet>"])


def zip_bomb_xlsx(path: Path, unpacked_mb: int = 1024) -> Path:
    """About 1 MB on disk, `unpacked_mb` unpacked: XML whitespace between two rows."""
    spaces = b" " * (1 << 20)
    return template_sheet(path, [spaces] * unpacked_mb)


def many_rows_xlsx(path: Path, rows: int = 5_000_000) -> Path:
    """A sheet of `rows` one-cell rows with no dimension, written 100,000 at a time."""
    block = b"<row><c><v>1</v></c></row>" * 100_000
    return template_sheet(path, [block] * (rows // 100_000))
