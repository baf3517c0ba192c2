"""Small-cell suppression: primary, secondary, the threshold setting and the caller's flag."""

from itertools import product

import pytest

from quipu.stats.disclosure import cells_suppress, disclosure_threshold
from quipu.stats.selectors import case_measure_values


def test_cells_between_one_and_the_threshold_are_suppressed_and_zeros_are_published():
    counts = {"CO": {"female": 40, "male": 3, "other_or_unknown": 0, "total": 43}}
    published = cells_suppress(counts, threshold=10)["CO"]
    assert published["male"] is None
    assert published["other_or_unknown"] == 0
    assert published["total"] == 43


def test_a_lone_suppressed_cell_takes_the_next_smallest_cell_with_it():
    counts = {"CO": {"female": 40, "male": 3, "other_or_unknown": 12, "total": 55}}
    assert cells_suppress(counts, threshold=10)["CO"] == {
        "female": 40,
        "male": None,
        "other_or_unknown": None,
        "total": 55,
    }


def test_two_suppressed_cells_need_no_complement():
    counts = {"CO": {"child": 2, "adult": 30, "unknown": 4, "total": 36}}
    assert cells_suppress(counts, threshold=10)["CO"] == {
        "child": None,
        "adult": 30,
        "unknown": None,
        "total": 36,
    }


def test_a_total_under_the_threshold_hides_the_whole_row():
    counts = {"BO": {"female": 5, "male": 3, "other_or_unknown": 0, "total": 8}}
    assert cells_suppress(counts, threshold=10)["BO"] == {
        "female": None,
        "male": None,
        "other_or_unknown": 0,
        "total": None,
    }


def test_the_threshold_itself_is_published():
    assert cells_suppress({"PE": {"total": 10}}, threshold=10) == {"PE": {"total": 10}}
    assert cells_suppress({"PE": {"total": 9}}, threshold=10) == {"PE": {"total": None}}


def _recoverable(row: dict, published: dict) -> list[str]:
    """Suppressed small cells that the published total and cells pin down to one value."""
    categories = [key for key in row if key != "total"]
    hidden = [key for key in categories if published[key] is None]
    found = []
    for key in hidden:
        possible = set()
        ranges = [range(0, row["total"] + 1) for _ in hidden]
        for guess in product(*ranges):
            values = dict(zip(hidden, guess, strict=True))
            shown = sum(published[k] for k in categories if published[k] is not None)
            if shown + sum(guess) == row["total"]:
                possible.add(values[key])
        if len(possible) == 1 and 0 < row[key] < 10:
            found.append(key)
    return found


@pytest.mark.parametrize(
    "row",
    [
        {"female": 40, "male": 3, "other_or_unknown": 12, "total": 55},
        {"female": 25, "male": 1, "other_or_unknown": 0, "total": 26},
        {"national": 30, "member_state": 9, "other": 11, "unknown": 14, "total": 64},
        {"child": 11, "adult": 2, "unknown": 0, "total": 13},
    ],
)
def test_a_suppressed_cell_cannot_be_recovered_from_the_total_and_its_row(row):
    published = cells_suppress({"CO": row}, threshold=10)["CO"]
    assert any(value is None for value in published.values())
    assert _recoverable(row, published) == []
    # What the rule protects against: without the complement the cell is recoverable.
    primary_only = {k: (None if 0 < v < 10 else v) for k, v in row.items()}
    if sum(v is None for k, v in primary_only.items() if k != "total") == 1:
        assert _recoverable(row, primary_only)


def test_a_zero_cell_is_never_the_complement():
    # The only non-zero cells are the small one and the total's bulk: the bulk goes too.
    counts = {"CO": {"child": 11, "adult": 2, "unknown": 0, "total": 13}}
    assert cells_suppress(counts, threshold=10)["CO"] == {
        "child": None,
        "adult": None,
        "unknown": 0,
        "total": 13,
    }


def test_the_threshold_defaults_to_ten_and_follows_the_setting(settings):
    assert disclosure_threshold() == 10
    settings.QUIPU_DISCLOSURE_THRESHOLD = 5
    assert disclosure_threshold() == 5
    assert cells_suppress({"CO": {"total": 7}}) == {"CO": {"total": 7}}


@pytest.mark.django_db
def test_regional_views_get_suppressed_values_and_a_country_its_exact_ones(stats_cases):
    regional = case_measure_values(
        measure="victims_detected", countries=["AR", "CO"], year=2023, by="sex"
    )
    assert regional["CO"] == {"female": None, "male": None, "other_or_unknown": None, "total": None}
    own = case_measure_values(
        measure="victims_detected", countries=["CO"], year=2023, by="sex", suppress=False
    )
    assert own["CO"] == {"female": 2, "male": 2, "other_or_unknown": 2, "total": 6}
    low = case_measure_values(
        measure="victims_detected", countries=["CO"], year=2023, by="sex", threshold=2
    )
    assert low["CO"] == {"female": 2, "male": 2, "other_or_unknown": 2, "total": 6}
