"""Fuzzing the importer: whatever bytes arrive, the answer is a clean error or a clean import,
and a rejected file writes nothing."""

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from quipu.cases.models import Case
from quipu.errors import InvalidInput
from quipu.intake.formats.quipu_template import NAMES
from quipu.intake.imports import import_file

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _import(path, owner):
    before = Case.objects.count()
    try:
        result = import_file(path=path, owner=owner)
    except InvalidInput as error:
        assert str(error.message)  # a translated message, never a traceback
        assert Case.objects.count() == before
        return None
    if not result.ok:
        assert Case.objects.count() == before
        for entry in result.errors:
            assert entry["row"] >= 0 and isinstance(entry["msgid"], str)
    return result


@FUZZ
@given(payload=st.binary(max_size=4096))
def test_random_bytes_give_a_clean_answer(region, tmp_path_factory, payload):
    path = tmp_path_factory.mktemp("fuzz") / "random.csv"
    path.write_bytes(payload)
    _import(path, region.institution("CO-POLICE"))


@FUZZ
@given(text=st.text(max_size=2000), encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_text_in_any_encoding_gives_a_clean_answer(region, tmp_path_factory, text, encoding):
    path = tmp_path_factory.mktemp("fuzz") / "text.csv"
    path.write_bytes(("case_reference,case_type\n" + text).encode(encoding, errors="replace"))
    _import(path, region.institution("CO-POLICE"))


@FUZZ
@given(cells=st.lists(st.text(max_size=60), min_size=len(NAMES), max_size=len(NAMES)))
def test_random_template_cells_never_half_write(region, tmp_path_factory, cells):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(NAMES)
    writer.writerow(cells)
    path = tmp_path_factory.mktemp("fuzz") / "cells.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    _import(path, region.institution("CO-POLICE"))


def test_huge_cells_are_refused_cleanly(region, tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text(",".join(NAMES) + "\n" + "A" * 300_000 + "\n", encoding="utf-8")
    _import(path, region.institution("CO-POLICE"))


def test_formula_cells_in_xlsx_are_never_evaluated(region, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(NAMES)
    row = dict.fromkeys(NAMES, "")
    row.update(case_reference="CO-X-1", case_type="TIP", victim_first_name="=CMD|'/c calc'!A0")
    sheet.append([row[name] for name in NAMES])
    path = tmp_path / "formula.xlsx"
    workbook.save(path)
    result = _import(path, region.institution("CO-POLICE"))
    assert result is not None and result.ok
    # openpyxl saved it as a formula with no cached value: it is read as empty, never run.
    person = Case.objects.get(reference="CO-X-1").victims.get().person
    assert person.first_name == ""


def test_a_non_xlsx_file_with_an_xlsx_name_is_refused(region, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InvalidInput):
        import_file(path=path, owner=region.institution("CO-POLICE"))
