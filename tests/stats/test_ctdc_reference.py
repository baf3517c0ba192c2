"""Victims detected by sex, from a slice of CTDC's public file imported through the real
importer, equal the same count made independently from the CSV with the csv module."""

import csv
from collections import Counter

import pytest

from quipu.intake.imports import import_file
from quipu.stats.measures import case_measure_counts
from tests.conftest import shared_reference

pytestmark = pytest.mark.django_db

# Rows 92,000 to 94,999, registered in 2019 (men, and transgender or non-conforming people)
# and in 2020 (women and men).
SLICE = slice(92_000, 95_000)
SEX = {"Female": "female", "Male": "male"}  # blank and Transgender/NonConforming: the rest


@pytest.fixture
def ctdc_slice(tmp_path):
    path = shared_reference("ctdc", "ctdc_global_kanon_2021-07-15.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [row for index, row in enumerate(reader) if SLICE.start <= index < SLICE.stop]
    target = tmp_path / "ctdc_slice.csv"
    with target.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return target, [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize("year", [2019, 2020])
def test_ctdc_victims_by_sex_equal_an_independent_count_of_the_file(region, ctdc_slice, year):
    path, rows = ctdc_slice
    # CTDC names no registering country; the slice is recorded as Colombia's police's cases,
    # confirmed as such (a pooled CTDC file waits for that confirmation).
    result = import_file(
        path=path, owner=region.institution("CO-POLICE"), requested="ctdc", foreign_confirmed=True
    )
    assert result.ok, result.errors[:5]

    in_year = [row for row in rows if row["yearOfRegistration"] == str(year)]
    expected = Counter(SEX.get(row["gender"], "other_or_unknown") for row in in_year)
    assert len(in_year) > 100 and len(expected) == 2

    counts = case_measure_counts(measure="victims_detected", countries=["CO"], year=year, by="sex")
    assert counts["CO"] == {
        "female": expected["female"],
        "male": expected["male"],
        "other_or_unknown": expected["other_or_unknown"],
        "total": len(in_year),
    }
