"""Filling IOM's official HTCDS Excel templates as a case worker would, for tests."""

import shutil

import openpyxl

from tests.conftest import shared_reference

TEMPLATES = [
    "HTCDS Excel Spreadsheet v2.0.xlsx",
    "HTCDS Excel Spreadsheet single select with validation v2.0.xlsx",
    "HTCDS Excel Spreadsheet multi select with validation v2.0.xlsm",
]
VICTIM = {
    "Case Owner": "Ana Caseworker",
    "First Name": "María José",
    "Second Name": "Cruz Pérez",
    "Consent": "Yes",
    "Birthdate": "2001-07-30",
    "Gender": "Feminine",
    "Citizenship": "Venezuela, Bolivarian Republic of",
    "Email": "MJ.Cruz@Example.org",
    "Mobile Phone": "+58 412 555 0147",
    "Mailing Street": "Av. Bolívar 12",
    "Mailing City": "Lima",
    "Mailing Country": "Peru",
    "Trafficking Status": "Actual victim of trafficking",
    "Trafficking Status Decision Making Organization": "Court or prosecution",
    "Method of Recruitment": "Through online social networks",
    "Location of Recruitment": "Maracaibo, Venezuela",
    "Methods of Control": "Debt bondage ;Withholds documents",
    "Type of Exploitation": "Sexual exploitation",
    "Type of Sex Exploitation": "Prostitution",
    "Location of Exploitation": "Perú",
    "Status": "Follow up",
    "Referring Organisation": "Helpline 1800",
    "Incoming Referral Date": "2025-02-03",
    "Reason for Incoming Referral": "Additional Services Required",
}


def template_copy(tmp_path, name=TEMPLATES[1]):
    source = shared_reference("htcds", "Toolkit", "Excel", name)
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


def fill(path, rows: list[dict], *, drop_hidden_row=False):
    """Type values under the visible labels, as a case worker would, keeping the template."""
    workbook = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
    sheet = workbook.worksheets[0]
    column_of = {cell.value: cell.column for cell in sheet[2] if cell.value}
    for offset, values in enumerate(rows):
        for label, value in values.items():
            sheet.cell(row=3 + offset, column=column_of[label], value=value)
    if drop_hidden_row:
        sheet.delete_rows(1)
    workbook.save(path)
    return path
