"""Reading files: how many rows a file holds is estimated up front, for the progress bar."""

import csv

from openpyxl import Workbook

from quipu.intake.readers import data_rows_estimate
from tests.conftest import shared_reference


def test_a_csvs_rows_are_its_lines_after_the_header(tmp_path):
    ended = tmp_path / "ended.csv"
    ended.write_bytes(b"a,b\r\n1,2\r\n3,4\r\n")
    unended = tmp_path / "unended.csv"
    unended.write_bytes(b"a,b\n1,2\n3,4")
    header_only = tmp_path / "header.csv"
    header_only.write_bytes(b"a,b\n")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert [data_rows_estimate(p) for p in (ended, unended, header_only, empty)] == [2, 2, 0, 0]


def test_the_estimate_of_ctdcs_file_is_its_row_count():
    path = shared_reference("ctdc", "ctdc_global_kanon_2021-07-15.csv")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = sum(1 for _ in csv.reader(handle)) - 1
    assert data_rows_estimate(path) == rows > 90_000


def test_an_xlsx_sheets_rows_come_from_its_dimension(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["a", "b"])
    for number in range(7):
        sheet.append([number, number * 2])
    path = tmp_path / "cases.xlsx"
    workbook.save(path)
    assert data_rows_estimate(path) == 7


def test_an_unreadable_workbook_has_no_estimate(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip file")
    assert data_rows_estimate(path) is None
