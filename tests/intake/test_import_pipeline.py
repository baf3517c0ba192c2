"""An import parses on one thread and writes on another; all or nothing, in one transaction
(PostgreSQL) or in steps undone together (SQLite, staged.py)."""

import csv
import gc
import sys

import pytest

from quipu.cases.models import Case
from quipu.intake import imports, pipeline, writer
from quipu.intake.imports import import_file
from tests.intake.test_ctdc_database import KANON

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctdc_rows(tmp_path):
    """A CTDC file of the first `count` rows of CTDC's own, with `last` as its final row."""
    if not KANON.exists():
        pytest.skip("CTDC's reference file lives in ../shared")

    def make(count: int, last: dict | None = None):
        with KANON.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            rows = [row for _, row in zip(range(count), reader, strict=False)]
            header = reader.fieldnames
        if last is not None:
            rows.append({**rows[-1], **last})
        path = tmp_path / "ctdc.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, header)
            writer.writeheader()
            writer.writerows(rows)
        return path

    return make


def test_rule4_a_bad_row_after_written_batches_leaves_nothing_written(
    region, ctdc_rows, monkeypatch
):
    monkeypatch.setattr(imports, "BATCH", 4)
    owner = region.institution("IOM")
    result = import_file(path=ctdc_rows(10, last={"citizenship": "ZZ"}), owner=owner)
    assert not result.ok and [e["row"] for e in result.errors] == [12]
    assert not Case.objects.filter(owner=owner).exists()
    assert gc.isenabled()


def test_rule4_a_failure_in_the_writer_thread_is_raised_and_undoes_every_batch(
    region, ctdc_rows, monkeypatch
):
    monkeypatch.setattr(imports, "BATCH", 4)
    written = writer._records_insert

    def fail_on_the_second_batch(owner, records, hashes, actor):
        if Case.objects.filter(owner=owner).exists():
            raise RuntimeError("disk full")
        return written(owner, records, hashes, actor)

    monkeypatch.setattr(writer, "_records_insert", fail_on_the_second_batch)
    owner = region.institution("IOM")
    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(path=ctdc_rows(10), owner=owner)
    assert not Case.objects.filter(owner=owner).exists()
    assert gc.isenabled()
    assert sys.getswitchinterval() == before


def test_batches_written_on_the_writer_thread_are_all_stored_and_counted(
    region, ctdc_rows, monkeypatch
):
    monkeypatch.setattr(imports, "BATCH", 4)
    owner = region.institution("IOM")
    result = import_file(path=ctdc_rows(10), owner=owner)
    assert result.ok and result.summary.created == 10
    assert Case.objects.filter(owner=owner).count() == 10


def test_threads_switch_quickly_while_a_writer_runs_and_as_before_afterwards(
    region, ctdc_rows, monkeypatch
):
    monkeypatch.setattr(imports, "BATCH", 4)
    written, seen = writer._records_insert, []

    def record_the_interval(owner, records, hashes, actor):
        seen.append(sys.getswitchinterval())
        return written(owner, records, hashes, actor)

    monkeypatch.setattr(writer, "_records_insert", record_the_interval)
    before = sys.getswitchinterval()
    result = import_file(path=ctdc_rows(10), owner=region.institution("IOM"))
    # Python keeps the interval in whole microseconds.
    assert result.ok and seen == [pytest.approx(pipeline.SWITCH_INTERVAL)] * 3
    assert sys.getswitchinterval() == before > 10 * pipeline.SWITCH_INTERVAL
